// The auditor's key ceremony check (docs/crypto.md §13.1 item 6, §6.5): when entry 0 holds the transcript of
// the ceremony the members held, the election key, the trustee keys and the members' signing keys must be the
// ones it makes, for these session files. The dishonest server re-signs the log after each change
// (session_bundle.h), so only this check can notice. (The honest run through the programs is in
// hall_programs_test.cc.)
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "entry0_audit.h"
#include "hallvote/auditor/errors.h"
#include "hallvote/auditor/verifier.h"
#include "hallvote/hall/ceremony_board.h"
#include "hallvote/presidium/ceremony_member.h"
#include "hallvote/protocol/key_ceremony.h"
#include "hallvote/protocol/session_record.h"

namespace hallvote::vote_audit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::expect_entry0_failure;
using testing::payload_of;
using testing::session_bundle;
using testing::verify_votes_of;
using testing::with_entry0;

// A real ceremony among the fixture session's committee (each member a thread with its own new key), called for
// the session files recorded in entry 0: its record.
const protocol::CeremonyRecord& ceremony_for_fixture() {
  static const protocol::CeremonyRecord record = [] {
    const auto& s = session_bundle();
    const auto files =
        protocol::SessionRecord::from_json(payload_of(testing::decoded(s.bundle)[0])["session"]).value().files;
    const auto& committee = s.hall->session.key_committee;
    protocol::CeremonyCall call{
        s.hall->session.info.id, committee.quorum, {}, {}, protocol::session_files_digest(files)};
    for (const auto& member : committee.members) call.committee.push_back(member.id);
    const fs::path dir = fs::temp_directory_path() / ("hallvote-ceremony-audit-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const setup::CeremonyBoard board(dir);
    EXPECT_TRUE(board.write_call(call));
    std::vector<crypto::SigningKey> keys;
    for (std::size_t i = 0; i < call.committee.size(); ++i) keys.push_back(crypto::SigningKey::generate());
    std::vector<std::optional<protocol::CeremonyRecord>> records(call.committee.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < call.committee.size(); ++i) {
      threads.emplace_back([&, i] {
        presidium::MemberCeremony member;
        member.board = &board;
        member.call = call;
        member.member = call.committee[i];
        member.signing = &keys[i];
        member.poll = std::chrono::milliseconds(10);
        member.deadline = std::chrono::seconds(30);
        auto result = presidium::run_member_ceremony(member);
        if (result) records[i] = std::move(result->record);
      });
    }
    for (auto& thread : threads) thread.join();
    fs::remove_all(dir);
    EXPECT_TRUE(records[0]);
    return records[0].value_or(protocol::CeremonyRecord{});
  }();
  return record;
}

TEST(KeyCeremonyAudit, WithoutATranscriptTheKeyIsReportedAsUncheckable) {
  const auto report = verify_votes_of(session_bundle().bundle);
  ASSERT_TRUE(report.ok()) << report.failure->error.message();
  ASSERT_TRUE(report.ceremony);
  EXPECT_TRUE(report.ceremony->ceremony_id.empty());
  EXPECT_NE(render_text(report).find("无仪式记录"), std::string::npos);
}

TEST(KeyCeremonyAudit, AKeyOtherThanTheTranscriptsIsCaught) {
  // The server logs a real ceremony's transcript but keeps another election key (one it knows).
  const auto bundle =
      with_entry0([](json& p) { p["session"]["key_ceremony"] = ceremony_for_fixture().to_json(); });
  expect_entry0_failure(verify_votes_of(bundle), "payload.threshold_key", VoteAuditErrc::mismatch);
}

TEST(KeyCeremonyAudit, MembersKeysOtherThanTheOnesTheyJoinedWithAreCaught) {
  // The server takes the transcript's key, but registers signing keys of its own for the members.
  const auto& record = ceremony_for_fixture();
  const auto bundle = with_entry0([&](json& p) {
    p["session"]["key_ceremony"] = record.to_json();
    p["threshold_key"] = protocol::threshold_key_json(record.qualification.key);
    p["election_key"] = crypto::to_hex(record.qualification.key.election_key.encode());
  });
  expect_entry0_failure(verify_votes_of(bundle), "payload.session.official_keys", VoteAuditErrc::mismatch);
}

TEST(KeyCeremonyAudit, AnAlteredTranscriptIsCaught) {
  const auto bundle = with_entry0([](json& p) {
    json transcript = ceremony_for_fixture().to_json();
    std::string digest = transcript["messages"].back()["digest"];
    digest[0] = digest[0] == 'a' ? 'b' : 'a';
    transcript["messages"].back()["digest"] = digest;
    p["session"]["key_ceremony"] = transcript;
  });
  expect_entry0_failure(verify_votes_of(bundle), "payload.session.key_ceremony",
                        VoteAuditErrc::invalid_signature);
}

TEST(KeyCeremonyAudit, ACeremonyCalledForOtherSessionFilesIsCaught) {
  // The session files of entry 0 changed after the members confirmed them (here: one file's text).
  const auto bundle = with_entry0([](json& p) {
    p["session"]["key_ceremony"] = ceremony_for_fixture().to_json();
    auto& files = p["session"]["files"];
    const std::string name = files.begin().key();
    files[name] = files[name].get<std::string>() + "\n";
  });
  expect_entry0_failure(verify_votes_of(bundle), "payload.session.key_ceremony.call", VoteAuditErrc::mismatch);
}

}  // namespace
}  // namespace hallvote::vote_audit
