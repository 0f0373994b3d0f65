#include "hallvote/session/rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

#include "hallvote/session/wording.h"
#include "session_fixture.h"

namespace hallvote::session {
namespace {

using testing::add_vote;
using testing::make_session;
using testing::projects;

// One letter per item: A adopted, N not adopted, R run-off, S/B/D satisfied/basically/dissatisfied, U
// undecided.
std::string letters(const RoundResult& round) {
  std::string out;
  for (const ItemResult& item : round.items) {
    switch (item.verdict) {
      case Verdict::adopted:
        out += 'A';
        break;
      case Verdict::not_adopted:
        out += 'N';
        break;
      case Verdict::run_off:
        out += 'R';
        break;
      case Verdict::satisfied:
        out += 'S';
        break;
      case Verdict::basically_satisfied:
        out += 'B';
        break;
      case Verdict::dissatisfied:
        out += 'D';
        break;
      case Verdict::undecided:
        out += 'U';
        break;
    }
  }
  return out;
}

RoundTally tally(std::uint32_t present, BallotAccounting accounting,
                 std::vector<std::vector<std::uint32_t>> totals) {
  return RoundTally{present, accounting, std::move(totals)};
}

// Everyone present votes and every ballot is valid.
BallotAccounting all_valid(std::uint32_t present) { return {present, present, present, 0}; }

// ---------------------------------------------------------------- choose (差额票决)

struct ChooseCase {
  const char* name;
  std::uint32_t in_office;
  std::uint32_t not_in_office;
  std::uint32_t present;
  BallotAccounting accounting;
  std::uint32_t places;
  std::vector<std::uint32_t> votes;
  ShortfallPolicy policy;
  std::string expected;              // letters of round 1
  std::vector<std::string> adopted;  // in rank order
  std::optional<RoundSpec> next;
  std::size_t decisions;
};

std::vector<ChooseCase> choose_cases() {
  using P = ShortfallPolicy;
  using R = RoundPurpose;
  const BallotAccounting all45 = all_valid(45);
  return {
      {"clear_result",
       50,
       0,
       45,
       all45,
       3,
       {40, 35, 30, 20, 10},
       P::run_off,
       "AAANN",
       {"P1", "P2", "P3"},
       {},
       0},
      {"two_way_tie_at_nth",
       50,
       0,
       45,
       all45,
       3,
       {35, 30, 28, 28, 10},
       P::run_off,
       "AARRN",
       {"P1", "P2"},
       RoundSpec{2, 1, R::tie_run_off, {"P3", "P4"}, 1},
       0},
      {"three_way_tie_at_nth",
       50,
       0,
       45,
       all45,
       3,
       {36, 30, 30, 9, 30},
       P::run_off,
       "ARRNR",
       {"P1"},
       RoundSpec{2, 1, R::tie_run_off, {"P2", "P3", "P5"}, 2},
       0},
      {"tie_at_threshold",
       50,
       0,
       45,
       all45,
       3,
       {38, 35, 26, 26, 10},
       P::run_off,
       "AARRN",
       {"P1", "P2"},
       RoundSpec{2, 1, R::tie_run_off, {"P3", "P4"}, 1},
       0},
      {"tie_just_below_threshold_is_shortfall",
       50,
       0,
       45,
       all45,
       3,
       {40, 35, 25, 25, 10},
       P::run_off,
       "AANNN",
       {"P1", "P2"},
       RoundSpec{2, 1, R::shortfall_run_off, {"P3", "P4", "P5"}, 1},
       1},
      {"tie_above_cut",
       50,
       0,
       45,
       all45,
       3,
       {38, 38, 30, 20, 9},
       P::run_off,
       "AAANN",
       {"P1", "P2", "P3"},
       {},
       0},
      {"tie_filling_last_places_exactly",
       50,
       0,
       45,
       all45,
       4,
       {40, 35, 30, 30, 10},
       P::run_off,
       "AAAAN",
       {"P1", "P2", "P3", "P4"},
       {},
       0},
      {"tie_below_cut",
       50,
       0,
       50,
       all_valid(50),
       3,
       {32, 30, 28, 27, 27},
       P::run_off,
       "AAANN",
       {"P1", "P2", "P3"},
       {},
       0},
      {"outranked_above_threshold",
       50,
       0,
       50,
       all_valid(50),
       3,
       {35, 33, 30, 27, 10},
       P::run_off,
       "AAANN",
       {"P1", "P2", "P3"},
       {},
       0},
      {"shortfall_run_off",
       50,
       0,
       45,
       all45,
       3,
       {40, 20, 15, 10, 5},
       P::run_off,
       "ANNNN",
       {"P1"},
       RoundSpec{2, 1, R::shortfall_run_off, {"P2", "P3", "P4", "P5"}, 2},
       1},
      {"shortfall_accept_fewer",
       50,
       0,
       45,
       all45,
       3,
       {40, 20, 15, 10, 5},
       P::accept_fewer,
       "ANNNN",
       {"P1"},
       {},
       1},
      {"even_roster_exactly_half_fails",
       50,
       0,
       45,
       all45,
       1,
       {25, 10, 5, 3, 2},
       P::accept_fewer,
       "NNNNN",
       {},
       {},
       1},
      {"even_roster_half_plus_one",
       50,
       0,
       45,
       all45,
       1,
       {26, 10, 5, 3, 1},
       P::accept_fewer,
       "ANNNN",
       {"P1"},
       {},
       0},
      {"odd_roster_25_fails", 51, 0, 45, all45, 1, {25, 10, 5, 3, 2}, P::accept_fewer, "NNNNN", {}, {}, 1},
      {"odd_roster_26_passes", 51, 0, 45, all45, 1, {26, 10, 5, 3, 1}, P::accept_fewer, "ANNNN", {"P1"}, {}, 0},
      {"not_in_office_excluded_from_base",
       50,
       4,
       45,
       all45,
       1,
       {26, 10, 5, 3, 1},
       P::accept_fewer,
       "ANNNN",
       {"P1"},
       {},
       0},
      {"all_ballots_blank_run_off",
       50,
       0,
       45,
       all45,
       3,
       {0, 0, 0, 0, 0},
       P::run_off,
       "NNNNN",
       {},
       RoundSpec{2, 1, R::shortfall_run_off, projects(5), 3},
       1},
      {"all_ballots_blank_accept", 50, 0, 45, all45, 3, {0, 0, 0, 0, 0}, P::accept_fewer, "NNNNN", {}, {}, 1},
      {"everybody_did_not_vote",
       50,
       0,
       45,
       {45, 0, 0, 0},
       3,
       {0, 0, 0, 0, 0},
       P::accept_fewer,
       "NNNNN",
       {},
       {},
       1},
      {"returned_exceeds_issued_voids_round",
       50,
       0,
       45,
       {45, 46, 46, 0},
       3,
       {40, 35, 30, 20, 10},
       P::run_off,
       "UUUUU",
       {},
       RoundSpec{2, 1, R::re_vote, projects(5), 3},
       0},
      {"exactly_two_thirds_present_counts",
       51,
       0,
       34,
       all_valid(34),
       1,
       {26, 1, 1, 1, 1},
       P::run_off,
       "ANNNN",
       {"P1"},
       {},
       0},
      {"one_fewer_than_two_thirds_cannot_decide",
       51,
       0,
       33,
       all_valid(33),
       1,
       {30, 1, 1, 1, 0},
       P::run_off,
       "UUUUU",
       {},
       RoundSpec{2, 1, R::re_vote, projects(5), 1},
       0},
  };
}

TEST(ComputeVoteResult, ChooseEdgeCases) {
  for (const ChooseCase& c : choose_cases()) {
    SCOPED_TRACE(c.name);
    SessionDefinition def = make_session(c.in_office, c.not_in_office, 5);
    add_vote(def, VoteKind::choose, projects(5), c.places).shortfall = c.policy;
    const std::vector<RoundTally> rounds = {tally(c.present, c.accounting, {c.votes})};
    const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
    ASSERT_TRUE(result) << result.error().message();
    ASSERT_EQ(result->rounds.size(), 1u);
    EXPECT_EQ(letters(result->rounds[0]), c.expected);
    EXPECT_EQ(result->adopted, c.adopted);
    EXPECT_EQ(result->next_round, c.next);
    EXPECT_EQ(result->status, c.next ? VoteStatus::needs_round : VoteStatus::decided);
    EXPECT_EQ(result->decisions.size(), c.decisions);
    for (const ItemResult& item : result->rounds[0].items) {
      EXPECT_FALSE(item_reason(result->rounds[0], item).zh.empty());
      EXPECT_FALSE(item_reason(result->rounds[0], item).en.empty());
    }
  }
}

TEST(ComputeVoteResult, RunOffRoundIsLinkedToItsParentAndItsShortfallFollowsThePolicy) {
  SessionDefinition def = make_session(50, 0, 5);
  add_vote(def, VoteKind::choose, projects(5), 3).tie_revote = TieRevoteRule::majority;
  const std::vector<RoundTally> rounds = {tally(45, all_valid(45), {{35, 30, 28, 28, 10}}),
                                          tally(44, all_valid(44), {{20, 24}})};
  const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
  ASSERT_TRUE(result) << result.error().message();
  ASSERT_EQ(result->rounds.size(), 2u);
  EXPECT_EQ(result->rounds[1].spec.parent, 1u);
  EXPECT_EQ(result->rounds[1].spec.purpose, RoundPurpose::tie_run_off);
  EXPECT_EQ(letters(result->rounds[1]), "NN");  // both below the 26 still required
  EXPECT_EQ(result->next_round, (RoundSpec{3, 2, RoundPurpose::shortfall_run_off, {"P3", "P4"}, 1}));
  EXPECT_EQ(result->adopted, (std::vector<std::string>{"P1", "P2"}));
}

TEST(ComputeVoteResult, TieRunOffUnderTheMajorityRuleStillNeedsTheThreshold) {
  SessionDefinition def = make_session(50, 0, 5);
  VoteDefinition& vote = add_vote(def, VoteKind::choose, projects(5), 3);
  vote.shortfall = ShortfallPolicy::accept_fewer;
  vote.tie_revote = TieRevoteRule::majority;
  const std::vector<RoundTally> rounds = {tally(45, all_valid(45), {{35, 30, 28, 28, 10}}),
                                          tally(44, all_valid(44), {{18, 26}})};
  const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(letters(result->rounds[1]), "NA");
  EXPECT_EQ(result->adopted, (std::vector<std::string>{"P1", "P2", "P4"}));
  EXPECT_EQ(result->status, VoteStatus::decided);
  EXPECT_EQ(result->rounds[1].items[1].reason.code, ReasonCode::within_places);
  EXPECT_EQ(item_reason(result->rounds[1], result->rounds[1].items[1]).zh,
            "得票 26 票，达到全体代表过半数 26 票，排名第 1，在应选 1 个名额内，通过");
}

// ---------------------------------------------------------------- cases from the articles' text
// 50 deputies in office, threshold 26, 5 projects, 3 places (docs/rules.md §3). Each case keeps its source.

struct LawCase {
  const char* source;
  ShortfallPolicy policy;
  TieRevoteRule rule;
  std::uint32_t shortfall_run_offs;
  std::vector<std::vector<std::uint32_t>> rounds;  // each round's votes, in the round's ballot order
  std::vector<std::string> adopted;
  std::optional<RoundSpec> next;
  std::vector<DecisionCode> decisions;
  ReasonCode last_round_first_reason;  // the reason of the last round's first item
};

std::vector<LawCase> law_cases() {
  using P = ShortfallPolicy;
  using T = TieRevoteRule;
  using R = RoundPurpose;
  using D = DecisionCode;
  const std::vector<std::uint32_t> tied_at_third = {35, 30, 28, 28, 10};
  return {
      {"选举法 art. 45 / 组织法 art. 29 ¶1: 如遇票数相等不能确定当选人时，应当就票数相等的人再次投票 — a "
       "re-vote "
       "that ties again is re-voted again, never the shortfall policy (accept_fewer)",
       P::accept_fewer,
       T::plurality,
       1,
       {tied_at_third, {25, 25}},
       {"P1", "P2"},
       RoundSpec{3, 2, R::tie_run_off, {"P3", "P4"}, 1},
       {},
       ReasonCode::tied_at_last_place},
      {"the same under run_off: 再次投票（票数相等）, not 另行投票（不足名额）",
       P::run_off,
       T::plurality,
       1,
       {tied_at_third, {25, 25}},
       {"P1", "P2"},
       RoundSpec{3, 2, R::tie_run_off, {"P3", "P4"}, 1},
       {},
       ReasonCode::tied_at_last_place},
      {"the same when the 办法 keeps the majority rule in re-votes: equal votes below the threshold are still "
       "a tie",
       P::accept_fewer,
       T::majority,
       1,
       {tied_at_third, {25, 25}},
       {"P1", "P2"},
       RoundSpec{3, 2, R::tie_run_off, {"P3", "P4"}, 1},
       {},
       ReasonCode::tied_at_last_place},
      {"选举法 art. 45: 再次投票，以得票多的当选 — the plurality rule adopts the most votes",
       P::accept_fewer,
       T::plurality,
       1,
       {tied_at_third, {20, 24}},
       {"P1", "P2", "P4"},
       {},
       {},
       ReasonCode::fewer_votes},
      {"a 办法 keeping the majority rule: the re-vote falls short and the policy applies",
       P::run_off,
       T::majority,
       1,
       {tied_at_third, {20, 24}},
       {"P1", "P2"},
       RoundSpec{3, 2, R::shortfall_run_off, {"P3", "P4"}, 1},
       {D::shortfall_run_off},
       ReasonCode::below_threshold},
      {"a three-way tie for two places re-voted: the most votes is adopted, the tie for the last place "
       "re-voted",
       P::run_off,
       T::plurality,
       1,
       {{35, 28, 28, 28, 10}, {20, 15, 15}},
       {"P1", "P2"},
       RoundSpec{3, 2, R::tie_run_off, {"P3", "P4"}, 1},
       {},
       ReasonCode::most_votes},
      {"组织法 art. 29 ¶2: 不足的名额另行选举 — held once by default; still short, the place stays unfilled at "
       "this "
       "sitting (it may be voted at a later one)",
       P::run_off,
       T::plurality,
       1,
       {{40, 35, 25, 25, 10}, {20, 15, 10}},
       {"P1", "P2"},
       {},
       {D::shortfall_run_off, D::shortfall_left_open},
       ReasonCode::below_threshold},
      {"a session allowing two 另行投票 rounds holds the second",
       P::run_off,
       T::plurality,
       2,
       {{40, 35, 25, 25, 10}, {20, 15, 10}},
       {"P1", "P2"},
       RoundSpec{3, 2, R::shortfall_run_off, {"P3", "P4", "P5"}, 1},
       {D::shortfall_run_off, D::shortfall_run_off},
       ReasonCode::below_threshold},
      {"a session allowing none leaves the place unfilled at once",
       P::run_off,
       T::plurality,
       0,
       {{40, 35, 25, 25, 10}},
       {"P1", "P2"},
       {},
       {D::shortfall_left_open},
       ReasonCode::within_places},
  };
}

TEST(ComputeVoteResult, CasesFromTheArticlesText) {
  for (const LawCase& c : law_cases()) {
    SCOPED_TRACE(c.source);
    SessionDefinition def = make_session(50, 0, 5);
    VoteDefinition& vote = add_vote(def, VoteKind::choose, projects(5), 3);
    vote.shortfall = c.policy;
    vote.tie_revote = c.rule;
    vote.shortfall_run_offs = c.shortfall_run_offs;
    std::vector<RoundTally> rounds;
    for (const auto& votes : c.rounds) rounds.push_back(tally(50, all_valid(50), {votes}));
    const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(result->adopted, c.adopted);
    EXPECT_EQ(result->next_round, c.next);
    EXPECT_EQ(result->status, c.next ? VoteStatus::needs_round : VoteStatus::decided);
    std::vector<DecisionCode> decisions;
    for (const Decision& d : result->decisions) decisions.push_back(d.code);
    EXPECT_EQ(decisions, c.decisions);
    const RoundResult& last = result->rounds.back();
    EXPECT_EQ(last.items.front().reason.code, c.last_round_first_reason);
    for (const ItemResult& item : last.items) EXPECT_FALSE(item_reason(last, item).zh.empty());
    for (const Decision& d : result->decisions) EXPECT_FALSE(decision_words(d).zh.empty());
  }
}

TEST(ComputeVoteResult, PluralityReVoteWordsSayMostVotesDecided) {
  SessionDefinition def = make_session(50, 0, 5);
  add_vote(def, VoteKind::choose, projects(5), 3);
  const std::vector<RoundTally> rounds = {tally(45, all_valid(45), {{35, 30, 28, 28, 10}}),
                                          tally(44, all_valid(44), {{20, 24}})};
  const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
  ASSERT_TRUE(result) << result.error().message();
  const RoundResult& round = result->rounds[1];
  EXPECT_EQ(item_reason(round, round.items[1]).zh,
            "得票 24 票，再次投票中排名第 1，以得票多的当选，在剩余 1 个名额内，通过");
  EXPECT_EQ(item_reason(round, round.items[0]).en,
            "20 votes, ranks 2 in the tie re-vote, decided by most votes, outside the 1 place(s): not adopted");
}

TEST(ComputeVoteResult, LeftOpenDecisionWords) {
  const Decision left_open{DecisionCode::shortfall_left_open, 2, 0, 1, 0, 1};
  EXPECT_EQ(
      decision_words(left_open).zh,
      "第2轮达到过半数的项目 0 个，少于应选 1 个；按设定的不足名额处理方式，本次会议可进行的另行投票已经进行，"
      "剩余 1 个名额本次会议不再投票");
}

TEST(ComputeVoteResult, TallyAfterDecisionIsUnexpected) {
  SessionDefinition def = make_session(50, 0, 5);
  add_vote(def, VoteKind::choose, projects(5), 3);
  const std::vector<RoundTally> rounds = {tally(45, all_valid(45), {{40, 35, 30, 20, 10}}),
                                          tally(45, all_valid(45), {{40, 35, 30, 20, 10}})};
  const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, SessionErrc::unexpected_round);
}

TEST(ComputeVoteResult, NoRoundsAsksForTheFirstRound) {
  SessionDefinition def = make_session(50, 0, 5);
  add_vote(def, VoteKind::choose, projects(5), 3);
  const Result<VoteResult> result = compute_vote_result(def, "V1", {});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, VoteStatus::needs_round);
  EXPECT_EQ(result->next_round, (RoundSpec{1, std::nullopt, RoundPurpose::initial, projects(5), 3}));
}

