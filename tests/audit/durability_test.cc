// Durability under faults: failing writes / fsyncs / full disk during commit (an SQLite VFS shim) never yield
// an acknowledgement, nothing acknowledged is lost, writing resumes by itself when the fault ends, and a
// database that cannot be written is refused at open. The SIGKILL crash suite is in crash_test.cc
// (audit_slow_test).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "faulty_vfs.h"
#include "hallvote/audit/log.h"
#include "hallvote/tlog/errors.h"
#include "session_fixture.h"

namespace hallvote::audit {
namespace {

using testing::Ack;
using testing::SessionKeys;
using testing::TempDir;

struct FaultCase {
  bool writes;
  bool syncs;
  bool full;
};

// Each entry of the reopened log is either acknowledged (the same entry) or was recovered from the disk after a
// failed commit (handed to the listener, never acknowledged); the log holds nothing else.
std::string disk_matches(const AuditLog& reopened, const std::vector<Ack>& acked,
                         const std::vector<std::uint64_t>& recovered) {
  if (auto broken = testing::broken_promise(reopened, acked); !broken.empty()) return broken;
  if (reopened.size() != acked.size() + recovered.size()) {
    return "the disk holds " + std::to_string(reopened.size()) + " entries, " + std::to_string(acked.size()) +
           " acknowledged and " + std::to_string(recovered.size()) + " recovered";
  }
  return {};
}

TEST(FaultInjection, WritingStopsOnAFailedCommitAndResumesWhenTheFaultEndsWithoutReopening) {
  auto& plan = testing::faulty_vfs();
  SessionKeys keys(31);
  for (const FaultCase fc :
       {FaultCase{true, false, false}, FaultCase{false, true, false}, FaultCase{true, false, true}}) {
    for (int countdown = 0; countdown < 6; ++countdown) {
      SCOPED_TRACE("writes " + std::to_string(fc.writes) + " syncs " + std::to_string(fc.syncs) + " full " +
                   std::to_string(fc.full) + " countdown " + std::to_string(countdown));
      TempDir dir;
      auto options = keys.options(dir.file("s.db"), &system_clock());
      options.vfs = "faulty";
      options.retry_interval = std::chrono::hours(1);  // retries come with the appends only
      std::vector<Ack> acked;
      std::vector<std::uint64_t> recovered;
      {
        auto log = AuditLog::open(options);
        ASSERT_TRUE(log) << log.error().message();
        (*log)->on_recovered([&](std::uint64_t sequence, const crypto::Bytes&) -> Status {
          recovered.push_back(sequence);
          return {};
        });
        std::uint64_t next = 0;
        for (; next < 3; ++next) {
          auto a = testing::append_sample(**log, keys, next);
          ASSERT_TRUE(a);
          acked.push_back({a->sequence, a->entry_hash});
        }
        plan.fail_writes = fc.writes;
        plan.fail_syncs = fc.syncs;
        plan.disk_full = fc.full;
        plan.countdown = countdown;
        plan.injected = 0;
        plan.armed = true;
        bool failed = false;
        for (int attempt = 0; attempt < 10; ++attempt) {
          const int before = plan.injected.load();
          auto a = testing::append_sample(**log, keys, next);
          if (plan.injected.load() > before || failed) {
            ASSERT_FALSE(a) << "acknowledged although a fault was injected (or writing had stopped)";
            EXPECT_TRUE(a.error().code == AuditErrc::storage_failed ||
                        a.error().code == AuditErrc::writer_stopped)
                << a.error().message();
            failed = true;
            auto stopped = (*log)->writing_stopped();
            ASSERT_TRUE(stopped);
            EXPECT_NE(stopped->find("写入已停止 / writing has stopped"), std::string::npos) << *stopped;
          } else {
            ASSERT_TRUE(a);
            acked.push_back({a->sequence, a->entry_hash});
            ++next;
          }
        }
        EXPECT_TRUE(failed) << "no fault reached a commit";
        // Nothing of the failed groups is in memory: the tree is the acknowledged entries (plus any recovered).
        EXPECT_EQ((*log)->size(), acked.size() + recovered.size());
        plan.armed = false;  // space returns
        for (int more = 0; more < 3; ++more, ++next) {
          auto a = testing::append_sample(**log, keys, next);
          ASSERT_TRUE(a) << "writing did not resume: " << a.error().message();
          acked.push_back({a->sequence, a->entry_hash});
        }
        EXPECT_FALSE((*log)->writing_stopped());
        ASSERT_TRUE(testing::checkpoint_and_cosign(**log, keys));
        EXPECT_EQ(disk_matches(**log, acked, recovered), "");
      }
      options.vfs.clear();
      auto reopened = AuditLog::open(options);
      ASSERT_TRUE(reopened) << reopened.error().message();
      EXPECT_EQ(disk_matches(**reopened, acked, recovered), "");
    }
  }
}

TEST(FaultInjection, AnIdleLogRetriesAndSaysWhenWritingResumes) {
  auto& plan = testing::faulty_vfs();
  SessionKeys keys(32);
  TempDir dir;
  auto options = keys.options(dir.file("s.db"), &system_clock());
  options.vfs = "faulty";
  options.retry_interval = std::chrono::milliseconds(5);
  auto log = AuditLog::open(options);
  ASSERT_TRUE(log) << log.error().message();
  ASSERT_TRUE(testing::append_sample(**log, keys, 0));
  plan.fail_writes = true;
  plan.fail_syncs = true;
  plan.disk_full = true;
  plan.countdown = 0;
  plan.injected = 0;
  plan.armed = true;
  auto refused = testing::append_sample(**log, keys, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, AuditErrc::storage_failed);
  auto stopped = (*log)->writing_stopped();
  ASSERT_TRUE(stopped);
  EXPECT_NE(stopped->find("SQLite code 13"), std::string::npos) << *stopped;  // SQLITE_FULL
  // The idle retries fail while the disk is full (each one a real commit that meets the fault) …
  const int seen = plan.injected.load();
  while (plan.injected.load() < seen + 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE((*log)->writing_stopped());
  // … and once space returns, one succeeds with no append and no reopening by the caller.
  plan.armed = false;
  while ((*log)->writing_stopped()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto a = testing::append_sample(**log, keys, 1);
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_EQ(a->sequence, 1u);
}

TEST(FaultInjection, AFailedFsyncWhoseEntriesReachedTheDiskIsTakenInAsTheDiskSays) {
  // The fsync of the WAL fails after the commit's frames were written: the disk may hold the group. Closing the
  // connection cannot checkpoint (its fsync fails too), so reopening recovers the frames from the WAL, and the
  // log takes them in (handed to the listener, never acknowledged) instead of writing over them.
  auto& plan = testing::faulty_vfs();
  SessionKeys keys(33);
  TempDir dir;
  auto options = keys.options(dir.file("s.db"), &system_clock());
  options.vfs = "faulty";
  options.retry_interval = std::chrono::hours(1);
  std::vector<Ack> acked;
  std::vector<std::uint64_t> recovered;
  {
    auto log = AuditLog::open(options);
    ASSERT_TRUE(log) << log.error().message();
    (*log)->on_recovered([&](std::uint64_t sequence, const crypto::Bytes&) -> Status {
      recovered.push_back(sequence);
      return {};
    });
    for (std::uint64_t i = 0; i < 2; ++i) {
      auto a = testing::append_sample(**log, keys, i);
      ASSERT_TRUE(a);
      acked.push_back({a->sequence, a->entry_hash});
    }
    plan.fail_writes = false;
    plan.fail_syncs = true;
    plan.disk_full = false;
    plan.countdown = 0;
    plan.injected = 0;
    plan.armed = true;
    ASSERT_FALSE(testing::append_sample(**log, keys, 2));
    EXPECT_EQ((*log)->size(), 2u);
    // The next append retries: reopen (still failing fsyncs), re-read, then its own commit fails.
    ASSERT_FALSE(testing::append_sample(**log, keys, 3));
    EXPECT_EQ(recovered, std::vector<std::uint64_t>{2});
    EXPECT_EQ((*log)->size(), 3u);
    plan.armed = false;
    auto a = testing::append_sample(**log, keys, 3);
    ASSERT_TRUE(a) << a.error().message();
    acked.push_back({a->sequence, a->entry_hash});
    EXPECT_GE(a->sequence, 3u);
  }
  options.vfs.clear();
  auto reopened = AuditLog::open(options);
  ASSERT_TRUE(reopened) << reopened.error().message();
  EXPECT_EQ(disk_matches(**reopened, acked, recovered), "");
}

TEST(FaultInjection, AListenerThatRefusesARecoveredEntryStopsWritingForGood) {
  auto& plan = testing::faulty_vfs();
  SessionKeys keys(34);
  TempDir dir;
  auto options = keys.options(dir.file("s.db"), &system_clock());
  options.vfs = "faulty";
  options.retry_interval = std::chrono::hours(1);
  auto log = AuditLog::open(options);
  ASSERT_TRUE(log) << log.error().message();
  (*log)->on_recovered([](std::uint64_t, const crypto::Bytes&) -> Status {
    return fail(AuditErrc::malformed, "not applicable");
  });
  ASSERT_TRUE(testing::append_sample(**log, keys, 0));
  plan.fail_writes = false;
  plan.fail_syncs = true;
  plan.disk_full = false;
  plan.countdown = 0;
  plan.injected = 0;
  plan.armed = true;
  ASSERT_FALSE(testing::append_sample(**log, keys, 1));
  auto a = testing::append_sample(**log, keys, 2);  // the retry recovers entry 1; the listener refuses it
  plan.armed = false;
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, AuditErrc::writer_stopped);
  EXPECT_NE(a.error().message().find("restart the server"), std::string::npos) << a.error().message();
  EXPECT_FALSE(testing::append_sample(**log, keys, 2));  // for good, though the fault has ended
  EXPECT_TRUE((*log)->writing_stopped());
}

TEST(ReadOnlyDatabase, OpeningARead_onlyDatabaseIsRefusedAtOnceSayingWhatWhereAndWhatToDo) {
  // Through the VFS, so that the file is truly read-only even when the tests run as root.
  auto& plan = testing::faulty_vfs();
  SessionKeys keys(35);
  TempDir dir;
  const std::string path = dir.file("s.db");
  ASSERT_TRUE(testing::create_sample_log(keys, path));
  auto options = keys.options(path, &system_clock());
  options.vfs = "faulty";
  plan.read_only = true;
  auto log = AuditLog::open(options);
  plan.read_only = false;
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().code, AuditErrc::storage_failed);
  const std::string message = log.error().message();
  EXPECT_EQ(message.find("审计日志数据库不可写"),
            message.find(path) - std::string("审计日志数据库不可写：").size())
      << message;
  EXPECT_NE(message.find("is not writable"), std::string::npos) << message;
  EXPECT_NE(message.find("df -h"), std::string::npos) << message;
  EXPECT_TRUE(AuditLog::open(options)) << "the same file opens once it is writable";
}

TEST(ReadOnlyDatabase, AFullDiskAtOpenIsRefusedAtOnce) {
  auto& plan = testing::faulty_vfs();
  SessionKeys keys(36);
  TempDir dir;
  const std::string path = dir.file("s.db");
  ASSERT_TRUE(testing::create_sample_log(keys, path));
  auto options = keys.options(path, &system_clock());
  options.vfs = "faulty";
  plan.fail_writes = true;
  plan.fail_syncs = true;
  plan.disk_full = true;
  plan.countdown = 0;
  plan.armed = true;
  auto log = AuditLog::open(options);
  plan.armed = false;
  ASSERT_FALSE(log);
  EXPECT_NE(log.error().message().find("审计日志数据库不可写：" + path), std::string::npos)
      << log.error().message();
}

}  // namespace
}  // namespace hallvote::audit
