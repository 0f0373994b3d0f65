#include "hallvote/session/lifecycle.h"

#include <gtest/gtest.h>

#include "session_fixture.h"

namespace hallvote::session {
namespace {

using testing::add_vote;
using testing::make_session;
using testing::projects;

TEST(SessionLifecycle, WalksPreparedSignInInProgressClosed) {
  SessionLifecycle session;
  EXPECT_EQ(session.state(), SessionState::prepared);
  ASSERT_TRUE(session.open_sign_in());
  ASSERT_TRUE(session.start(34, 51, Fraction{}));  // exactly 2/3
  EXPECT_EQ(session.state(), SessionState::in_progress);
  ASSERT_TRUE(session.close());
  EXPECT_EQ(session.state(), SessionState::closed);
}

TEST(SessionLifecycle, IllegalTransitionIsNamedAndChangesNothing) {
  SessionLifecycle session;
  const Status early = session.start(50, 50, Fraction{});
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, SessionErrc::illegal_transition);
  EXPECT_EQ(session.state(), SessionState::prepared);
  EXPECT_EQ(session.close().error().code, SessionErrc::illegal_transition);
  EXPECT_EQ(session.state(), SessionState::prepared);
}

TEST(SessionLifecycle, StartWithoutQuorumFailsAndStaysInSignIn) {
  SessionLifecycle session;
  ASSERT_TRUE(session.open_sign_in());
  const Status started = session.start(33, 51, Fraction{});
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, SessionErrc::quorum_not_met);
  EXPECT_EQ(session.state(), SessionState::sign_in_open);
}

class VoteLifecycleTest : public ::testing::Test {
 protected:
  static SessionDefinition session_with_one_vote() {
    SessionDefinition def = make_session(50, 0, 5);
    add_vote(def, VoteKind::choose, projects(5), 3);
    return def;
  }

  Status approve_with(std::vector<std::string> ids) { return vote_.approve(def_.key_committee, ids); }

  void run_to_certified() {
    ASSERT_TRUE(approve_with({"K1", "K2"}));
    ASSERT_TRUE(vote_.open(SessionState::in_progress));
    ASSERT_TRUE(vote_.close());
    ASSERT_TRUE(vote_.mark_tallied());
    ASSERT_TRUE(vote_.mark_decrypted());
    ASSERT_TRUE(vote_.certify());
  }

  SessionDefinition def_ = session_with_one_vote();
  VoteLifecycle vote_{def_.votes.at(0)};
};

TEST_F(VoteLifecycleTest, WalksEveryStateInOrderWithHoldAndResume) {
  EXPECT_EQ(vote_.current().state, VoteState::drafted);
  ASSERT_TRUE(approve_with({"K1", "K3"}));
  EXPECT_EQ(vote_.current().approvals, (std::vector<std::string>{"K1", "K3"}));
  ASSERT_TRUE(vote_.open(SessionState::in_progress));
  ASSERT_TRUE(vote_.hold());
  EXPECT_EQ(vote_.current().state, VoteState::held);
  ASSERT_TRUE(vote_.open(SessionState::in_progress));
  ASSERT_TRUE(vote_.close());
  ASSERT_TRUE(vote_.mark_tallied());
  ASSERT_TRUE(vote_.mark_decrypted());
  ASSERT_TRUE(vote_.certify());
  ASSERT_TRUE(vote_.announce());
  EXPECT_EQ(vote_.current().state, VoteState::announced);
}

TEST_F(VoteLifecycleTest, ApprovalNeedsQuorumOfDistinctCommitteeMembers) {
  EXPECT_EQ(approve_with({"K1", "K1"}).error().code, SessionErrc::not_enough_approvals);
  EXPECT_EQ(approve_with({"K1", "X9"}).error().code, SessionErrc::unknown_signer);
  EXPECT_EQ(vote_.current().state, VoteState::drafted);
  EXPECT_TRUE(vote_.current().approvals.empty());
}

TEST_F(VoteLifecycleTest, IllegalTransitionsAreNamedAndChangeNothing) {
  EXPECT_EQ(vote_.open(SessionState::in_progress).error().code, SessionErrc::illegal_transition);
  EXPECT_EQ(vote_.close().error().code, SessionErrc::illegal_transition);
  EXPECT_EQ(vote_.certify().error().code, SessionErrc::illegal_transition);
  EXPECT_EQ(vote_.current().state, VoteState::drafted);
  ASSERT_TRUE(approve_with({"K1", "K2"}));
  EXPECT_EQ(vote_.open(SessionState::sign_in_open).error().code, SessionErrc::illegal_transition);
  EXPECT_EQ(vote_.hold().error().code, SessionErrc::illegal_transition);
  EXPECT_EQ(vote_.current().state, VoteState::approved);
  const Status twice = approve_with({"K1", "K2"});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message().find("已批准"), std::string::npos);
}

TEST_F(VoteLifecycleTest, RunOffIsANewRoundLinkedToItsParent) {
  const RoundSpec run_off{2, 1, RoundPurpose::tie_run_off, {"P3", "P4"}, 1};
  EXPECT_EQ(vote_.start_round(run_off).error().code, SessionErrc::illegal_transition);
  run_to_certified();
  EXPECT_EQ(vote_.start_round(RoundSpec{3, 1, RoundPurpose::tie_run_off, {"P3"}, 1}).error().code,
            SessionErrc::illegal_transition);
  ASSERT_TRUE(vote_.start_round(run_off));
  ASSERT_EQ(vote_.rounds().size(), 2u);
  EXPECT_EQ(vote_.rounds()[0].state, VoteState::certified);  // the parent is untouched
  EXPECT_EQ(vote_.current().state, VoteState::drafted);
  EXPECT_EQ(vote_.current().spec, run_off);
}

}  // namespace
}  // namespace hallvote::session