// ---------------------------------------------------------------- per_item (逐项表决)

struct PerItemCase {
  const char* name;
  std::uint32_t in_office;
  std::uint32_t not_in_office;
  ThresholdBase base;
  std::uint32_t present;
  BallotAccounting accounting;
  std::vector<std::uint32_t> totals;  // 赞成, 反对, 弃权
  char expected;
  std::uint32_t blank;
  std::uint32_t no_ballot;
};

TEST(ComputeVoteResult, PerItemEdgeCases) {
  using B = ThresholdBase;
  const std::vector<PerItemCase> cases = {
      {"even_exactly_half_fails", 50, 0, B::in_office, 45, all_valid(45), {25, 10, 10}, 'N', 0, 0},
      {"even_half_plus_one_passes", 50, 0, B::in_office, 45, all_valid(45), {26, 10, 9}, 'A', 0, 0},
      {"odd_25_of_51_fails", 51, 0, B::in_office, 45, all_valid(45), {25, 10, 10}, 'N', 0, 0},
      {"odd_26_of_51_passes", 51, 0, B::in_office, 45, all_valid(45), {26, 10, 9}, 'A', 0, 0},
      {"not_in_office_excluded", 50, 3, B::in_office, 45, all_valid(45), {26, 10, 9}, 'A', 0, 0},
      {"present_base_half_fails", 50, 0, B::present, 40, all_valid(40), {20, 10, 10}, 'N', 0, 0},
      {"present_base_half_plus_one", 50, 0, B::present, 40, all_valid(40), {21, 10, 9}, 'A', 0, 0},
      {"valid_base", 50, 0, B::valid, 40, {40, 38, 30, 8}, {16, 10, 4}, 'A', 0, 2},
      {"valid_base_exactly_half", 50, 0, B::valid, 40, {40, 38, 30, 8}, {15, 10, 5}, 'N', 0, 2},
      {"blank_is_not_abstain", 50, 0, B::in_office, 45, all_valid(45), {26, 5, 4}, 'A', 10, 0},
      {"all_ballots_blank", 50, 0, B::in_office, 45, all_valid(45), {0, 0, 0}, 'N', 45, 0},
      {"everybody_did_not_vote", 50, 0, B::in_office, 45, {45, 0, 0, 0}, {0, 0, 0}, 'N', 0, 45},
      {"everybody_did_not_vote_valid_base", 50, 0, B::valid, 45, {45, 0, 0, 0}, {0, 0, 0}, 'N', 0, 45},
      {"returned_exceeds_issued", 50, 0, B::in_office, 45, {44, 45, 45, 0}, {40, 5, 0}, 'U', 0, 0},
      // 应到 49 实到 37 发出 36 收回 36: the deputy a ballot never reached (seat offline) is 未按, not nowhere.
      {"present_without_a_ballot_is_no_ballot", 49, 0, B::in_office, 37, all_valid(36), {26, 5, 5}, 'A', 0, 1},
      {"issued_not_returned_and_never_issued", 50, 0, B::in_office, 45, {44, 40, 40, 0}, {30, 5, 5}, 'A', 0, 5},
      {"exactly_two_thirds_of_50_is_34", 50, 0, B::in_office, 34, all_valid(34), {26, 4, 4}, 'A', 0, 0},
      {"33_of_50_is_no_quorum", 50, 0, B::in_office, 33, all_valid(33), {30, 3, 0}, 'U', 0, 0},
  };
  for (const PerItemCase& c : cases) {
    SCOPED_TRACE(c.name);
    SessionDefinition def = make_session(c.in_office, c.not_in_office, 1);
    add_vote(def, VoteKind::per_item, {"M1"}).threshold_base = c.base;
    const std::vector<RoundTally> rounds = {tally(c.present, c.accounting, {c.totals})};
    const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
    ASSERT_TRUE(result) << result.error().message();
    const RoundResult& round = result->rounds[0];
    EXPECT_EQ(letters(round), std::string(1, c.expected));
    EXPECT_EQ(round.items[0].blank, c.blank);
    EXPECT_EQ(round.no_ballot, c.no_ballot);
    EXPECT_EQ(round.in_office, c.in_office);
    EXPECT_EQ(result->status, c.expected == 'U' ? VoteStatus::needs_round : VoteStatus::decided);
    if (c.expected == 'U') {
      EXPECT_EQ(result->next_round->purpose, RoundPurpose::re_vote);
    }
  }
}

