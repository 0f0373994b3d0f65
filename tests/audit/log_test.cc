#include "hallvote/audit/log.h"

#include <gtest/gtest.h>

#include <thread>

#include "hallvote/auditor/log_verifier.h"
#include "hallvote/tlog/errors.h"
#include "session_fixture.h"
#include "sqlite_shell.h"

namespace hallvote::audit {
namespace {

using testing::SessionKeys;
using testing::TempDir;

TEST(AuditLog, AppendsSignsCheckpointsAndExportsAVerifiableBundle) {
  TempDir dir;
  SessionKeys keys(1);
  ManualClock clock(1'700'000'000'000);
  auto log = AuditLog::open(keys.options(dir.file("s.db"), &clock));
  ASSERT_TRUE(log) << log.error().message();
  for (std::uint64_t i = 0; i < 40; ++i) {
    auto a = testing::append_sample(**log, keys, i);
    ASSERT_TRUE(a) << a.error().message();
    EXPECT_EQ(a->sequence, i);
    if (i % 10 == 9) {
      ASSERT_TRUE(testing::checkpoint_and_cosign(**log, keys));
    }
  }
  auto bundle = (*log)->export_bundle();
  ASSERT_TRUE(bundle);
  EXPECT_EQ(bundle->entries.size(), 40u);
  EXPECT_EQ(bundle->checkpoints.size(), 4u);
  const Report report = verify_bundle_text(bundle->serialize());
  EXPECT_TRUE(report.ok()) << (report.ok() ? ""
                                           : report.failure->check + " " + report.failure->error.message());
  EXPECT_EQ(report.cosigners.size(), 2u);

  auto receipt = (*log)->receipt(17);
  ASSERT_TRUE(receipt);
  auto reparsed = Receipt::parse(receipt->format());
  ASSERT_TRUE(reparsed);
  EXPECT_TRUE(verify_receipt(*reparsed, (*log)->log_key(), keys.cosigners()));
  reparsed->index = 18;
  EXPECT_FALSE(verify_receipt(*reparsed, (*log)->log_key(), keys.cosigners()));
}

TEST(AuditLog, RejectsInvalidPayloadWithoutWriting) {
  TempDir dir;
  SessionKeys keys(2);
  auto log = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_TRUE(log);
  auto bad = (*log)->append(EntryType::ballot_cast, "server", keys.server, R"({"vote_id":"v"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, AuditErrc::invalid_payload);
  EXPECT_NE(bad.error().detail.find("payload.round: missing"), std::string::npos);
  EXPECT_EQ((*log)->size(), 0u);
}

TEST(AuditLog, ConcurrentAppendersAreAllDurableAndChained) {
  TempDir dir;
  SessionKeys keys(3);
  {
    auto log = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
    ASSERT_TRUE(log);
    ASSERT_TRUE(testing::append_sample(**log, keys, 0));
    ASSERT_TRUE(testing::append_sample(**log, keys, 1));
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 16; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i) {
          if (!testing::append_sample(**log, keys, static_cast<std::uint64_t>(2 + t * 10 + i))) ++failures;
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ((*log)->size(), 162u);
    ASSERT_TRUE(testing::checkpoint_and_cosign(**log, keys));
  }
  auto reopened = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_TRUE(reopened) << reopened.error().message();
  EXPECT_EQ((*reopened)->size(), 162u);
  EXPECT_TRUE(verify_bundle(*export_bundle_from_db(dir.file("s.db"))).ok());
}

TEST(AuditLog, HistoryCannotBeUpdatedOrDeletedThroughSqlite) {
  TempDir dir;
  SessionKeys keys(4);
  {
    auto log = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
    ASSERT_TRUE(log);
    ASSERT_TRUE(testing::append_sample(**log, keys, 0));
    ASSERT_TRUE((*log)->sign_checkpoint());
  }
  EXPECT_NE(testing::sqlite_exec(dir.file("s.db"), "UPDATE entries SET bytes = x'00' WHERE seq = 0"),
            SQLITE_OK);
  EXPECT_NE(testing::sqlite_exec(dir.file("s.db"), "DELETE FROM entries"), SQLITE_OK);
  EXPECT_NE(testing::sqlite_exec(dir.file("s.db"), "DELETE FROM checkpoints"), SQLITE_OK);
  EXPECT_TRUE(AuditLog::open(keys.options(dir.file("s.db"), &system_clock())));
}

TEST(AuditLog, OpenRefusesATamperedStore) {
  TempDir dir;
  SessionKeys keys(5);
  {
    auto log = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
    ASSERT_TRUE(log);
    for (std::uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(testing::append_sample(**log, keys, i));
    ASSERT_TRUE((*log)->sign_checkpoint());
  }
  // Someone with file access drops the trigger and rewrites entry 2.
  ASSERT_EQ(testing::sqlite_exec(
                dir.file("s.db"),
                "DROP TRIGGER entries_no_update; UPDATE entries SET leaf_hash = zeroblob(32) WHERE seq = 2"),
            SQLITE_OK);
  auto reopened = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, AuditErrc::root_mismatch);
}

TEST(AuditLog, NeverSignsACheckpointInconsistentWithTheStoredLatest) {
  TempDir dir;
  SessionKeys keys(6);
  {
    auto log = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
    ASSERT_TRUE(log);
    for (std::uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(testing::append_sample(**log, keys, i));
    ASSERT_TRUE((*log)->sign_checkpoint());
    // A forked checkpoint (same size, another root) appears in the store, signed with the server key.
    const std::string text = Checkpoint{keys.origin, 6, leaf_hash(crypto::as_bytes("fork"))}.text();
    const std::string forked = Note{text, {sign_note(text, keys.origin, keys.server)}}.format();
    ASSERT_EQ(testing::sqlite_exec(dir.file("s.db"), "INSERT INTO checkpoints VALUES (6, '" + forked + "')"),
              SQLITE_OK);
    ASSERT_TRUE(testing::append_sample(**log, keys, 4));
    ASSERT_TRUE(testing::append_sample(**log, keys, 5));
    auto signed_note = (*log)->sign_checkpoint();
    ASSERT_FALSE(signed_note);
    EXPECT_EQ(signed_note.error().code, AuditErrc::inconsistent_checkpoint);
  }
}

}  // namespace
}  // namespace hallvote::audit
