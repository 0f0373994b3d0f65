// A real session's export bundle for the vote-level verifier's tests, built once per test binary with the hall
// fixture (tests/ballot-server/hall_server_fixture.h): 36 deputies signed in; vote V1 (差额 4选3) in two rounds
// — round 1 adopts two projects and calls a shortfall run-off, certified by every scrutineer and 3 presidium
// members, which opens round 2 — and vote V2 (逐项, replacement allowed) where one deputy first checks a ballot
// (核验此票: a ballot_challenged entry, never counted) and three deputies change their ballot; every round
// tallied, decrypted by k trustees and certified; the last checkpoint cosigned by the key committee.
//
// And a dishonest server: resign() changes a bundle's entries and re-signs everything after them — entry
// signatures, the chain, every checkpoint's root and signature, and the cosignatures with the officials' keys —
// so that the log-level checks pass and only the vote-level checks can notice.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>

#include "hall_server_fixture.h"
#include "hallvote/protocol/ballot_challenge.h"
#include "hallvote/protocol/certification.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/entry.h"

namespace hallvote::vote_audit::testing {

using nlohmann::json;
using server::testing::Hall;
using server::testing::pick;

inline constexpr std::size_t kSeated = 36;
inline constexpr std::size_t kV1Round1Casts = 34;  // 2 of the 36 take the ballot and do not vote (未按)
inline constexpr std::size_t kV2Casts = 30;
inline constexpr std::size_t kV2Changes = 3;

struct SessionBundle {
  std::unique_ptr<Hall> hall;
  audit::Bundle bundle;
};

// Every deputy in `who` takes the ballot of the open vote; those for whom `choose` gives choices cast them.
inline void vote(
    Hall& hall, const std::string& vote_id, const std::vector<std::size_t>& who,
    const std::function<std::optional<protocol::Choices>(std::size_t n, const protocol::BallotDefinition&)>&
        choose) {
  for (std::size_t n = 0; n < who.size(); ++n) {
    const auto ballot = hall.fetch(who[n]);
    auto choices = choose(n, ballot.definition);
    if (!choices) continue;
    auto sent = hall.send(who[n], vote_id, hall.make_cast(who[n], ballot.definition, *choices));
    ASSERT_TRUE(sent.ok) << sent.detail;
  }
}

// 核验此票: deputy `i` takes the open vote's ballot and challenges one encrypting `choices`; the server checks
// the reveal and logs it (ballot_challenged), never to be counted. The deputy may then vote like anyone else.
inline void challenge(Hall& hall, std::size_t i, const std::string& vote_id, const protocol::Choices& choices) {
  const auto definition = hall.fetch(i).definition;
  const auto& key = hall.deputy_keys.at(hall.deputy(i).id);
  protocol::BallotNonces nonces;
  auto ballot =
      protocol::encrypt_ballot(definition, hall.deputy(i).id, key.verify_key(), choices, hall.random, &nonces);
  ASSERT_TRUE(ballot) << ballot.error().message();
  const crypto::Bytes bytes = ballot->encode();
  const protocol::ChallengeReveal reveal = protocol::reveal(choices, nonces);
  auto answer = hall.call(Hall::terminal(i), protocol::MessageType::challenge_ballot,
                          {{"vote_id", vote_id},
                           {"ballot", crypto::to_hex(bytes)},
                           {"signature", crypto::to_hex(key.sign(protocol::cast_signing_message(bytes)))},
                           {"choices", reveal.choices_json()},
                           {"nonces", reveal.nonces_json()}});
  ASSERT_TRUE(answer.ok) << answer.detail;
}

// Closes the vote (the server tallies) and has the first k trustees decrypt; returns the result.
inline json close_and_decrypt(Hall& hall, const std::string& vote_id) {
  auto closed = hall.call(Hall::chair(), protocol::MessageType::close_vote, {{"vote_id", vote_id}});
  EXPECT_TRUE(closed.ok) << closed.detail;
  return hall.decrypt(vote_id).body.value("result", json());
}

// The certification signature of `official` over the vote's latest result.
inline crypto::Signature certification_signature(const Hall& hall, const std::string& vote_id,
                                                 std::uint32_t round, std::uint64_t result_sequence,
                                                 const protocol::ResultHash& result_hash,
                                                 const session::Official& official) {
  return hall.official_keys.at(official.id)
      .sign(protocol::certification_message(hall.session.info.id, vote_id, round, result_sequence, result_hash,
                                            official.id, session::to_string(official.role)));
}

// Every scrutineer, then q presidium members, certify the vote's latest result (protocol/certification.h).
inline void certify(Hall& hall, const std::string& vote_id) {
  auto result = hall.call(Hall::chair(), protocol::MessageType::result, {{"vote_id", vote_id}});
  ASSERT_TRUE(result.ok) << result.detail;
  const auto round = result.body["result"]["round"].get<std::uint32_t>();
  const auto sequence = result.body["result_sequence"].get<std::uint64_t>();
  const auto hash = crypto::from_hex_fixed<32>(result.body["result_hash"].get<std::string>()).value();
  const auto& committee = hall.session.key_committee;
  std::vector<const session::Official*> order;
  for (const auto& m : committee.members) {
    if (m.role != session::OfficialRole::presidium_member) order.push_back(&m);
  }
  std::uint32_t presidium = 0;
  for (const auto& m : committee.members)
    presidium += m.role == session::OfficialRole::presidium_member ? 1u : 0u;
  std::uint32_t q = std::min(committee.quorum, presidium);
  for (const auto& m : committee.members) {
    if (m.role == session::OfficialRole::presidium_member && q > 0) {
      order.push_back(&m);
      --q;
    }
  }
  for (const auto* official : order) {
    const auto signature = certification_signature(hall, vote_id, round, sequence, hash, *official);
    auto answer = hall.call({official->id, protocol::Role::presidium}, protocol::MessageType::certify,
                            {{"vote_id", vote_id},
                             {"round", round},
                             {"official_id", official->id},
                             {"result_sequence", sequence},
                             {"result_hash", crypto::to_hex(hash)},
                             {"signature", crypto::to_hex(signature)}});
    ASSERT_TRUE(answer.ok) << official->id << ": " << answer.detail;
  }
}

// Every member cosigns a checkpoint covering the whole log.
inline void cosign_latest(Hall& hall) {
  const auto& members = hall.session.key_committee.members;
  auto checkpoint = hall.call({members[0].id, protocol::Role::presidium}, protocol::MessageType::checkpoint);
  ASSERT_TRUE(checkpoint.ok) << checkpoint.detail;
  auto note = audit::parse_note(checkpoint.body["note"].get<std::string>()).value();
  const auto size = audit::Checkpoint::parse(note.text).value().size;
  for (const auto& member : members) {
    const auto signature = audit::cosign_note(note.text, hall.cosigner_name(member.id),
                                              hall.official_keys.at(member.id), 1'700'000'000);
    auto done = hall.call({member.id, protocol::Role::presidium}, protocol::MessageType::cosign,
                          {{"size", size},
                           {"name", signature.name},
                           {"key_id", signature.key_id},
                           {"signature", crypto::to_hex(signature.signature)}});
    ASSERT_TRUE(done.ok) << done.detail;
  }
}

inline void build_session(SessionBundle& out) {
  out.hall = std::make_unique<Hall>("jianchi-township.toml", /*cosigners=*/true);
  Hall& hall = *out.hall;
  std::vector<std::size_t> seated;
  hall.seat(kSeated, &seated);
  ASSERT_EQ(seated.size(), kSeated);

  // V1 round 1: projects 0 and 1 by all 34 voters, 2 and 3 by 17 each: two adopted, a shortfall of one place.
  hall.open_vote("V1");
  vote(hall, "V1", seated,
       [](std::size_t n, const protocol::BallotDefinition& d) -> std::optional<protocol::Choices> {
         if (n >= kV1Round1Casts) return std::nullopt;
         return pick(d, {0, 1, n % 2 == 0 ? 2u : 3u});
       });
  const json first = close_and_decrypt(hall, "V1");
  ASSERT_TRUE(first.contains("next_round")) << first.dump();
  certify(hall, "V1");  // completes round 1 and opens round 2

  // V1 round 2 (the run-off for the last place): 26 for the first item, 8 for the second.
  hall.open_vote("V1");
  vote(hall, "V1", seated,
       [](std::size_t n, const protocol::BallotDefinition& d) -> std::optional<protocol::Choices> {
         if (n >= kV1Round1Casts) return std::nullopt;
         return pick(d, {n < 26 ? 0u : 1u});
       });
  const json second = close_and_decrypt(hall, "V1");
  ASSERT_TRUE(second.value("decided", false)) << second.dump();
  certify(hall, "V1");

  // V2: 30 deputies vote on both items; three of them change their ballot (the last one counts).
  hall.open_vote("V2");
  auto per_item = [](std::size_t n) {
    protocol::Choices c(2, std::vector<std::uint8_t>(3, 0));
    c[0][n % 3] = 1;
    c[1][n % 4 == 3 ? 2 : 0] = 1;
    return c;
  };
  challenge(hall, seated[0], "V2", per_item(1));  // other choices than the ones this deputy then casts
  vote(hall, "V2", seated,
       [&](std::size_t n, const protocol::BallotDefinition&) -> std::optional<protocol::Choices> {
         if (n >= kV2Casts) return std::nullopt;
         return per_item(n);
       });
  for (std::size_t n = 0; n < kV2Changes; ++n) {
    const auto ballot = hall.fetch(seated[n]);
    auto sent = hall.send(seated[n], "V2", hall.make_cast(seated[n], ballot.definition, per_item(n + 1)));
    ASSERT_TRUE(sent.ok) << sent.detail;
  }
  close_and_decrypt(hall, "V2");
  certify(hall, "V2");
  cosign_latest(hall);
  auto bundle = hall.log->export_bundle();
  ASSERT_TRUE(bundle) << bundle.error().message();
  out.bundle = std::move(*bundle);
}

// The session, built by the first test that asks for it (the fixture names its directory after that test).
inline const SessionBundle& session_bundle() {
  static SessionBundle built;
  if (!built.hall) {
    build_session(built);
    if (::testing::Test::HasFatalFailure()) std::abort();
  }
  return built;
}

// --- the dishonest server ---

inline std::vector<audit::Entry> decoded(const audit::Bundle& bundle) {
  std::vector<audit::Entry> out;
  for (const auto& bytes : bundle.entries) out.push_back(audit::decode(bytes).value());
  return out;
}

inline json payload_of(const audit::Entry& e) { return json::parse(e.payload); }
inline void set_payload(audit::Entry& e, const json& payload) { e.payload = payload.dump(); }

// The index of the n-th entry (0-based) of `type` whose payload satisfies `match`.
inline std::size_t find_entry(const std::vector<audit::Entry>& entries, audit::EntryType type,
                              const std::function<bool(const json&)>& match = {}, std::size_t n = 0) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].type != type) continue;
    if (match && !match(payload_of(entries[i]))) continue;
    if (n-- == 0) return i;
  }
  ADD_FAILURE() << "no such entry";
  return 0;
}

