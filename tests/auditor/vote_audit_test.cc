#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "hallvote/auditor/errors.h"
#include "hallvote/auditor/records_check.h"
#include "hallvote/auditor/verifier.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/records/regenerate.h"
#include "session_bundle.h"
#include "vote_tamper.h"

namespace hallvote::vote_audit {
namespace {

using audit::EntryType;
using nlohmann::json;
using testing::describe;
using testing::expect_failure;
using testing::find_entry;
using testing::payload_of;
using testing::resign;
using testing::session_bundle;
using testing::set_payload;
using testing::verify_tampered;

bool is_vote(const json& payload, const std::string& vote) { return payload.value("vote_id", "") == vote; }

// --- a clean session ---

TEST(VoteAudit, CleanSessionVerifiesEveryVoteAndCountsWhatItChecked) {
  const auto& s = session_bundle();
  SessionVerifyOptions options;
  std::uint64_t progress_calls = 0;
  options.votes.progress = [&](std::string_view, std::uint64_t done, std::uint64_t total) {
    EXPECT_LE(done, total);
    ++progress_calls;
  };
  const SessionReport report = verify_session(s.bundle, options);
  ASSERT_TRUE(report.log.ok());
  ASSERT_TRUE(report.votes);
  const VoteReport& votes = *report.votes;
  ASSERT_TRUE(votes.ok()) << describe(votes);
  EXPECT_TRUE(report.ok());
  EXPECT_GT(progress_calls, 0u);
  EXPECT_EQ(votes.session_id, "jianchi-19-3");
  EXPECT_EQ(votes.entries, s.bundle.entries.size());
  EXPECT_EQ(votes.sign_ins, testing::kSeated);
  EXPECT_EQ(votes.definitions, 3u);
  EXPECT_EQ(votes.approvals, 3u * s.hall->session.key_committee.quorum);
  EXPECT_EQ(votes.ballots, 2 * testing::kV1Round1Casts + testing::kV2Casts + testing::kV2Changes);
  EXPECT_EQ(votes.shares, 3u * s.hall->session.key_committee.quorum);
  EXPECT_EQ(votes.results, 3u);
  EXPECT_EQ(votes.certifications, 3u * 6u);  // 3 scrutineers and min(k = 4, 3 presidium members) per round

  ASSERT_EQ(votes.votes.size(), 2u);
  const VoteSummary& v1 = votes.votes[0];
  EXPECT_EQ(v1.vote_id, "V1");
  ASSERT_EQ(v1.rounds.size(), 2u);
  const RoundSummary& r1 = v1.rounds[0];
  EXPECT_EQ(r1.state, "certified");
  EXPECT_EQ(r1.in_office, s.hall->session.deputies_in_office());
  EXPECT_EQ(r1.present, testing::kSeated);
  EXPECT_EQ(r1.issued, testing::kSeated);
  EXPECT_EQ(r1.returned, testing::kV1Round1Casts);
  EXPECT_EQ(r1.valid, testing::kV1Round1Casts);
  EXPECT_EQ(r1.invalid, 0u);
  EXPECT_EQ(r1.no_ballot, testing::kSeated - testing::kV1Round1Casts);
  EXPECT_EQ(r1.ballots_verified, testing::kV1Round1Casts);
  EXPECT_EQ(r1.totals, (std::vector<std::vector<std::uint32_t>>{{34, 34, 17, 17}}));
  EXPECT_EQ(r1.shares.size(), s.hall->session.key_committee.quorum);
  EXPECT_EQ(r1.decrypted_by, r1.shares);
  EXPECT_EQ(r1.certified_by, (std::vector<std::string>{"C01", "S01", "S02", "P01", "P02", "P03"}));
  EXPECT_TRUE(r1.certified);
  EXPECT_TRUE(r1.result_checked);
  EXPECT_EQ(v1.rounds[1].totals, (std::vector<std::vector<std::uint32_t>>{{26, 8}}));
  EXPECT_TRUE(v1.rounds[1].certified);

  const VoteSummary& v2 = votes.votes[1];
  ASSERT_EQ(v2.rounds.size(), 1u);
  EXPECT_EQ(v2.rounds[0].returned, testing::kV2Casts);
  EXPECT_EQ(v2.rounds[0].ballots_verified, testing::kV2Casts + testing::kV2Changes);
  EXPECT_TRUE(v2.rounds[0].certified);

  const std::string text = render_text(votes);
  EXPECT_NE(text.find("通过 / PASSED"), std::string::npos) << text;
  EXPECT_NE(text.find("发出 36  收回 34"), std::string::npos) << text;
  const json j = to_json(votes);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["votes"][0]["rounds"][0]["certified_by"][0], "C01");
  EXPECT_FALSE(j.contains("failure"));
}

// --final: a finished session must have every vote decided and certified. The clean session is; the same log
// cut before its last certification is a session still running — it verifies, but not as finished.
TEST(VoteAudit, FinalNeedsEveryVoteDecidedAndCertified) {
  const auto& s = session_bundle();
  SessionVerifyOptions final_options;
  final_options.votes.final = true;
  const SessionReport finished = verify_session(s.bundle, final_options);
  ASSERT_TRUE(finished.ok()) << (finished.votes ? describe(*finished.votes) : "log level failed");

  const audit::Bundle running = resign(s, [](std::vector<audit::Entry>& entries) {
    std::size_t last = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].type == EntryType::certification) last = i;
    }
    entries.resize(last);
  });
  EXPECT_TRUE(verify_tampered(running).ok());
  const SessionReport unfinished = verify_session(running, final_options);
  ASSERT_TRUE(unfinished.log.ok());
  ASSERT_TRUE(unfinished.votes);
  ASSERT_FALSE(unfinished.votes->ok());
  EXPECT_EQ(unfinished.votes->failure->check, "session.final") << describe(*unfinished.votes);
  EXPECT_EQ(unfinished.votes->failure->number, "13.18");
}