TEST(ComputeVoteResult, VerdictReasonSaysWhyInWords) {
  SessionDefinition def = make_session(252, 0, 1);
  add_vote(def, VoteKind::per_item, {"M1"});
  const std::vector<RoundTally> rounds = {tally(240, all_valid(240), {{126, 60, 40}})};
  const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->rounds[0].items[0].reason.code, ReasonCode::fails);
  EXPECT_EQ(item_reason(result->rounds[0], result->rounds[0].items[0]).zh,
            "赞成 126 票，未达到全体代表过半数 127 票，未通过");
  EXPECT_EQ(item_reason(result->rounds[0], result->rounds[0].items[0]).en,
            "126 for, short of the 127 needed (more than half of all 252 deputies): fails");
  EXPECT_EQ(round_summary(result->rounds[0]).zh,
            "应到 252 人，实到 240 人；发出 240 张，收回 240 张，有效 240 张，无效 0 张；未按 0 "
            "人；全体代表过半数为 127 票");
}

TEST(ComputeVoteResult, VoidAndNoQuorumRoundsSayWhy) {
  SessionDefinition def = make_session(50, 0, 1);
  add_vote(def, VoteKind::per_item, {"M1"});
  std::vector<RoundTally> rounds = {tally(45, {44, 45, 45, 0}, {{40, 5, 0}})};
  EXPECT_EQ(round_summary(compute_vote_result(def, "V1", rounds)->rounds[0]).zh,
            "收回 45 张，多于发出 44 张，本轮投票无效，须重新投票");
  rounds = {tally(33, all_valid(33), {{30, 3, 0}})};
  EXPECT_EQ(round_summary(compute_vote_result(def, "V1", rounds)->rounds[0]).zh,
            "实到 33 人，不足实有代表 50 人的三分之二（至少 34 人），本轮不能表决，须重新投票");
}

