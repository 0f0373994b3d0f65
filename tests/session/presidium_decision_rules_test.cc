// The presidium's decisions as the rules engine applies them (rules.h, docs/rules.md §4 and §9): a shortfall
// the session leaves to the presidium, the further vote held now among the items it names, deferred or
// accepted, and a round declared invalid (选举法 art. 46). 50 deputies in office, threshold 26, 5 projects.
#include <gtest/gtest.h>

#include "hallvote/session/rules.h"
#include "hallvote/session/wording.h"
#include "session_fixture.h"

namespace hallvote::session {
namespace {

using testing::add_vote;
using testing::make_session;
using testing::projects;

RoundTally everyone(std::vector<std::vector<std::uint32_t>> totals) {
  return RoundTally{45, {45, 45, 45, 0}, std::move(totals)};
}

// Round 1 of a choose vote for 3 places: P1 and P2 pass, P3, P4, P5 do not (1 place left).
const std::vector<RoundTally> kShortfall = {everyone({{35, 30, 20, 18, 10}})};

struct Fixture {
  SessionDefinition def = make_session(50, 0, 5);
  VoteDefinition* vote = nullptr;

  explicit Fixture(ShortfallPolicy policy, VoteKind kind = VoteKind::choose) {
    vote = &add_vote(def, kind, projects(5), 3);
    vote->shortfall = policy;
  }
  Result<VoteResult> run(std::span<const RoundTally> rounds, std::vector<PresidiumDecision> decisions) const {
    return compute_vote_result(def, "V1", rounds, decisions);
  }
};

PresidiumDecision hold(std::vector<std::string> items) {
  return {PresidiumAction::hold_further_vote, 1, std::move(items)};
}

// 组织法 art. 29 ¶2 / 选举法 art. 45 ¶2: a further vote for unfilled places is the congress's to decide; with
// shortfall_policy = "presidium" the result waits for it instead of a policy worded as if it had decided.
TEST(PresidiumDecisionRules, AShortfallLeftToThePresidiumWaitsForItsDecision) {
  const Fixture f(ShortfallPolicy::presidium);
  auto result = f.run(kShortfall, {});
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->status, VoteStatus::awaiting_decision);
  EXPECT_FALSE(result->next_round);
  ASSERT_EQ(result->decisions.size(), 1u);
  EXPECT_EQ(result->decisions[0], (Decision{DecisionCode::awaiting_presidium, 1, 2, 3, 3, 1}));
  EXPECT_EQ(decision_words(result->decisions[0]).zh,
            "第1轮达到过半数的项目 2 个，少于应选 3 个；是否对未通过的 3 个项目另行投票，待主席团决定");
}

// "另行选举时，根据在第一次投票时得票多少的顺序…确定候选人名单；如果只选一人，候选人应为二人" (选举法
// art. 45 ¶2, applied by analogy): the presidium names the items that stand, here the top two for one place.
TEST(PresidiumDecisionRules, TheFurtherVoteHeldNowOffersTheItemsThePresidiumNamed) {
  const Fixture f(ShortfallPolicy::presidium);
  auto result = f.run(kShortfall, {hold({"P3", "P4"})});
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->status, VoteStatus::needs_round);
  EXPECT_EQ(result->next_round, (RoundSpec{2, 1, RoundPurpose::shortfall_run_off, {"P3", "P4"}, 1}));
  EXPECT_EQ(result->decisions.back(), (Decision{DecisionCode::presidium_run_off, 1, 2, 3, 2, 1}));
  EXPECT_EQ(decision_words(result->decisions.back()).zh,
            "第1轮达到过半数的项目 2 个，少于应选 3 个；主席团决定对其中 2 个项目另行投票，选出剩余 1 个名额");

  // The further round decides as any round: P4 reaches 26 and fills the place.
  const std::vector<RoundTally> both = {kShortfall[0], everyone({{19, 26}})};
  auto second = f.run(both, {hold({"P3", "P4"})});
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->status, VoteStatus::decided);
  EXPECT_EQ(second->adopted, (std::vector<std::string>{"P1", "P2", "P4"}));
}

