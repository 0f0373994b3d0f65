// ballot.challenge (docs/crypto.md §13.19) on a real session (session_bundle.h), whose vote V2 holds one
// challenge the server logged: it verifies and is never counted. Then a dishonest server changes that entry, or
// inserts 核验 entries, and re-signs the log: each lie is caught by its own check, at the entry and field named
// (remove the check and its test fails).
#include <gtest/gtest.h>

#include "hallvote/protocol/ballot_challenge.h"
#include "hallvote/protocol/cast_ballot.h"
#include "session_bundle.h"
#include "vote_tamper.h"

namespace hallvote::vote_audit {
namespace {

using audit::EntryType;
using nlohmann::json;
using testing::expect_failure;
using testing::find_entry;
using testing::payload_of;
using testing::resign;
using testing::session_bundle;
using testing::set_payload;
using testing::verify_tampered;

bool in_v2(const json& p) { return p.value("vote_id", "") == "V2"; }

protocol::BallotDefinition v2_definition(const std::vector<audit::Entry>& entries) {
  const auto prepared = payload_of(entries[find_entry(entries, EntryType::ballot_prepared, in_v2)]);
  return protocol::BallotDefinition::from_json(prepared["definition"].get<std::string>()).value();
}

// 赞成 on item 1, 反对 on item 2.
protocol::Choices some_choices() { return {{1, 0, 0}, {0, 1, 0}}; }

// A challenge of `deputy`'s ballot encrypting `choices`, signed by `signer`'s card, revealing `revealed` with
// the ballot's true nonces, at `terminal`.
struct Challenge {
  protocol::BallotChallenged event;
  protocol::CastBallot ballot;
};
Challenge make_challenge(const std::vector<audit::Entry>& entries, const std::string& deputy,
                         const std::string& terminal, const protocol::Choices& choices,
                         const protocol::Choices& revealed, const std::string& signer) {
  const auto& hall = *session_bundle().hall;
  const auto definition = v2_definition(entries);
  crypto::DeterministicRandom random(7);
  protocol::BallotNonces nonces;
  auto ballot = protocol::encrypt_ballot(definition, deputy, hall.deputy_keys.at(deputy).verify_key(), choices,
                                         random, &nonces)
                    .value();
  const crypto::Bytes bytes = ballot.encode();
  const auto signature = hall.deputy_keys.at(signer).sign(protocol::cast_signing_message(bytes));
  return {protocol::BallotChallenged{"V2", definition.shape.round, deputy, terminal,
                                     protocol::ballot_hash(bytes, signature), bytes, signature,
                                     protocol::reveal(revealed, nonces)},
          std::move(ballot)};
}

// An entry like `model` (the server's) holding `event`.
template <typename Event>
audit::Entry entry_of(const audit::Entry& model, const Event& event) {
  audit::Entry e = model;
  e.type = Event::kType;
  e.payload = protocol::encode(event);
  return e;
}

// The V2 ballot_issued entry of a deputy who took the ballot and did not vote (a challenge fits right after
// it).
std::size_t issue_without_cast(const std::vector<audit::Entry>& entries) {
  for (std::size_t n = 0;; ++n) {
    const std::size_t at = find_entry(entries, EntryType::ballot_issued, in_v2, n);
    const std::string deputy = payload_of(entries[at])["deputy_id"];
    bool cast = false;
    for (const auto& e : entries) {
      if (e.type != EntryType::ballot_cast) continue;
      const json p = payload_of(e);
      cast = cast || (in_v2(p) && p["deputy_id"] == deputy);
    }
    if (!cast) return at;
  }
}

// Inserts, right after the V2 issue to a deputy who did not vote, a challenge made by `make` (given the
// deputy and the terminal the ballot was issued at); returns the new entry's index.
std::size_t insert_challenge(
    std::vector<audit::Entry>& entries,
    const std::function<protocol::BallotChallenged(const std::string&, const std::string&)>& make) {
  const std::size_t issue = issue_without_cast(entries);
  const json issued = payload_of(entries[issue]);
  const auto event = make(issued["deputy_id"], issued["terminal_id"]);
  entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(issue + 1), entry_of(entries[issue], event));
  return issue + 1;
}

// The session's own challenge (a deputy checked a V2 ballot, then cast another): verified, never counted.
TEST(ChallengeAudit, TheSessionsChallengeVerifiesAndIsNeverCounted) {
  const auto& s = session_bundle();
  const SessionReport report = verify_session(s.bundle, SessionVerifyOptions{});
  ASSERT_TRUE(report.ok()) << (report.votes ? testing::describe(*report.votes) : "log level failed");
  EXPECT_EQ(report.votes->challenged, 1u);
  const RoundSummary& v2 = report.votes->votes[1].rounds[0];
  EXPECT_EQ(v2.challenged, 1u);
  EXPECT_EQ(v2.returned, testing::kV2Casts);  // the deputy who checked a ballot returned one: the cast one
}

// A lying seat: the entry's opened choices are not the ones its ballot encrypts.
TEST(ChallengeAudit, TheLoggedChallengeWithOtherChoicesIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::ballot_challenged);
    json p = payload_of(entries[at]);
    std::swap(p["choices"][0][0], p["choices"][0][1]);
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "ballot.challenge", at, "payload.nonces");
}

