#include "hallvote/session/ballot_shape.h"

#include <gtest/gtest.h>

#include "session_fixture.h"

namespace hallvote::session {
namespace {

using testing::add_vote;
using testing::make_session;
using testing::projects;

TEST(BallotShape, ChooseIsOneContestOfMSelectionsAtMostN) {
  SessionDefinition def = make_session(50, 0, 13);
  VoteDefinition& vote = add_vote(def, VoteKind::choose, projects(13), 10);
  vote.min_selections = 1;
  const BallotShape shape = ballot_shape(def, vote, first_round(vote));
  ASSERT_EQ(shape.contests.size(), 1u);
  EXPECT_EQ(shape.contests[0].id, "V1");
  EXPECT_EQ(shape.contests[0].selections.size(), 13u);
  EXPECT_EQ(shape.contests[0].selections[12].id, "P13");
  EXPECT_EQ(shape.contests[0].selections[12].label, "项目13");
  EXPECT_EQ(shape.contests[0].min_selected, 1u);
  EXPECT_EQ(shape.contests[0].max_selected, 10u);
  EXPECT_FALSE(shape.aggregate_limit);
}

TEST(BallotShape, RunOffRoundOffersOnlyItsItemsForItsPlaces) {
  SessionDefinition def = make_session(50, 0, 5);
  VoteDefinition& vote = add_vote(def, VoteKind::choose, projects(5), 3);
  vote.min_selections = 2;
  const RoundSpec run_off{2, 1, RoundPurpose::tie_run_off, {"P3", "P4"}, 1};
  const BallotShape shape = ballot_shape(def, vote, run_off);
  EXPECT_EQ(shape.round, 2u);
  ASSERT_EQ(shape.contests[0].selections.size(), 2u);
  EXPECT_EQ(shape.contests[0].max_selected, 1u);
  EXPECT_EQ(shape.contests[0].min_selected, 1u);  // the minimum never exceeds the places of the round
}

TEST(BallotShape, PerItemIsOneContestPerItemWithForAgainstAbstainAtMostOne) {
  SessionDefinition def = make_session(50, 0, 2);
  const VoteDefinition& vote = add_vote(def, VoteKind::per_item, {"P1", "M1"});
  const BallotShape shape = ballot_shape(def, vote, first_round(vote));
  ASSERT_EQ(shape.contests.size(), 2u);
  EXPECT_EQ(shape.contests[1].id, "V1/M1");
  EXPECT_EQ(shape.contests[1].item_id, "M1");
  ASSERT_EQ(shape.contests[1].selections.size(), 3u);
  EXPECT_EQ(shape.contests[1].selections[0].id, kFor);
  EXPECT_EQ(shape.contests[1].selections[2].label, "弃权");
  EXPECT_EQ(shape.contests[1].min_selected, 0u);
  EXPECT_EQ(shape.contests[1].max_selected, 1u);
}

TEST(BallotShape, SatisfactionHasThreeOrFourOptionsAndTheAggregateLimit) {
  SessionDefinition def = make_session(50, 0, 4);
  VoteDefinition& vote = add_vote(def, VoteKind::satisfaction, projects(4));
  EXPECT_EQ(ballot_shape(def, vote, first_round(vote)).contests[0].selections.size(), 3u);
  vote.allow_abstain = true;
  vote.max_satisfied = 2;
  const BallotShape shape = ballot_shape(def, vote, first_round(vote));
  ASSERT_EQ(shape.contests[0].selections.size(), 4u);
  EXPECT_EQ(shape.contests[0].selections[3].id, kAbstain);
  ASSERT_TRUE(shape.aggregate_limit);
  EXPECT_EQ(shape.aggregate_limit->selection_id, kSatisfied);
  EXPECT_EQ(shape.aggregate_limit->max_total, 2u);
}

}  // namespace
}  // namespace hallvote::session