TEST(PresidiumDecisionRules, TheStandingItemsMustBeNotAdoptedInBallotOrderAndOfferAChoice) {
  const Fixture f(ShortfallPolicy::presidium);
  for (const auto& items : std::vector<std::vector<std::string>>{
           {"P3"},        // one item for one place: no choice, and not all of the three not adopted
           {"P1", "P3"},  // P1 was adopted
           {"P4", "P3"},  // not in ballot order
           {"P3", "P3"},  // repeated
           {"P3", "P9"},  // not on the ballot
           {}}) {         // none
    auto result = f.run(kShortfall, {hold(items)});
    ASSERT_FALSE(result) << items.size();
    EXPECT_EQ(result.error().code, SessionErrc::invalid_decision);
    EXPECT_NE(result.error().detail.find("第1轮"), std::string::npos) << result.error().detail;
  }
  // Every item not adopted is always a valid list, even when it is no more than the places left.
  const std::vector<RoundTally> one_left = {everyone({{35, 30, 28, 10, 9}})};
  Fixture two(ShortfallPolicy::presidium);
  two.vote->places = 4;  // P1–P3 pass; P4, P5 stand for 1 place
  auto all = two.run(one_left, {hold({"P4", "P5"})});
  ASSERT_TRUE(all) << all.error().message();
}

TEST(PresidiumDecisionRules, DeferredOrAcceptedFewerTheVoteIsDecidedWithThePlacesLeft) {
  const Fixture f(ShortfallPolicy::presidium);
  auto deferred = f.run(kShortfall, {{PresidiumAction::defer_further_vote, 1, {}}});
  ASSERT_TRUE(deferred) << deferred.error().message();
  EXPECT_EQ(deferred->status, VoteStatus::decided);
  EXPECT_EQ(deferred->decisions.back(), (Decision{DecisionCode::presidium_deferred, 1, 2, 3, 3, 1}));
  EXPECT_EQ(decision_words(deferred->decisions.back()).zh,
            "第1轮达到过半数的项目 2 个，少于应选 3 个；主席团决定剩余 1 个名额的另行投票延期举行");
  auto accepted = f.run(kShortfall, {{PresidiumAction::accept_fewer, 1, {}}});
  ASSERT_TRUE(accepted) << accepted.error().message();
  EXPECT_EQ(accepted->status, VoteStatus::decided);
  EXPECT_EQ(accepted->adopted, (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(accepted->decisions.back(), (Decision{DecisionCode::presidium_accepted, 1, 2, 3, 0, 1}));
}

// Issue 15 item 6: under the run_off policy a township vote went to a third round and nothing could accept
// fewer. A presidium decision applies whatever the policy.
TEST(PresidiumDecisionRules, ThePresidiumCanAcceptFewerUnderTheRunOffPolicy) {
  const Fixture f(ShortfallPolicy::run_off);
  auto policy = f.run(kShortfall, {});
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->status, VoteStatus::needs_round);
  auto accepted = f.run(kShortfall, {{PresidiumAction::accept_fewer, 1, {}}});
  ASSERT_TRUE(accepted) << accepted.error().message();
  EXPECT_EQ(accepted->status, VoteStatus::decided);
  EXPECT_FALSE(accepted->next_round);
}

// 选举法 art. 46: "选举结果由主席团根据本法确定是否有效". A round declared invalid is held again with the same
// items and places; its items are undecided and nothing it adopted counts.
TEST(PresidiumDecisionRules, ARoundDeclaredInvalidIsHeldAgain) {
  const Fixture f(ShortfallPolicy::presidium, VoteKind::per_item);
  const std::vector<RoundTally> one = {
      everyone({{40, 3, 2}, {10, 30, 5}, {30, 10, 5}, {26, 9, 10}, {1, 1, 1}})};
  auto result = f.run(one, {{PresidiumAction::declare_invalid, 1, {}}});
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->rounds[0].status, RoundStatus::declared_invalid);
  EXPECT_TRUE(result->adopted.empty());
  EXPECT_EQ(result->next_round, (RoundSpec{2, 1, RoundPurpose::re_vote, result->rounds[0].spec.items,
                                           result->rounds[0].spec.places}));
  EXPECT_EQ(result->decisions, (std::vector<Decision>{{DecisionCode::presidium_invalidated, 1, 0, 0, 0, 0}}));
  EXPECT_EQ(round_summary(result->rounds[0]).zh, "主席团宣布本轮投票无效，须重新投票");
  EXPECT_EQ(decision_words(result->decisions[0]).zh, "主席团宣布第1轮投票无效，须重新投票");

  // The re-vote decides.
  const std::vector<RoundTally> two = {one[0], one[0]};
  auto again = f.run(two, {{PresidiumAction::declare_invalid, 1, {}}});
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->status, VoteStatus::decided);
  EXPECT_EQ(again->adopted, (std::vector<std::string>{"P1", "P3", "P4"}));
}