TEST(ComputeVoteResult, ReVoteAfterVoidRoundDecides) {
  SessionDefinition def = make_session(50, 0, 2);
  add_vote(def, VoteKind::per_item, {"P1", "M1"});
  const std::vector<RoundTally> rounds = {tally(45, {44, 45, 45, 0}, {{40, 5, 0}, {30, 10, 5}}),
                                          tally(45, all_valid(45), {{40, 5, 0}, {20, 20, 5}})};
  const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->rounds[1].spec.parent, 1u);
  EXPECT_EQ(letters(result->rounds[0]), "UU");
  EXPECT_EQ(letters(result->rounds[1]), "AN");
  EXPECT_EQ(result->adopted, std::vector<std::string>{"P1"});
  EXPECT_EQ(result->status, VoteStatus::decided);
}

// ---------------------------------------------------------------- satisfaction (满意度测评)

TEST(ComputeVoteResult, SatisfactionTierBoundaries) {
  struct Case {
    std::vector<std::uint32_t> totals;  // 满意, 基本满意, 不满意, 弃权
    char expected;
  };
  const std::vector<Case> cases = {
      {{26, 10, 5, 4}, 'S'},                          // 满意 = threshold 26 of 50
      {{25, 1, 15, 4}, 'B'},                          // 满意 one short; 满意+基本满意 = 26
      {{0, 26, 15, 4}, 'B'},  {{25, 0, 16, 4}, 'D'},  // 满意+基本满意 = 25, exactly half
      {{10, 15, 20, 0}, 'D'}, {{0, 0, 0, 45}, 'D'},   // everybody abstains
      {{0, 0, 0, 0}, 'D'},                            // all blank
  };
  for (const Case& c : cases) {
    SessionDefinition def = make_session(50, 0, 1);
    add_vote(def, VoteKind::satisfaction, {"P1"}).allow_abstain = true;
    const std::vector<RoundTally> rounds = {tally(45, all_valid(45), {c.totals})};
    const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(letters(result->rounds[0]), std::string(1, c.expected)) << c.totals[0] << "/" << c.totals[1];
    EXPECT_TRUE(result->adopted.empty());
  }
}

