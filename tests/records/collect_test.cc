#include "hallvote/records/collect.h"

#include <gtest/gtest.h>

#include "hallvote/tlog/note.h"
#include "log_fixture.h"

namespace hallvote::records {
namespace {

using nlohmann::json;
using testing::make_log;
using testing::SyntheticLog;

Result<RecordSet> collect(const SyntheticLog& log) {
  return collect_records(log.session, log.entries, log.notes);
}

// Edits the payload of entry `sequence` with `edit`.
template <class Edit>
void edit_payload(SyntheticLog& log, std::uint64_t sequence, Edit edit) {
  json p = json::parse(log.entries.at(sequence).payload);
  edit(p);
  log.entries.at(sequence).payload = testing::dump(p);
}

void expect_error(const Result<RecordSet>& r, RecordsErrc code, const std::vector<std::string>& words) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, make_error_code(code)) << r.error().message();
  for (const std::string& w : words) EXPECT_NE(r.error().detail.find(w), std::string::npos) << r.error().detail;
}

TEST(CollectRecords, RecordsEveryDecidedAndCertifiedVote) {
  const SyntheticLog log = make_log();
  auto set = collect(log);
  ASSERT_TRUE(set.has_value()) << set.error().message();
  ASSERT_EQ(set->votes.size(), 3u);
  EXPECT_TRUE(set->pending.empty());
  EXPECT_EQ(set->session, &log.session);

  const VoteRecord& v1 = set->votes[0];
  EXPECT_EQ(v1.vote->id, "V1");
  ASSERT_EQ(v1.rounds.size(), 2u);
  EXPECT_EQ(v1.rounds[0].purpose_zh, "第一次投票");
  EXPECT_EQ(v1.rounds[1].purpose_zh, "再次投票（票数相等）");
  EXPECT_FALSE(v1.rounds[0].parsed.decided);
  EXPECT_TRUE(v1.rounds[1].parsed.decided);
  EXPECT_EQ(v1.rounds[0].parsed.items.size(), 13u);
  EXPECT_EQ(v1.rounds[1].parsed.items.size(), 2u);
  EXPECT_EQ(v1.rounds[1].parsed.adopted.size(), 10u);
  EXPECT_EQ(v1.rounds[1].parsed.adopted.back(), "HY2025-10");
  EXPECT_EQ(v1.rounds[0].parsed.valid, 236u);
  EXPECT_EQ(v1.rounds[0].parsed.invalid, 2u);
  EXPECT_EQ(v1.rounds[0].parsed.in_office, log.session.deputies_in_office());
  EXPECT_EQ(v1.rounds[0].parsed.items[0].title, "城区学校扩容");
  EXPECT_EQ(v1.rounds[0].parsed.items[9].verdict_zh, "进入再次投票");
  EXPECT_EQ(v1.rounds[0].parsed.decrypted_by.size(), log.session.key_committee.quorum);
  // Each round's closing entry and result entry are linked; the vote's date is the last round's closing.
  // Round 1: vote_closed, result, 7 certifications; then round 2's vote_closed.
  EXPECT_EQ(v1.rounds[1].closed_sequence, log.find(audit::EntryType::vote_closed, "V1") + 9);
  EXPECT_EQ(v1.date_ms, v1.rounds[1].closed_time_ms);
  EXPECT_EQ(v1.rounds[0].outcome, json::parse(log.entries[v1.rounds[0].result_sequence].payload)["outcome"]);
  EXPECT_EQ(v1.rounds[0].result_hash_hex,
            crypto::to_hex(audit::entry_hash(audit::encode(log.entries[v1.rounds[0].result_sequence]))));

  ASSERT_EQ(v1.signers.size(), 7u);  // the last round's: C01, S01–S03, then 3 of the 5 presidium members
  EXPECT_EQ(v1.signers[0].official_id, "C01");
  EXPECT_EQ(v1.signers[0].name, "姚光华");
  EXPECT_EQ(v1.signers[0].role, "chief_scrutineer");
  EXPECT_EQ(v1.signers[3].role, "scrutineer");
  EXPECT_EQ(v1.signers[4].role, "presidium_member");
  EXPECT_FALSE(v1.signers[5].complete);
  EXPECT_TRUE(v1.signers[6].complete);
  EXPECT_EQ(v1.certified_sequence, v1.signers[6].sequence);
  EXPECT_EQ(v1.rounds[0].signers.size(), 7u);

  EXPECT_EQ(set->votes[1].vote->id, "V2");
  EXPECT_EQ(set->votes[1].rounds[0].parsed.items[0].totals.size(), 4u);  // 满意/基本满意/不满意/弃权
  EXPECT_EQ(set->votes[2].vote->id, "V3");
  EXPECT_EQ(set->votes[2].rounds[0].parsed.adopted, std::vector<std::string>{"M-DECISION"});

  // The closing checkpoint is the note covering the last certification (the fixture's second note).
  EXPECT_EQ(set->closing.index, 1u);
  EXPECT_EQ(set->closing.size, log.entries.size());
  EXPECT_EQ(set->closing.origin, "hallvote.example/hanyin-18-3");
  EXPECT_EQ(set->closing.root_hex,
            crypto::to_hex(crypto::sha256(crypto::as_bytes("root of " + std::to_string(log.entries.size())))));
  EXPECT_EQ(set->closing.text, audit::parse_note(log.notes[1]).value().text);
  EXPECT_EQ(set->issued_time_ms, set->votes[2].certified_time_ms);
}