TEST(VoteAudit, OneThreadGivesTheSameReport) {
  const auto& s = session_bundle();
  VoteVerifyOptions one;
  one.threads = 1;
  const VoteReport a = verify_votes(s.bundle, one);
  const VoteReport b = verify_votes(s.bundle);
  ASSERT_TRUE(a.ok()) << describe(a);
  EXPECT_EQ(to_json(a), to_json(b));
}

TEST(VoteAudit, LogLevelFailureSkipsTheVoteLevel) {
  auto bundle = session_bundle().bundle;
  bundle.entries[5][40] ^= 1;
  const SessionReport report = verify_session(bundle);
  EXPECT_FALSE(report.log.ok());
  EXPECT_FALSE(report.votes);
  EXPECT_FALSE(report.ok());
  SessionVerifyOptions log_only;
  log_only.log_only = true;
  EXPECT_FALSE(verify_session(session_bundle().bundle, log_only).votes);
}

// --- a dishonest server: each change re-signed so that only the vote level catches it ---

TEST(VoteAudit, AnOlderLogWithoutTheSessionRecordFailsTheSessionDefinition) {
  const auto bundle = resign(session_bundle(), [](std::vector<audit::Entry>& entries) {
    json p = payload_of(entries[0]);
    p.erase("session");
    set_payload(entries[0], p);
  });
  const VoteReport report = verify_tampered(bundle);
  expect_failure(report, "session.definition", 0, "payload.session");
  EXPECT_EQ(report.failure->error.code, VoteAuditErrc::missing_session);
  EXPECT_NE(report.failure->error.message().find("session record"), std::string::npos) << describe(report);
}

TEST(VoteAudit, ASwappedCiphertextFailsTheBallotProofs) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    const auto prepared = payload_of(entries[find_entry(entries, EntryType::ballot_prepared)]);
    const auto definition =
        protocol::BallotDefinition::from_json(prepared["definition"].get<std::string>()).value();
    at = find_entry(
        entries, EntryType::ballot_cast, [](const json& p) { return is_vote(p, "V1"); }, 3);
    json p = payload_of(entries[at]);
    auto ballot =
        protocol::CastBallot::decode(crypto::from_hex(p["ballot"].get<std::string>()).value(), definition)
            .value();
    std::swap(ballot.contests[0].selections[0], ballot.contests[0].selections[2]);
    p["ballot"] = crypto::to_hex(ballot.encode());
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "ballot.proofs", at, "payload.ballot");
}

TEST(VoteAudit, ABallotSignedByAnotherCardFailsTheSignature) {
  const auto& s = session_bundle();
  std::uint64_t at = 0;
  const auto bundle = resign(s, [&](std::vector<audit::Entry>& entries) {
    at = find_entry(
        entries, EntryType::ballot_cast, [](const json& p) { return is_vote(p, "V1"); }, 5);
    json p = payload_of(entries[at]);
    const auto ballot = crypto::from_hex(p["ballot"].get<std::string>()).value();
    const std::string other =
        p["deputy_id"] == s.hall->deputy(0).id ? s.hall->deputy(1).id : s.hall->deputy(0).id;
    const auto signature = s.hall->deputy_keys.at(other).sign(protocol::cast_signing_message(ballot));
    p["signature"] = crypto::to_hex(signature);
    p["ballot_hash"] = crypto::to_hex(protocol::ballot_hash(ballot, signature));
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "ballot.signature", at, "payload.signature");
}

TEST(VoteAudit, AChangedBallotHashFailsTheHashCheck) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::ballot_cast, {}, 7);
    json p = payload_of(entries[at]);
    std::string hash = p["ballot_hash"];
    hash[0] = hash[0] == '0' ? '1' : '0';
    p["ballot_hash"] = hash;
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "ballot.hash", at, "payload.ballot_hash");
}