TEST(ComputeVoteResult, SatisfactionReasonNamesBothSums) {
  SessionDefinition def = make_session(50, 0, 1);
  add_vote(def, VoteKind::satisfaction, {"P1"});
  const std::vector<RoundTally> rounds = {tally(45, all_valid(45), {{25, 1, 19}})};
  const RoundResult satisfaction = compute_vote_result(def, "V1", rounds)->rounds[0];
  EXPECT_EQ(satisfaction.items[0].reason.code, ReasonCode::basically_satisfied);
  EXPECT_EQ(item_reason(satisfaction, satisfaction.items[0]).zh,
            "满意 25 票，未达到全体代表过半数 26 票；满意与基本满意合计 26 票，达到全体代表过半数 26 "
            "票，评为基本满意");
}

// ---------------------------------------------------------------- inconsistent input

TEST(ComputeVoteResult, RejectsTalliesThatCannotBeRight) {
  struct Case {
    const char* name;
    RoundTally tally;
  };
  const std::vector<Case> cases = {
      {"too_few_contests", tally(45, all_valid(45), {{1, 1, 1}})},
      {"wrong_selection_count", tally(45, all_valid(45), {{1, 1}, {1, 1, 1}})},
      {"valid_plus_invalid_not_returned", tally(45, {45, 45, 40, 4}, {{1, 1, 1}, {1, 1, 1}})},
      {"issued_exceeds_present", tally(45, {46, 45, 45, 0}, {{1, 1, 1}, {1, 1, 1}})},
      {"present_exceeds_in_office", tally(51, all_valid(51), {{1, 1, 1}, {1, 1, 1}})},
      {"total_exceeds_valid", tally(45, all_valid(45), {{46, 0, 0}, {1, 1, 1}})},
      {"contest_sum_exceeds_one_per_ballot", tally(45, all_valid(45), {{30, 10, 6}, {1, 1, 1}})},
  };
  SessionDefinition def = make_session(50, 0, 2);
  add_vote(def, VoteKind::per_item, {"P1", "P2"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::vector<RoundTally> rounds = {c.tally};
    const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, SessionErrc::inconsistent_counts);
  }
}