// Applies `edit` to the decoded entries (change payloads, insert, erase), then re-signs the whole log as the
// server: sequence numbers, previous hashes and signatures of every entry, a checkpoint at each original size
// (capped to the new length) and one covering everything, the last cosigned by every listed cosigner.
inline audit::Bundle resign(const SessionBundle& session,
                            const std::function<void(std::vector<audit::Entry>&)>& edit) {
  const Hall& hall = *session.hall;
  std::vector<audit::Entry> entries = decoded(session.bundle);
  edit(entries);
  audit::Bundle out = session.bundle;
  out.entries.clear();
  out.checkpoints.clear();
  audit::Hash previous{};
  audit::MerkleTree tree;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    audit::Entry& e = entries[i];
    EXPECT_EQ(e.actor, "server");
    e.sequence = i;
    e.previous = previous;
    audit::sign_entry(e, hall.server_key);
    out.entries.push_back(audit::encode(e));
    previous = audit::entry_hash(out.entries.back());
    tree.append(audit::leaf_hash(out.entries.back()));
  }
  std::vector<std::uint64_t> sizes;
  for (const auto& note_text : session.bundle.checkpoints) {
    const auto size = std::min<std::uint64_t>(
        audit::Checkpoint::parse(audit::parse_note(note_text).value().text).value().size, entries.size());
    if (sizes.empty() || size > sizes.back()) sizes.push_back(size);
  }
  if (sizes.empty() || sizes.back() != entries.size()) sizes.push_back(entries.size());
  for (std::uint64_t size : sizes) {
    const audit::Checkpoint checkpoint{out.log_key.name, size, tree.root(size).value()};
    audit::Note note{checkpoint.text(),
                     {audit::sign_note(checkpoint.text(), out.log_key.name, hall.server_key)}};
    if (size == entries.size()) {
      for (const auto& cosigner : out.cosigners) {
        for (const auto& member : hall.session.key_committee.members) {
          if (hall.cosigner_name(member.id) != cosigner.name) continue;
          note.signatures.push_back(
              audit::cosign_note(note.text, cosigner.name, hall.official_keys.at(member.id), 1'700'000'100));
        }
      }
    }
    out.checkpoints.push_back(note.format());
  }
  return out;
}

}  // namespace hallvote::vote_audit::testing
