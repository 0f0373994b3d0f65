// The server while its audit log cannot write (docs/protocol.md §4.2.1, §4.4 `internal`; docs/audit-log.md §9,
// "Durability"): the status answer says writing has stopped, casts are refused `internal` (retryable: the
// terminal keeps its ballot), and once the disk can be written again the same ballot is accepted, with no
// restart; a ballot whose failed commit reached the disk after all is counted and its resend gets its receipt.
#include <gtest/gtest.h>

#include "faulty_vfs.h"
#include "hall_server_fixture.h"

namespace hallvote::server {
namespace {

using protocol::MessageType;
using testing::Hall;
using testing::pick;

void arm(audit::testing::FaultPlan& plan, bool writes, bool syncs) {
  plan.fail_writes = writes;
  plan.fail_syncs = syncs;
  plan.disk_full = writes;
  plan.countdown = 0;
  plan.injected = 0;
  plan.armed = true;
}

TEST(WritingStopped, StatusSaysSoCastsAreRefusedRetryablyAndAcceptedOnceTheDiskHasSpace) {
  auto& plan = audit::testing::faulty_vfs();
  Hall hall;
  hall.vfs = "faulty";
  hall.restart();
  hall.seat(40);
  hall.open_vote("V1");
  const auto first = hall.fetch(0);
  ASSERT_TRUE(hall.send(0, "V1", hall.make_cast(0, first.definition, pick(first.definition, {0}))).ok);
  auto status = hall.call(Hall::chair(), MessageType::status);
  EXPECT_EQ(status.body["writing"], true);
  EXPECT_TRUE(status.body["writing_text"].is_null());

  const auto ballot = hall.fetch(1);
  const auto cast = hall.make_cast(1, ballot.definition, pick(ballot.definition, {1}));
  const auto size_before = hall.log->size();
  arm(plan, /*writes=*/true, /*syncs=*/false);  // the disk is full
  auto refused = hall.send(1, "V1", cast);
  ASSERT_FALSE(refused.ok);
  EXPECT_EQ(refused.error, protocol::ProtocolErrc::internal);  // the terminal keeps the ballot and resends
  EXPECT_NE(refused.detail.find("writing to the audit log has stopped"), std::string::npos) << refused.detail;
  EXPECT_NE(refused.detail.find("retry later"), std::string::npos) << refused.detail;
  status = hall.call(Hall::chair(), MessageType::status);
  EXPECT_EQ(status.body["writing"], false);
  EXPECT_NE(status.body.value("writing_text", "").find("写入已停止 / writing has stopped"), std::string::npos)
      << status.body.dump();
  refused = hall.send(1, "V1", cast);  // still full: refused again, nothing written
  ASSERT_FALSE(refused.ok);
  EXPECT_EQ(refused.error, protocol::ProtocolErrc::internal);
  EXPECT_EQ(hall.log->size(), size_before);

  plan.armed = false;  // space returns
  const auto accepted = hall.send(1, "V1", cast);
  ASSERT_TRUE(accepted.ok) << accepted.detail;
  status = hall.call(Hall::chair(), MessageType::status);
  EXPECT_EQ(status.body["writing"], true);
  auto progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["returned"], 2);

  hall.vfs.clear();
  hall.restart();  // the log re-verifies; memory and disk agreed
  const auto again = hall.send(1, "V1", cast);
  ASSERT_TRUE(again.ok) << again.detail;
  EXPECT_EQ(again.body["index"], accepted.body["index"]);
  progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["returned"], 2);
}

TEST(WritingStopped, ABallotWhoseFailedCommitReachedTheDiskCountsAndItsResendGetsTheReceipt) {
  auto& plan = audit::testing::faulty_vfs();
  Hall hall;
  hall.vfs = "faulty";
  hall.restart();
  hall.seat(40);
  hall.open_vote("V1");
  const auto ballot = hall.fetch(1);
  const auto cast = hall.make_cast(1, ballot.definition, pick(ballot.definition, {1}));
  const auto other = hall.fetch(2);
  const auto other_cast = hall.make_cast(2, other.definition, pick(other.definition, {2}));
  const auto size_before = hall.log->size();
  arm(plan, /*writes=*/false, /*syncs=*/true);  // the commit's frames are written, its fsync fails
  ASSERT_FALSE(hall.send(1, "V1", cast).ok);
  // The next append retries: the log reopens the database, finds deputy 1's ballot on disk and hands it to the
  // server, which counts it; that append's own commit fails again.
  ASSERT_FALSE(hall.send(2, "V1", other_cast).ok);
  EXPECT_EQ(hall.log->size(), size_before + 1);
  plan.armed = false;
  const auto resent = hall.send(1, "V1", cast);
  ASSERT_TRUE(resent.ok) << resent.detail;
  EXPECT_EQ(resent.body["index"], size_before);
  const auto progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_GE(progress.body["returned"].get<int>(), 1);

  hall.vfs.clear();
  hall.restart();
  const auto again = hall.send(1, "V1", cast);
  ASSERT_TRUE(again.ok) << again.detail;
  EXPECT_EQ(again.body["index"], size_before);
}

}  // namespace
}  // namespace hallvote::server