TEST(CollectRecords, LeavesOutAVoteWhoseLastRoundIsNotCertified) {
  const SyntheticLog log = make_log({.certify_v2 = false});
  auto set = collect(log);
  ASSERT_TRUE(set.has_value()) << set.error().message();
  ASSERT_EQ(set->votes.size(), 2u);
  ASSERT_EQ(set->pending.size(), 1u);
  EXPECT_EQ(set->pending[0].vote->id, "V2");
  EXPECT_EQ(set->pending[0].reason, "not_certified");
}

TEST(CollectRecords, LeavesOutUndecidedAndUnheldVotes) {
  SyntheticLog log = make_log({.include_v3 = false});
  // Cut the log after V1's first round and its certification: V1 awaits its run-off, V2 and V3 never ran.
  const std::uint64_t cut = log.find(audit::EntryType::result, "V1", 2) - 1;
  log.entries.resize(cut);
  auto set = collect(log);
  expect_error(set, RecordsErrc::nothing_certified, {"hanyin-18-3"});

  SyntheticLog full = make_log({.include_v3 = false});
  auto partial = collect(full);
  ASSERT_TRUE(partial.has_value()) << partial.error().message();
  ASSERT_EQ(partial->pending.size(), 1u);
  EXPECT_EQ(partial->pending[0].vote->id, "V3");
  EXPECT_EQ(partial->pending[0].reason, "not_held");

  // V1 undecided: drop round 2 and everything after it, but keep a covering note.
  SyntheticLog undecided = make_log();
  const std::uint64_t v1_round2 = undecided.find(audit::EntryType::vote_closed, "V1") + 5;  // 2nd close
  std::vector<audit::Entry> kept;
  for (const audit::Entry& e : undecided.entries) {
    const json p = json::parse(e.payload);
    if (p.value("vote_id", "") == "V1" && e.sequence >= v1_round2) continue;
    kept.push_back(e);
  }
  undecided.entries = kept;
  auto with_pending = collect(undecided);
  ASSERT_TRUE(with_pending.has_value()) << with_pending.error().message();
  ASSERT_EQ(with_pending->pending.size(), 1u);
  EXPECT_EQ(with_pending->pending[0].vote->id, "V1");
  EXPECT_EQ(with_pending->pending[0].reason, "undecided");
}

TEST(CollectRecords, ClosingCheckpointIsTheFirstNoteCoveringTheLastCertification) {
  SyntheticLog log = make_log();
  const std::uint64_t last_certification = log.entries.size() - 2;  // before session_closed
  ASSERT_EQ(log.entries[last_certification].type, audit::EntryType::certification);
  log.notes = {SyntheticLog::note(3), SyntheticLog::note(last_certification),  // size = sequence: not covered
               SyntheticLog::note(last_certification + 1), SyntheticLog::note(log.entries.size())};
  auto set = collect(log);
  ASSERT_TRUE(set.has_value()) << set.error().message();
  EXPECT_EQ(set->closing.index, 2u);
  EXPECT_EQ(set->closing.size, last_certification + 1);
}

