// Power loss at the storage layer (audit_slow_test): a VFS shim (power_loss_vfs.h) loses every write made
// after a file's last fsync, or keeps a random prefix of them with the last one torn. First the simulation is
// shown to be sharp — it loses commits that SQLite acknowledged under synchronous=NORMAL, which syncs the WAL
// only at checkpoints — then the log as configured (WAL, synchronous=FULL) keeps every acknowledged entry and
// every signed checkpoint through power cuts at random moments of concurrent appending.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "hallvote/audit/log.h"
#include "hallvote/auditor/log_verifier.h"
#include "power_loss_vfs.h"
#include "session_fixture.h"
#include "sqlite_shell.h"

namespace hallvote::audit {
namespace {

using testing::Ack;
using testing::PowerLossVfs;
using testing::SessionKeys;
using testing::TempDir;

int exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
}

// Commits `commits` one-row transactions in a WAL database under `synchronous`, cuts the power losing every
// unsynced write, and returns how many rows a reopened database holds.
int rows_after_power_cut(const std::string& path, const std::string& synchronous, int commits) {
  PowerLossVfs& vfs = testing::power_loss_vfs();
  vfs.reset();
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "powerloss"),
            SQLITE_OK);
  EXPECT_EQ(exec(db, "PRAGMA journal_mode=WAL"), SQLITE_OK);
  EXPECT_EQ(exec(db, "PRAGMA synchronous=" + synchronous), SQLITE_OK);
  EXPECT_EQ(exec(db, "CREATE TABLE t(x)"), SQLITE_OK);
  for (int i = 0; i < commits; ++i)
    EXPECT_EQ(exec(db, "INSERT INTO t VALUES(" + std::to_string(i) + ")"), SQLITE_OK);
  vfs.cut_power();
  sqlite3_close(db);
  vfs.lose_unsynced_writes(PowerLossVfs::Survival::none);

  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  int rows = 0;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    rows = sqlite3_column_int(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

TEST(PowerLoss, TheSimulationLosesCommitsThatSynchronousNormalNeverSynced) {
  TempDir dir;
  EXPECT_LT(rows_after_power_cut(dir.file("normal.db"), "NORMAL", 40), 40);
  EXPECT_EQ(rows_after_power_cut(dir.file("full.db"), "FULL", 40), 40);
}

TEST(PowerLoss, AcknowledgedEntriesAndCheckpointsSurvivePowerCutsAtRandomMoments) {
  PowerLossVfs& vfs = testing::power_loss_vfs();
  TempDir dir;
  SessionKeys keys(41);
  const std::string path = dir.file("s.db");
  ASSERT_TRUE(testing::create_sample_log(keys, path));
  std::mt19937_64 rng(2026);
  std::vector<Ack> acked;
  std::size_t undone = 0;
  for (int round = 0; round < 40; ++round) {
    vfs.reset();
    auto options = keys.options(path, &system_clock());
    options.vfs = "powerloss";
    {
      auto log = AuditLog::open(options);
      ASSERT_TRUE(log) << "round " << round << ": " << log.error().message();
      std::mutex acked_mutex;
      std::vector<std::thread> threads;
      for (int t = 0; t < 3; ++t) {
        threads.emplace_back([&, t] {
          for (std::uint64_t i = 2 + static_cast<std::uint64_t>(round * 3000 + t * 1000);; ++i) {
            auto a = testing::append_sample(**log, keys, i);
            if (!a) return;  // the power is off
            std::lock_guard lock(acked_mutex);
            acked.push_back({a->sequence, a->entry_hash});
          }
        });
      }
      threads.emplace_back([&] {
        while ((*log)->sign_checkpoint()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      });
      std::this_thread::sleep_for(std::chrono::microseconds(1000 + rng() % 20000));
      vfs.cut_power();
      for (auto& t : threads) t.join();
    }
    undone += vfs.lose_unsynced_writes(PowerLossVfs::Survival::random, rng());

    auto log = AuditLog::open(keys.options(path, &system_clock()));  // re-verifies chain, tree and checkpoints
    ASSERT_TRUE(log) << "round " << round << ": " << log.error().message();
    ASSERT_EQ(testing::broken_promise(**log, acked), "") << "round " << round;
  }
  // The cuts fell while commits were being written: the simulation had writes to lose (the commit's fsync is
  // most of an append's time, and its WAL frames are unsynced until it returns).
  EXPECT_GT(undone, 0u);
  EXPECT_GT(acked.size(), 40u);
  EXPECT_EQ(testing::sqlite_integrity(path), "ok");
  auto log = AuditLog::open(keys.options(path, &system_clock()));
  ASSERT_TRUE(log);
  ASSERT_TRUE(testing::checkpoint_and_cosign(**log, keys));
  const Report r = verify_bundle(*(*log)->export_bundle());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.failure->check + " " + r.failure->error.message());
}

}  // namespace
}  // namespace hallvote::audit