TEST(VoteAudit, ASecondCountedBallotWithoutReplacementIsCaught) {
  const auto& s = session_bundle();
  std::uint64_t at = 0;
  const auto bundle = resign(s, [&](std::vector<audit::Entry>& entries) {
    // The deputy's card signed a second, different ballot; the server records it as well.
    const std::size_t first = find_entry(
        entries, EntryType::ballot_cast, [](const json& p) { return is_vote(p, "V1"); }, 2);
    json p = payload_of(entries[first]);
    const auto prepared = payload_of(entries[find_entry(entries, EntryType::ballot_prepared)]);
    const auto definition =
        protocol::BallotDefinition::from_json(prepared["definition"].get<std::string>()).value();
    const std::string deputy = p["deputy_id"];
    const auto& key = s.hall->deputy_keys.at(deputy);
    crypto::DeterministicRandom random(5);
    const auto ballot =
        protocol::encrypt_ballot(definition, deputy, key.verify_key(), testing::pick(definition, {3}), random)
            .value()
            .encode();
    const auto signature = key.sign(protocol::cast_signing_message(ballot));
    p["ballot"] = crypto::to_hex(ballot);
    p["signature"] = crypto::to_hex(signature);
    p["ballot_hash"] = crypto::to_hex(protocol::ballot_hash(ballot, signature));
    audit::Entry second = entries[first];
    set_payload(second, p);
    at = first + 1;
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(at), second);
  });
  expect_failure(verify_tampered(bundle), "ballot.one_per_credential", at, "payload.deputy_id");
}

TEST(VoteAudit, ACastWithoutIssueIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    const std::size_t issue = find_entry(
        entries, EntryType::ballot_issued, [](const json& p) { return is_vote(p, "V1"); }, 4);
    const std::string deputy = payload_of(entries[issue])["deputy_id"];
    entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(issue));
    at = find_entry(entries, EntryType::ballot_cast, [&](const json& p) { return p["deputy_id"] == deputy; });
  });
  expect_failure(verify_tampered(bundle), "ballot.issued", at, "payload.deputy_id");
}

// 闭会 (docs/protocol.md §4.3.9): a session_closed entry at the end of the log verifies; one while a vote is
// open is refused at that entry.
TEST(VoteAudit, TheSessionClosesOnlyWithNoVoteOpen) {
  const auto entry_of_type = [](const audit::Entry& like, EntryType type, const json& payload) {
    audit::Entry e = like;
    e.type = type;
    set_payload(e, payload);
    return e;
  };
  const std::string session_id = session_bundle().hall->session.info.id;
  const auto closed_at_end = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    entries.push_back(entry_of_type(entries.back(), EntryType::session_closed, {{"session_id", session_id}}));
  });
  const auto clean = verify_tampered(closed_at_end);
  EXPECT_TRUE(clean.ok()) << describe(clean);

  std::uint64_t at = 0;
  const auto closed_while_open = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    const std::size_t opened =
        find_entry(entries, EntryType::vote_opened, [](const json& p) { return is_vote(p, "V1"); });
    at = opened + 1;
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(at),
                   entry_of_type(entries[opened], EntryType::session_closed, {{"session_id", session_id}}));
  });
  expect_failure(verify_tampered(closed_while_open), "state.transition", at, "payload.session_id");
}

TEST(VoteAudit, AChangedCountInTheResultFailsTheDecryption) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::result);
    json p = payload_of(entries[at]);
    p["outcome"]["totals"][0][2] = p["outcome"]["totals"][0][2].get<std::uint32_t>() + 1;
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "round.decryption", at, "payload.outcome.totals[0][2]");
}

