// Issue 17 item 4: the latest signed checkpoint is kept outside the database (s.db → s.checkpoint), and a
// database that does not extend it — emptied, its WAL deleted, or replaced by another log — is refused at open
// with a specific error; a missing file next to a non-empty log is a warning.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hallvote/audit/log.h"
#include "hallvote/tlog/errors.h"
#include "session_fixture.h"

namespace hallvote::audit {
namespace {

using testing::SessionKeys;
using testing::TempDir;

// A log of `entries` sample entries, checkpointed at the end, closed.
void write_log(const TempDir& dir, const SessionKeys& keys, std::uint64_t entries, std::uint64_t first = 0) {
  auto log = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_TRUE(log) << log.error().message();
  for (std::uint64_t i = first; i < first + entries; ++i) ASSERT_TRUE(testing::append_sample(**log, keys, i));
  ASSERT_TRUE((*log)->sign_checkpoint());
}

void remove_database(const TempDir& dir) {
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(dir.file(std::string("s.db") + suffix));
}

TEST(CheckpointFile, IsWrittenWithEachCheckpointAndAConsistentLogOpens) {
  TempDir dir;
  SessionKeys keys(21);
  ASSERT_NO_FATAL_FAILURE(write_log(dir, keys, 5));
  ASSERT_TRUE(std::filesystem::exists(dir.file("s.checkpoint")));
  auto reopened = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_TRUE(reopened) << reopened.error().message();
  EXPECT_TRUE((*reopened)->warnings().empty());
  // It grows past the kept checkpoint: still consistent.
  ASSERT_TRUE(testing::append_sample(**reopened, keys, 5));
  reopened->reset();
  EXPECT_TRUE(AuditLog::open(keys.options(dir.file("s.db"), &system_clock())));
}

TEST(CheckpointFile, EmptiedDatabaseIsRefusedNamingTheRollback) {
  TempDir dir;
  SessionKeys keys(22);
  ASSERT_NO_FATAL_FAILURE(write_log(dir, keys, 80));
  remove_database(dir);  // a new, empty database would be created here
  auto reopened = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, AuditErrc::inconsistent_checkpoint);
  const std::string& detail = reopened.error().detail;
  EXPECT_NE(detail.find("审计日志被回退"), std::string::npos) << detail;
  EXPECT_NE(detail.find("the database holds 0 entries but the server signed a checkpoint of 80 entries"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("restore"), std::string::npos) << detail;
}

TEST(CheckpointFile, DeletedWalIsRefused) {
  TempDir dir;
  SessionKeys keys(23);
  auto log = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_TRUE(log);
  for (std::uint64_t i = 0; i < 12; ++i) ASSERT_TRUE(testing::append_sample(**log, keys, i));
  ASSERT_TRUE((*log)->sign_checkpoint());
  // The server dies with its entries in the WAL; the WAL is then lost: only the main file and the kept
  // checkpoint remain (copied while the writer is open, as a SIGKILL leaves them, then the WAL dropped).
  TempDir after;
  std::filesystem::copy_file(dir.file("s.db"), after.file("s.db"));
  std::filesystem::copy_file(dir.file("s.checkpoint"), after.file("s.checkpoint"));
  log->reset();
  auto reopened = AuditLog::open(keys.options(after.file("s.db"), &system_clock()));
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, AuditErrc::inconsistent_checkpoint);
  EXPECT_NE(reopened.error().detail.find("checkpoint of 12 entries"), std::string::npos)
      << reopened.error().detail;
}

TEST(CheckpointFile, ReplacedDatabaseWithAnotherRootIsRefused) {
  TempDir dir;
  SessionKeys keys(24);
  ASSERT_NO_FATAL_FAILURE(write_log(dir, keys, 4));
  remove_database(dir);
  // Another history of the same log key, as long or longer: the root at size 4 differs.
  std::filesystem::rename(dir.file("s.checkpoint"), dir.file("kept"));
  ASSERT_NO_FATAL_FAILURE(write_log(dir, keys, 6, 100));
  std::filesystem::rename(dir.file("kept"), dir.file("s.checkpoint"));
  auto reopened = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, AuditErrc::inconsistent_checkpoint);
  EXPECT_NE(reopened.error().detail.find("the root of its first 4 entries"), std::string::npos)
      << reopened.error().detail;
}

TEST(CheckpointFile, DamagedFileIsRefused) {
  TempDir dir;
  SessionKeys keys(25);
  ASSERT_NO_FATAL_FAILURE(write_log(dir, keys, 3));
  std::ofstream(dir.file("s.checkpoint"), std::ios::app) << "x";
  auto reopened = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, AuditErrc::inconsistent_checkpoint);
  EXPECT_NE(reopened.error().detail.find("is damaged or not signed by this log's key"), std::string::npos)
      << reopened.error().detail;
}

TEST(CheckpointFile, MissingFileNextToANonEmptyLogIsAWarning) {
  TempDir dir;
  SessionKeys keys(26);
  ASSERT_NO_FATAL_FAILURE(write_log(dir, keys, 3));
  std::filesystem::remove(dir.file("s.checkpoint"));
  auto reopened = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
  ASSERT_TRUE(reopened) << reopened.error().message();
  ASSERT_EQ((*reopened)->warnings().size(), 1u);
  EXPECT_NE((*reopened)->warnings()[0].find("no checkpoint file"), std::string::npos);
  // A new, empty log has nothing to warn about.
  TempDir fresh;
  auto empty = AuditLog::open(keys.options(fresh.file("s.db"), &system_clock()));
  ASSERT_TRUE(empty);
  EXPECT_TRUE((*empty)->warnings().empty());
}

}  // namespace
}  // namespace hallvote::audit