TEST(PresidiumDecisionRules, AnInvalidRoundMakesItsShortfallDecisionMoot) {
  const Fixture f(ShortfallPolicy::presidium);
  auto result = f.run(kShortfall, {hold({"P3", "P4"}), {PresidiumAction::declare_invalid, 1, {}}});
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->next_round->purpose, RoundPurpose::re_vote);
  EXPECT_EQ(result->next_round->items.size(), 5u);
}

TEST(PresidiumDecisionRules, ADecisionThatDoesNotFitItsRoundIsRefused) {
  const Fixture choose(ShortfallPolicy::presidium);
  const Fixture per_item(ShortfallPolicy::presidium, VoteKind::per_item);
  const std::vector<RoundTally> filled = {everyone({{35, 30, 28, 10, 9}})};
  const std::vector<RoundTally> no_quorum = {RoundTally{20, {20, 20, 20, 0}, {{15, 15, 15, 1, 1}}}};
  const PresidiumDecision accept{PresidiumAction::accept_fewer, 1, {}};
  struct Case {
    const char* what;
    const Fixture& fixture;
    std::vector<RoundTally> rounds;
    std::vector<PresidiumDecision> decisions;
  };
  const std::vector<Case> cases = {
      {"a round not counted yet", choose, kShortfall, {{PresidiumAction::accept_fewer, 2, {}}}},
      {"round 0", choose, kShortfall, {{PresidiumAction::declare_invalid, 0, {}}}},
      {"two shortfall decisions", choose, kShortfall, {accept, {PresidiumAction::defer_further_vote, 1, {}}}},
      {"declared invalid twice",
       choose,
       kShortfall,
       {{PresidiumAction::declare_invalid, 1, {}}, {PresidiumAction::declare_invalid, 1, {}}}},
      {"no shortfall", choose, filled, {accept}},
      {"a per-item vote cannot fall short",
       per_item,
       {everyone({{40, 3, 2}, {10, 30, 5}, {30, 10, 5}, {26, 9, 10}, {1, 1, 1}})},
       {accept}},
      {"a round without quorum is held again anyway",
       choose,
       no_quorum,
       {{PresidiumAction::declare_invalid, 1, {}}}},
  };
  for (const Case& c : cases) {
    auto result = c.fixture.run(c.rounds, c.decisions);
    ASSERT_FALSE(result) << c.what;
    EXPECT_EQ(result.error().code, SessionErrc::invalid_decision) << c.what << ": " << result.error().message();
  }
}

TEST(PresidiumDecisionRules, ActionNamesRoundTrip) {
  for (PresidiumAction a : {PresidiumAction::declare_invalid, PresidiumAction::hold_further_vote,
                            PresidiumAction::defer_further_vote, PresidiumAction::accept_fewer}) {
    PresidiumAction back{};
    ASSERT_TRUE(parse_presidium_action(to_string(a), back));
    EXPECT_EQ(back, a);
  }
  PresidiumAction unchanged = PresidiumAction::accept_fewer;
  EXPECT_FALSE(parse_presidium_action("另行投票", unchanged));
  EXPECT_EQ(unchanged, PresidiumAction::accept_fewer);
}

}  // namespace
}  // namespace hallvote::session