TEST(VoteAudit, ChangedIssuedOrReturnedFailTheReconciliation) {
  for (const char* field : {"issued", "returned"}) {
    std::uint64_t at = 0;
    const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
      at = find_entry(entries, EntryType::result, {}, 1);
      json p = payload_of(entries[at]);
      p["outcome"][field] = p["outcome"][field].get<std::uint32_t>() + 1;
      set_payload(entries[at], p);
    });
    expect_failure(verify_tampered(bundle), "round.reconciliation", at,
                   std::string("payload.outcome.") + field);
  }
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::vote_closed);
    json p = payload_of(entries[at]);
    p["ballots"] = p["ballots"].get<std::uint32_t>() - 1;
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "round.reconciliation", at, "payload.ballots");
}

TEST(VoteAudit, AChangedRuleOutcomeFailsTheResult) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::result);
    json p = payload_of(entries[at]);
    json& verdict = p["outcome"]["items"][2]["verdict"];
    verdict = verdict == "adopted" ? "not_adopted" : "adopted";  // a code the format allows, but not the rules
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "round.result", at, "payload.outcome.items[2].verdict");
}

TEST(VoteAudit, AChangedTallyFailsTheTally) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::tally);
    json p = payload_of(entries[at]);
    std::swap(p["ciphertexts"][0], p["ciphertexts"][2]);
    crypto::HashInput input("tally");
    for (const auto& c : p["ciphertexts"]) input.add(crypto::from_hex(c.get<std::string>()).value());
    p["tally_hash"] = crypto::to_hex(input.sha256());
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "round.tally", at, "payload.ciphertexts[0]");
}

TEST(VoteAudit, AnAlteredShareProofFailsTheShares) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::decryption_share, {}, 1);
    json p = payload_of(entries[at]);
    auto share =
        crypto::PartialDecryption::decode(crypto::from_hex(p["share"].get<std::string>()).value()).value();
    share.factors[1] += crypto::Point::generator();
    const auto bytes = share.encode();
    p["share"] = crypto::to_hex(bytes);
    p["share_hash"] = crypto::to_hex(crypto::sha256(bytes));
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "round.shares", at, "payload.share");
}

TEST(VoteAudit, AnAlteredCertificationSignatureIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::certification, {}, 2);
    json p = payload_of(entries[at]);
    std::string signature = p["signature"];
    signature[10] = signature[10] == 'a' ? 'b' : 'a';
    p["signature"] = signature;
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "round.certification", at, "payload.signature");
}

TEST(VoteAudit, ACertificationByANonMemberIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::certification, {}, 1);
    json p = payload_of(entries[at]);
    p["certifier"] = "X99";
    set_payload(entries[at], p);
  });
  const VoteReport report = verify_tampered(bundle);
  expect_failure(report, "round.certification", at, "payload.certifier");
  EXPECT_EQ(report.failure->error.code, VoteAuditErrc::unknown_name);
}

TEST(VoteAudit, ACertificationOverAnotherResultHashIsCaught) {
  const auto& s = session_bundle();
  std::uint64_t at = 0;
  const auto bundle = resign(s, [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::certification);
    json p = payload_of(entries[at]);
    // Validly signed by the official, but over a hash that is not the round's result entry.
    protocol::ResultHash other = crypto::from_hex_fixed<32>(p["result_hash"].get<std::string>()).value();
    other[0] ^= 0xff;
    const auto* official = s.hall->session.find_official(p["certifier"].get<std::string>());
    p["result_hash"] = crypto::to_hex(other);
    p["signature"] = crypto::to_hex(testing::certification_signature(
        *s.hall, "V1", 1, p["result_sequence"].get<std::uint64_t>(), other, *official));
    set_payload(entries[at], p);
  });
  expect_failure(verify_tampered(bundle), "round.certification", at, "payload.result_hash");
}

TEST(VoteAudit, APresidiumCertificationBeforeTheScrutineersIsCaught) {
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    const std::size_t first = find_entry(entries, EntryType::certification);
    const std::size_t presidium = find_entry(entries, EntryType::certification,
                                             [](const json& p) { return p["role"] == "presidium_member"; });
    std::swap(entries[first].payload, entries[presidium].payload);  // times stay in order
    at = first;
  });
  expect_failure(verify_tampered(bundle), "round.certification", at, "payload.certifier");
}