TEST(ComputeVoteResult, RejectsChooseSumAboveNAndSatisfactionAboveAggregateLimit) {
  SessionDefinition def = make_session(50, 0, 3);
  add_vote(def, VoteKind::choose, projects(3), 1);
  VoteDefinition& satisfaction = add_vote(def, VoteKind::satisfaction, projects(3));
  satisfaction.max_satisfied = 1;
  const std::vector<RoundTally> over_n = {tally(10, all_valid(10), {{6, 5, 0}})};
  EXPECT_EQ(compute_vote_result(def, "V1", over_n).error().code, SessionErrc::inconsistent_counts);
  const std::vector<RoundTally> over_k = {tally(10, all_valid(10), {{6, 0, 0}, {5, 0, 0}, {0, 0, 0}})};
  EXPECT_EQ(compute_vote_result(def, "V2", over_k).error().code, SessionErrc::inconsistent_counts);
  EXPECT_EQ(compute_vote_result(def, "V9", over_k).error().code, SessionErrc::unknown_vote);
}

// ---------------------------------------------------------------- properties

// Random valid ballots for a choose round: each selects between 0 and `places` of `items` items.
std::vector<std::vector<bool>> random_ballots(std::mt19937& rng, std::uint32_t count, std::size_t items,
                                              std::uint32_t places) {
  std::vector<std::vector<bool>> ballots;
  for (std::uint32_t b = 0; b < count; ++b) {
    std::vector<std::size_t> order(items);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    const std::size_t chosen = std::uniform_int_distribution<std::size_t>(0, places)(rng);
    std::vector<bool> ballot(items, false);
    // A strong bias toward the first items makes ties and thresholds interesting.
    for (std::size_t k = 0; k < chosen; ++k) ballot[std::min(order[k], order[(k + 1) % items])] = true;
    ballots.push_back(std::move(ballot));
  }
  return ballots;
}