TEST(CollectRecords, FailsWhenNoCheckpointCoversTheCertifications) {
  SyntheticLog log = make_log();
  const std::uint64_t last_certification = log.entries.size() - 2;
  log.notes = {SyntheticLog::note(3), SyntheticLog::note(last_certification)};
  expect_error(collect(log), RecordsErrc::not_checkpointed, {std::to_string(last_certification)});
  log.notes.clear();
  expect_error(collect(log), RecordsErrc::not_checkpointed, {"no entry"});
}

TEST(CollectRecords, RejectsAResultMissingAField) {
  SyntheticLog log = make_log();
  const std::uint64_t result = log.find(audit::EntryType::result, "V2", 1);
  edit_payload(log, result, [](json& p) { p["outcome"].erase("valid"); });
  expect_error(collect(log), RecordsErrc::malformed_payload,
               {"entry " + std::to_string(result) + " (result)", "payload.outcome.valid", "missing"});

  log = make_log();
  edit_payload(log, result, [](json& p) { p["outcome"]["items"][3]["totals"] = "many"; });
  expect_error(collect(log), RecordsErrc::malformed_payload, {"payload.outcome.items[3].totals"});

  log = make_log();
  edit_payload(log, result, [](json& p) { p["outcome"]["decided"] = 1; });
  expect_error(collect(log), RecordsErrc::malformed_payload, {"payload.outcome.decided"});

  log = make_log();
  edit_payload(log, result, [](json& p) { p.erase("outcome"); });
  expect_error(collect(log), RecordsErrc::malformed_payload, {"payload.outcome: missing"});

  log = make_log();
  log.entries[result].payload = "{not json";
  expect_error(collect(log), RecordsErrc::malformed_payload, {"entry " + std::to_string(result), "not a JSON"});
}

TEST(CollectRecords, RejectsAnUnknownItem) {
  SyntheticLog log = make_log();
  const std::uint64_t result = log.find(audit::EntryType::result, "V1", 1);
  edit_payload(log, result, [](json& p) { p["outcome"]["items"][2]["item_id"] = "HY2099-01"; });
  expect_error(collect(log), RecordsErrc::unknown_item,
               {"entry " + std::to_string(result), "payload.outcome.items[2].item_id", "HY2099-01"});

  log = make_log();
  edit_payload(log, result, [](json& p) { p["outcome"]["adopted"] = json::array({"HY2024-01"}); });
  expect_error(collect(log), RecordsErrc::unknown_item, {"payload.outcome.adopted[0]", "HY2024-01"});
}

TEST(CollectRecords, RejectsAnUnknownVote) {
  SyntheticLog log = make_log();
  const std::uint64_t closed = log.find(audit::EntryType::vote_closed, "V2");
  edit_payload(log, closed, [](json& p) { p["vote_id"] = "V9"; });
  expect_error(collect(log), RecordsErrc::unknown_vote,
               {"entry " + std::to_string(closed), "payload.vote_id", "V9"});
}

TEST(CollectRecords, RejectsInconsistentOutcomes) {
  SyntheticLog log = make_log();
  const std::uint64_t result = log.find(audit::EntryType::result, "V2", 1);
  edit_payload(log, result, [](json& p) { p["outcome"]["invalid"] = 5; });
  expect_error(collect(log), RecordsErrc::inconsistent_outcome,
               {"entry " + std::to_string(result), "≠ returned"});

  log = make_log();
  edit_payload(log, result, [](json& p) { p["outcome"]["items"][0]["totals"] = json::array({1, 2, 3}); });
  expect_error(collect(log), RecordsErrc::inconsistent_outcome, {"items[0].totals", "expected 4"});

  log = make_log();
  edit_payload(log, result, [](json& p) { p["outcome"]["round"] = 2; });
  expect_error(collect(log), RecordsErrc::inconsistent_outcome, {"payload.outcome.round", "round 2"});

  // A result with no vote_closed before it.
  log = make_log();
  log.entries.erase(log.entries.begin() +
                    static_cast<std::ptrdiff_t>(log.find(audit::EntryType::vote_closed, "V2")));
  expect_error(collect(log), RecordsErrc::inconsistent_outcome, {"no vote_closed"});
}