TEST(VoteAudit, TheFirstFailureInEntryOrderIsReportedWhateverTheThreads) {
  // A bad ballot early and a bad share later: the ballot is reported, with one thread or two.
  std::uint64_t at = 0;
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    at = find_entry(entries, EntryType::ballot_cast, {}, 40);
    json p = payload_of(entries[at]);
    std::string ballot = p["ballot"];
    ballot[ballot.size() - 10] = ballot[ballot.size() - 10] == '0' ? '1' : '0';
    p["ballot"] = ballot;
    set_payload(entries[at], p);
    const std::size_t share = find_entry(entries, EntryType::decryption_share, {}, 5);
    json q = payload_of(entries[share]);
    q["share_hash"] = std::string(64, '0');
    set_payload(entries[share], q);
  });
  for (unsigned threads : {1u, 2u}) {
    const VoteReport report = verify_tampered(bundle, threads);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.failure->entry, at) << describe(report);
    EXPECT_TRUE(report.failure->check == "ballot.proofs" || report.failure->check == "ballot.signature")
        << describe(report);
  }
}

// Hostile payloads: every field of one entry of each type (and of a result's outcome) replaced by values of the
// wrong kind. verify_votes reads the entries without their signatures, so the entries are changed in place.
TEST(VoteAudit, PayloadFieldsOfTheWrongKindAreNamedNeverThrown) {
  const auto& s = session_bundle();
  const std::vector<json> bad{
      nullptr, "", "zz", -1, 18446744073709551615ull, 1.5, json::object({{"a", 1}}), json::array({1})};
  const auto entries = testing::decoded(s.bundle);
  std::set<EntryType> seen;
  std::size_t variants = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!seen.insert(entries[i].type).second) continue;
    const json payload = payload_of(entries[i]);
    std::vector<std::pair<std::string, json>> targets;  // (field, changed payload)
    for (const auto& [key, value] : payload.items()) {
      for (const auto& v : bad) {
        json changed = payload;
        changed[key] = v;
        targets.emplace_back(key, changed);
      }
    }
    if (entries[i].type == EntryType::result) {
      for (const auto& [key, value] : payload["outcome"].items()) {
        json changed = payload;
        changed["outcome"][key] = "zz";
        targets.emplace_back("outcome." + key, changed);
      }
    }
    for (const auto& [field, changed] : targets) {
      if (changed == payload) continue;
      audit::Bundle bundle = s.bundle;
      audit::Entry e = entries[i];
      set_payload(e, changed);
      bundle.entries[i] = audit::encode(e);
      VoteReport report;
      EXPECT_NO_THROW(report = verify_votes(bundle)) << field;
      // Fields no check reads: the terminal's seat, a refusal's reason, the session's display title.
      const std::string type(audit::entry_type_name(static_cast<std::uint16_t>(entries[i].type)).value());
      if (!report.ok()) continue;
      EXPECT_TRUE(field == "seat" || field == "reason" || field == "title" || type == "cast_rejected" ||
                  type == "terminal_enrolled")
          << type << " " << field << " accepted";
    }
    variants += targets.size();
  }
  EXPECT_GT(variants, 300u);
}

// --- records ---

class VoteAuditRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("hallvote-vote-audit-records-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    auto files = records::regenerate_records(session_bundle().bundle);
    ASSERT_TRUE(files) << files.error().message();
    ASSERT_FALSE(files->empty());
    ASSERT_TRUE(records::write_records(*files, dir_));
    files_ = std::move(*files);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  VoteReport verify_with_records() {
    VoteVerifyOptions options;
    options.records_dir = dir_;
    return verify_votes(session_bundle().bundle, options);
  }

  std::filesystem::path dir_;
  std::vector<records::RecordFile> files_;
};

TEST_F(VoteAuditRecords, RecordsRegeneratedFromTheLogMatch) {
  const VoteReport report = verify_with_records();
  ASSERT_TRUE(report.ok()) << describe(report);
  ASSERT_TRUE(report.records);
  EXPECT_EQ(report.records->matched.size(), files_.size());
}

TEST_F(VoteAuditRecords, ARecordChangedByOneByteIsNamed) {
  const auto& target = files_.back();
  std::string bytes = target.bytes;
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
  std::ofstream(dir_ / target.name, std::ios::binary | std::ios::trunc) << bytes;
  const VoteReport report = verify_with_records();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure->check, "records.match");
  EXPECT_EQ(report.failure->field, target.name);
  EXPECT_EQ(report.failure->error.code, VoteAuditErrc::records_differ);
}

TEST_F(VoteAuditRecords, AMissingOrExtraRecordIsNamed) {
  std::filesystem::remove(dir_ / files_.front().name);
  VoteReport report = verify_with_records();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure->field, files_.front().name);
  EXPECT_NE(report.failure->error.detail.find("missing"), std::string::npos);
  SetUp();
  std::ofstream(dir_ / "forged.pdf") << "x";
  report = verify_with_records();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure->field, "forged.pdf");
}

}  // namespace
}  // namespace hallvote::vote_audit