std::vector<std::uint32_t> sum_ballots(const std::vector<std::vector<bool>>& ballots, std::size_t items) {
  std::vector<std::uint32_t> totals(items, 0);
  for (const auto& ballot : ballots) {
    for (std::size_t i = 0; i < items; ++i) totals[i] += ballot[i] ? 1U : 0U;
  }
  return totals;
}

TEST(ComputeVoteResultProperty, NeverMoreThanNAdoptedAndNothingBelowThreshold) {
  std::mt19937 rng(20250108);
  for (int trial = 0; trial < 400; ++trial) {
    const std::uint32_t in_office = std::uniform_int_distribution<std::uint32_t>(3, 120)(rng);
    const std::uint32_t m = std::uniform_int_distribution<std::uint32_t>(1, 13)(rng);
    const std::uint32_t n = std::uniform_int_distribution<std::uint32_t>(1, m)(rng);
    SessionDefinition def = make_session(in_office, static_cast<std::uint32_t>(trial % 3), m);
    VoteDefinition& vote = add_vote(def, VoteKind::choose, projects(m), n);
    vote.shortfall = trial % 2 == 0 ? ShortfallPolicy::run_off : ShortfallPolicy::accept_fewer;
    vote.threshold_base = static_cast<ThresholdBase>(trial % 3);
    vote.tie_revote = trial % 4 < 2 ? TieRevoteRule::plurality : TieRevoteRule::majority;
    std::vector<RoundTally> rounds;
    Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
    for (int guard = 0; guard < 12 && result && result->status == VoteStatus::needs_round; ++guard) {
      const RoundSpec& spec = *result->next_round;
      const std::uint32_t present =
          std::uniform_int_distribution<std::uint32_t>(in_office * 2 / 3, in_office)(rng);
      const std::uint32_t returned = std::uniform_int_distribution<std::uint32_t>(0, present)(rng);
      const std::uint32_t invalid = std::uniform_int_distribution<std::uint32_t>(0, returned / 10)(rng);
      const auto ballots = random_ballots(rng, returned - invalid, spec.items.size(), spec.places);
      rounds.push_back(tally(present, {present, returned, returned - invalid, invalid},
                             {sum_ballots(ballots, spec.items.size())}));
      result = compute_vote_result(def, "V1", rounds);
    }
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_LE(result->adopted.size(), n);
    EXPECT_EQ(std::set<std::string>(result->adopted.begin(), result->adopted.end()).size(),
              result->adopted.size());
    for (std::size_t r = 0; r < result->rounds.size(); ++r) {
      const RoundResult& round = result->rounds[r];
      const bool by_plurality =
          round.spec.purpose == RoundPurpose::tie_run_off && vote.tie_revote == TieRevoteRule::plurality;
      std::uint32_t adopted_here = 0;
      for (std::size_t i = 0; i < round.items.size(); ++i) {
        const ItemResult& item = round.items[i];
        if (item.verdict != Verdict::adopted) continue;
        ++adopted_here;
        if (!by_plurality) {
          EXPECT_GE(item.totals[0], round.threshold) << "trial " << trial;
          continue;
        }
        // 以得票多的当选 adopts only items that reached the threshold in the round they first tied in.
        const RoundResult* tied_in = &result->rounds[r - 1];
        for (std::size_t back = r - 1; back > 0 && tied_in->spec.purpose == RoundPurpose::tie_run_off; --back) {
          tied_in = &result->rounds[back - 1];
        }
        const auto it = std::find_if(tied_in->items.begin(), tied_in->items.end(),
                                     [&](const ItemResult& x) { return x.item_id == item.item_id; });
        ASSERT_NE(it, tied_in->items.end());
        EXPECT_GE(it->totals[0], tied_in->threshold) << "trial " << trial;
      }
      EXPECT_LE(adopted_here, round.spec.places);
    }
  }
}