TEST(CollectRecords, RejectsACertificationOfARoundWithoutResult) {
  SyntheticLog log = make_log();
  const std::uint64_t certification = log.find(audit::EntryType::certification, "V2", 1);
  edit_payload(log, certification, [](json& p) { p["round"] = 2; });
  expect_error(collect(log), RecordsErrc::orphan_certification,
               {"entry " + std::to_string(certification) + " (certification)", "payload.round", "round 2"});
}

TEST(CollectRecords, RejectsACertificationOfAnotherEntry) {
  SyntheticLog log = make_log();
  const std::uint64_t certification = log.find(audit::EntryType::certification, "V2", 1);
  edit_payload(log, certification, [](json& p) { p["result_hash"] = std::string(64, 'a'); });
  expect_error(collect(log), RecordsErrc::certification_mismatch, {"payload.result_hash"});

  log = make_log();
  edit_payload(log, certification, [](json& p) { p["result_sequence"] = 3; });
  expect_error(collect(log), RecordsErrc::certification_mismatch, {"payload.result_sequence"});

  // A result edited after it was certified no longer matches its certification's hash.
  log = make_log();
  const std::uint64_t result = log.find(audit::EntryType::result, "V2", 1);
  edit_payload(log, result, [](json& p) { p["outcome"]["decrypted_by"][0] = "P03"; });
  expect_error(collect(log), RecordsErrc::certification_mismatch, {"result_hash", std::to_string(result)});
  log.rehash_certifications();
  EXPECT_TRUE(collect(log).has_value());
}

TEST(CollectRecords, RejectsAnUnknownCertifierOrWrongRole) {
  SyntheticLog log = make_log();
  const std::uint64_t certification = log.find(audit::EntryType::certification, "V2", 1);
  edit_payload(log, certification, [](json& p) { p["certifier"] = "X99"; });
  expect_error(collect(log), RecordsErrc::unknown_official, {"payload.certifier", "X99"});

  log = make_log();
  edit_payload(log, certification, [](json& p) { p["role"] = "presidium_member"; });
  expect_error(collect(log), RecordsErrc::role_mismatch, {"payload.role", "C01"});

  log = make_log();
  edit_payload(log, certification, [](json& p) { p["role"] = "chair"; });
  expect_error(collect(log), RecordsErrc::malformed_payload, {"payload.role", "chair"});

  log = make_log();
  edit_payload(log, certification, [](json& p) { p["signature"] = "00"; });
  expect_error(collect(log), RecordsErrc::malformed_payload, {"payload.signature"});

  log = make_log();
  edit_payload(log, certification + 1, [](json& p) {
    p["certifier"] = "C01";
    p["role"] = "chief_scrutineer";
  });
  expect_error(collect(log), RecordsErrc::certification_mismatch, {"already certified"});
}

TEST(CollectRecords, RejectsMalformedCheckpointNotes) {
  SyntheticLog log = make_log();
  log.notes[0] = "not a note";
  expect_error(collect(log), RecordsErrc::bad_checkpoint, {"checkpoint note 0"});

  log = make_log();
  log.notes = {SyntheticLog::note(log.entries.size()), SyntheticLog::note(3)};
  expect_error(collect(log), RecordsErrc::bad_checkpoint, {"checkpoint note 1", "does not exceed"});
}

TEST(CollectRecords, RejectsEntriesOutOfOrder) {
  SyntheticLog log = make_log();
  std::swap(log.entries[4], log.entries[5]);
  expect_error(collect(log), RecordsErrc::out_of_order, {"entry 4"});
}

TEST(CollectRecords, ErrorMessagesNameTheCategory) {
  const Error e{make_error_code(RecordsErrc::not_checkpointed), "x"};
  EXPECT_EQ(std::string(e.code.category().name()), "hallvote.records");
  EXPECT_NE(e.message().find("no checkpoint covers"), std::string::npos);
}

}  // namespace
}  // namespace hallvote::records
