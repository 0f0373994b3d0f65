// Durability under faults: failing writes / fsyncs / full disk during commit (an SQLite VFS shim) never yield
// an acknowledgement, and nothing acknowledged is lost. The SIGKILL crash suite is in crash_test.cc
// (audit_slow_test).
#include <gtest/gtest.h>

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

TEST(FaultInjection, FailingWriteOrFsyncDuringCommitNeverAcknowledges) {
  auto& plan = testing::faulty_vfs();
  SessionKeys keys(31);
  for (const FaultCase fc :
       {FaultCase{true, false, false}, FaultCase{false, true, false}, FaultCase{true, false, true}}) {
    for (int countdown = 0; countdown < 6; ++countdown) {
      TempDir dir;
      auto options = keys.options(dir.file("s.db"), &system_clock());
      options.vfs = "faulty";
      std::vector<Ack> acked;
      {
        auto log = AuditLog::open(options);
        ASSERT_TRUE(log) << log.error().message();
        for (std::uint64_t i = 0; i < 3; ++i) {
          auto a = testing::append_sample(**log, keys, i);
          ASSERT_TRUE(a);
          acked.push_back({a->sequence, a->entry_hash});
        }
        plan.fail_writes = fc.writes;
        plan.fail_syncs = fc.syncs;
        plan.disk_full = fc.full;
        plan.countdown = countdown;
        plan.injected = 0;
        plan.armed = true;
        bool stopped = false;
        for (std::uint64_t i = 3; i < 10; ++i) {
          const int before = plan.injected.load();
          auto a = testing::append_sample(**log, keys, i);
          if (plan.injected.load() > before) {
            ASSERT_FALSE(a) << "acknowledged although a fault was injected during its commit";
            EXPECT_EQ(a.error().code, AuditErrc::storage_failed);
            stopped = true;
          } else if (stopped) {
            ASSERT_FALSE(a);
            EXPECT_EQ(a.error().code, AuditErrc::writer_stopped);
          } else {
            ASSERT_TRUE(a);
            acked.push_back({a->sequence, a->entry_hash});
          }
        }
        plan.armed = false;
        EXPECT_TRUE(stopped) << "no fault reached a commit (countdown " << countdown << ")";
      }
      options.vfs.clear();
      auto reopened = AuditLog::open(options);
      ASSERT_TRUE(reopened) << reopened.error().message();
      EXPECT_EQ(testing::broken_promise(**reopened, acked), "");
    }
  }
}

}  // namespace
}  // namespace hallvote::audit