TEST(ComputeVoteResultProperty, IndependentOfBallotOrderAndItemOrder) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint32_t m = std::uniform_int_distribution<std::uint32_t>(2, 13)(rng);
    const std::uint32_t n = std::uniform_int_distribution<std::uint32_t>(1, m)(rng);
    auto ballots = random_ballots(rng, 60, m, n);
    SessionDefinition def = make_session(60, 0, m);
    add_vote(def, VoteKind::choose, projects(m), n);
    const std::vector<RoundTally> forward_order = {tally(60, all_valid(60), {sum_ballots(ballots, m)})};
    const Result<VoteResult> expected = compute_vote_result(def, "V1", forward_order);
    ASSERT_TRUE(expected);

    std::shuffle(ballots.begin(), ballots.end(), rng);
    const std::vector<RoundTally> shuffled_ballots = {tally(60, all_valid(60), {sum_ballots(ballots, m)})};
    EXPECT_EQ(compute_vote_result(def, "V1", shuffled_ballots)->adopted, expected->adopted);

    // The same totals with the projects listed in another order on the ballot.
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    SessionDefinition permuted = make_session(60, 0, m);
    std::vector<std::string> items;
    std::vector<std::uint32_t> totals;
    const std::vector<std::uint32_t> original = sum_ballots(ballots, m);
    for (std::size_t i : order) {
      items.push_back("P" + std::to_string(i + 1));
      totals.push_back(original[i]);
    }
    add_vote(permuted, VoteKind::choose, items, n);
    const std::vector<RoundTally> permuted_rounds = {tally(60, all_valid(60), {totals})};
    const Result<VoteResult> other = compute_vote_result(permuted, "V1", permuted_rounds);
    ASSERT_TRUE(other);
    std::set<std::string> a(expected->adopted.begin(), expected->adopted.end());
    std::set<std::string> b(other->adopted.begin(), other->adopted.end());
    EXPECT_EQ(a, b);
    std::set<std::string> run_off_a, run_off_b;
    if (expected->next_round)
      run_off_a.insert(expected->next_round->items.begin(), expected->next_round->items.end());
    if (other->next_round) run_off_b.insert(other->next_round->items.begin(), other->next_round->items.end());
    EXPECT_EQ(run_off_a, run_off_b);
  }
}

TEST(ResultCodes, EveryCodeRoundTripsThroughItsLoggedName) {
  for (int i = 0; i <= static_cast<int>(ReasonCode::fewer_votes); ++i) {
    ReasonCode parsed{};
    ASSERT_TRUE(parse_reason_code(to_string(static_cast<ReasonCode>(i)), parsed));
    EXPECT_EQ(static_cast<int>(parsed), i);
  }
  for (int i = 0; i <= static_cast<int>(Verdict::undecided); ++i) {
    Verdict parsed{};
    ASSERT_TRUE(parse_verdict(to_string(static_cast<Verdict>(i)), parsed));
    EXPECT_EQ(static_cast<int>(parsed), i);
  }
  RoundStatus status{};
  EXPECT_TRUE(parse_round_status("void_round", status));
  EXPECT_EQ(status, RoundStatus::void_round);
  DecisionCode decision{};
  EXPECT_TRUE(parse_decision_code("shortfall_accepted", decision));
  EXPECT_EQ(decision, DecisionCode::shortfall_accepted);
  Verdict unchanged = Verdict::adopted;
  EXPECT_FALSE(parse_verdict("通过", unchanged));  // the display word is never a code
  EXPECT_EQ(unchanged, Verdict::adopted);
}

TEST(Wording, TieAndShortfallAreWordedFromTheirParameters) {
  SessionDefinition def = make_session(50, 0, 5);
  add_vote(def, VoteKind::choose, projects(5), 3);
  const std::vector<RoundTally> rounds = {tally(45, all_valid(45), {{35, 30, 28, 28, 10}})};
  const Result<VoteResult> result = compute_vote_result(def, "V1", rounds);
  ASSERT_TRUE(result) << result.error().message();
  const RoundResult& round = result->rounds[0];
  EXPECT_EQ(round.items[2].reason, (ItemReason{ReasonCode::tied_at_last_place, 1, 1}));
  EXPECT_EQ(item_reason(round, round.items[2]).zh,
            "得票 28 票，与另外 1 个项目票数相等，并列第 3 名，剩余 1 个名额须对票数相等的项目再次投票");
  const Decision accepted{DecisionCode::shortfall_accepted, 1, 2, 3, 0, 1};
  EXPECT_EQ(decision_words(accepted).zh,
            "第1轮达到过半数的项目 2 个，少于应选 3 个；按设定的不足名额处理方式，接受 2 个项目，不再另行投票");
  const Decision run_off{DecisionCode::shortfall_run_off, 1, 2, 3, 3, 1};
  EXPECT_EQ(
      decision_words(run_off).en,
      "round 1: 2 of 3 places filled; by the configured policy, a run-off among the 3 projects not adopted "
      "for the remaining 1");
}

}  // namespace
}  // namespace hallvote::session
