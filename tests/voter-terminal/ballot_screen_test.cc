#include "hallvote/terminal/ballot_screen.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/group.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/session/loader.h"

namespace hallvote::terminal {
namespace {

protocol::BallotDefinition definition(session::VoteKind kind) {
  static const auto session =
      session::load_session(std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions/hanyin-county.toml").value();
  for (const auto& vote : session.votes) {
    if (vote.kind == kind) {
      return protocol::make_ballot_definition(session, vote, session::first_round(vote),
                                              crypto::Point::generator().encode());
    }
  }
  throw std::runtime_error("no such vote");
}

TEST(BallotScreen, ChooseVoteRefusesAnOvervote) {
  BallotScreen screen(definition(session::VoteKind::choose));
  const auto max = screen.definition().shape.contests[0].max_selected;
  for (std::size_t i = 0; i < max; ++i) ASSERT_TRUE(screen.toggle(0, i));
  auto over = screen.toggle(0, max);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, protocol::ProtocolErrc::invalid_ballot);
  EXPECT_FALSE(screen.selected(0, max));
  ASSERT_TRUE(screen.toggle(0, 0));  // clearing one makes room
  EXPECT_TRUE(screen.toggle(0, max));
  EXPECT_TRUE(screen.ready());
}

TEST(BallotScreen, OneChoiceContestsReplaceThePreviousChoice) {
  BallotScreen screen(definition(session::VoteKind::per_item));
  ASSERT_TRUE(screen.toggle(0, 0));  // 赞成
  ASSERT_TRUE(screen.toggle(0, 1));  // 反对 replaces it
  EXPECT_FALSE(screen.selected(0, 0));
  EXPECT_TRUE(screen.selected(0, 1));
  EXPECT_NE(screen.review().find("反对"), std::string::npos);
  EXPECT_FALSE(screen.toggle(0, 99));
}

TEST(BallotScreen, AggregateLimitIsEnforcedAcrossContests) {
  auto rated_satisfaction = definition(session::VoteKind::satisfaction);
  rated_satisfaction.shape.aggregate_limit =
      session::AggregateLimit{std::string(session::kSatisfied), 3};  // 至多3项满意
  BallotScreen screen(rated_satisfaction);
  const auto& limit = screen.definition().shape.aggregate_limit;
  std::uint32_t rated = 0;
  for (const auto& contest : screen.definition().shape.contests) {
    auto ok = screen.select(contest.id, limit->selection_id);
    if (rated < limit->max_total) {
      EXPECT_TRUE(ok);
      ++rated;
    } else {
      EXPECT_FALSE(ok);
    }
  }
}

TEST(BallotScreen, BlankContestsReviewAsNotExpressed) {
  BallotScreen screen(definition(session::VoteKind::per_item));
  EXPECT_TRUE(screen.ready());
  EXPECT_NE(screen.review().find("未表态"), std::string::npos);
}

}  // namespace
TEST(BallotScreen, ReviewShowsItemNamesNotCodesAlone) {
  BallotScreen screen(definition(session::VoteKind::per_item));
  ASSERT_TRUE(screen.toggle(0, 0));
  const auto& contest = screen.definition().shape.contests[0];
  ASSERT_FALSE(contest.title.empty());
  EXPECT_NE(screen.review().find(contest.title + "（" + contest.item_id + "）：赞成"), std::string::npos);
}

}  // namespace hallvote::terminal