TEST(ChallengeAudit, OpenedChoicesThatTheBallotDoesNotEncryptAreCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = insert_challenge(entries, [&](const std::string& deputy, const std::string& terminal) {
      // A lying seat: it encrypted 反对 on item 1 and opens it as the 赞成 the deputy saw.
      return make_challenge(entries, deputy, terminal, {{0, 1, 0}, {0, 1, 0}}, some_choices(), deputy).event;
    });
  });
  expect_failure(verify_tampered(bundle), "ballot.challenge", at, "payload.nonces");
}

TEST(ChallengeAudit, AChallengedBallotLaterCountedIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    protocol::BallotChallenged challenged;
    const std::size_t inserted =
        insert_challenge(entries, [&](const std::string& deputy, const std::string& t) {
          challenged = make_challenge(entries, deputy, t, some_choices(), some_choices(), deputy).event;
          return challenged;
        });
    // The server then records the very same ballot as the deputy's cast.
    const protocol::BallotCast cast{"V2",
                                    challenged.round,
                                    challenged.deputy_id,
                                    challenged.terminal_id,
                                    challenged.ballot_hash,
                                    challenged.ballot,
                                    challenged.signature};
    at = inserted + 1;
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(at), entry_of(entries[inserted], cast));
  });
  expect_failure(verify_tampered(bundle), "ballot.challenge", at, "payload.ballot_hash");
}

TEST(ChallengeAudit, ACastHoldingACiphertextOfAChallengedBallotIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    Challenge challenged;
    const std::size_t inserted =
        insert_challenge(entries, [&](const std::string& deputy, const std::string& t) {
          challenged = make_challenge(entries, deputy, t, some_choices(), some_choices(), deputy);
          return challenged.event;
        });
    // A new ballot of the same deputy that reuses the challenged ballot's first item (its nonces are public).
    const std::string& deputy = challenged.event.deputy_id;
    const auto& key = session_bundle().hall->deputy_keys.at(deputy);
    crypto::DeterministicRandom random(8);
    auto ballot = protocol::encrypt_ballot(v2_definition(entries), deputy, key.verify_key(),
                                           {{1, 0, 0}, {0, 0, 1}}, random)
                      .value();
    ballot.contests[0] = challenged.ballot.contests[0];
    const crypto::Bytes bytes = ballot.encode();
    const auto signature = key.sign(protocol::cast_signing_message(bytes));
    const protocol::BallotCast cast{"V2",
                                    challenged.event.round,
                                    deputy,
                                    challenged.event.terminal_id,
                                    protocol::ballot_hash(bytes, signature),
                                    bytes,
                                    signature};
    at = inserted + 1;
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(at), entry_of(entries[inserted], cast));
  });
  expect_failure(verify_tampered(bundle), "ballot.challenge", at, "payload.ballot");
}

TEST(ChallengeAudit, AChallengeAfterTheDeputysCastIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    const std::size_t cast = find_entry(entries, EntryType::ballot_cast, in_v2, 4);
    const json p = payload_of(entries[cast]);
    const auto event = make_challenge(entries, p["deputy_id"], p["terminal_id"], some_choices(), some_choices(),
                                      p["deputy_id"])
                           .event;
    at = cast + 1;
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(at), entry_of(entries[cast], event));
  });
  expect_failure(verify_tampered(bundle), "ballot.challenge", at, "payload.deputy_id");
}

TEST(ChallengeAudit, AChallengeSignedByAnotherCardIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = insert_challenge(entries, [&](const std::string& deputy, const std::string& terminal) {
      const auto& hall = *session_bundle().hall;
      const std::string other = deputy == hall.deputy(0).id ? hall.deputy(1).id : hall.deputy(0).id;
      return make_challenge(entries, deputy, terminal, some_choices(), some_choices(), other).event;
    });
  });
  expect_failure(verify_tampered(bundle), "ballot.challenge", at, "payload.signature");
}

TEST(ChallengeAudit, AChallengeAtAnotherSeatIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = insert_challenge(entries, [&](const std::string& deputy, const std::string& terminal) {
      return make_challenge(entries, deputy, terminal + "X", some_choices(), some_choices(), deputy).event;
    });
  });
  expect_failure(verify_tampered(bundle), "ballot.challenge", at, "payload.terminal_id");
}

TEST(ChallengeAudit, TheSameChallengeLoggedTwiceIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    const std::size_t first = insert_challenge(entries, [&](const std::string& deputy, const std::string& t) {
      return make_challenge(entries, deputy, t, some_choices(), some_choices(), deputy).event;
    });
    at = first + 1;
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(at), entries[first]);
  });
  expect_failure(verify_tampered(bundle), "ballot.challenge", at, "payload.ballot_hash");
}

}  // namespace
}  // namespace hallvote::vote_audit
