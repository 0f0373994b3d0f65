#include "hallvote/session/wording.h"

namespace hallvote::session {
namespace {

std::string num(std::uint64_t value) { return std::to_string(value); }

// "全体代表过半数" and "more than half of all 247 deputies".
Wording threshold_words(ThresholdBase kind, std::uint32_t base) {
  switch (kind) {
    case ThresholdBase::in_office:
      return {"全体代表过半数", "more than half of all " + num(base) + " deputies"};
    case ThresholdBase::present:
      return {"出席代表过半数", "more than half of the " + num(base) + " present"};
    case ThresholdBase::valid:
      return {"有效票过半数", "more than half of the " + num(base) + " valid ballots"};
  }
  return {};
}

std::string fraction_zh(Fraction f) {
  if (f == Fraction{2, 3}) return "三分之二";
  if (f == Fraction{1, 2}) return "二分之一";
  return num(f.numerator) + "/" + num(f.denominator);
}

std::uint32_t at(const ItemResult& item, std::size_t selection) {
  return selection < item.totals.size() ? item.totals[selection] : 0;
}

}  // namespace

Wording item_reason(const RoundResult& round, const ItemResult& item) {
  const Wording words = threshold_words(round.base_kind, round.base);
  const std::string threshold = num(round.threshold);
  const std::string places = num(round.spec.places);
  const std::string rank = num(item.rank);
  const std::string got_zh = "得票 " + num(at(item, 0)) + " 票，";
  const std::string got_en = num(at(item, 0)) + " votes, ";
  const std::string needed_zh = words.zh + " " + threshold + " 票";
  const std::string needed_en = "the " + threshold + " needed (" + words.en + ")";
  const std::string at_least_basic = num(std::uint64_t{at(item, 0)} + at(item, 1));
  switch (item.reason.code) {
    case ReasonCode::round_not_counted:
      return {"本轮投票未能计入，未决", "the round did not count: undecided"};
    case ReasonCode::below_threshold:
      return {got_zh + "未达到" + needed_zh + "，未通过", got_en + "short of " + needed_en + ": not adopted"};
    case ReasonCode::tied_at_last_place:
      return {got_zh + "与另外 " + num(item.reason.tied_with) + " 个项目票数相等，并列第 " + rank +
                  " 名，剩余 " + num(item.reason.open_places) + " 个名额须对票数相等的项目再次投票",
              got_en + "tied with " + num(item.reason.tied_with) + " other project(s) at rank " + rank +
                  " for the last " + num(item.reason.open_places) + " place(s): run-off"};
    case ReasonCode::outside_places:
      return {got_zh + "达到" + needed_zh + "，但排名第 " + rank + "，未进入应选 " + places + " 个名额，未通过",
              got_en + "reaches the " + threshold + " needed but ranks " + rank + ", outside the " + places +
                  " places: not adopted"};
    case ReasonCode::within_places:
      return {got_zh + "达到" + needed_zh + "，排名第 " + rank + "，在应选 " + places + " 个名额内，通过",
              got_en + "reaches " + needed_en + " and ranks " + rank + " within the " + places +
                  " places: adopted"};
    case ReasonCode::most_votes:
      return {got_zh + "再次投票中排名第 " + rank + "，以得票多的当选，在剩余 " + places + " 个名额内，通过",
              got_en + "ranks " + rank + " in the tie re-vote, decided by most votes, within the " + places +
                  " place(s): adopted"};
    case ReasonCode::fewer_votes:
      return {
          got_zh + "再次投票中排名第 " + rank + "，以得票多的当选，未进入剩余 " + places + " 个名额，未通过",
          got_en + "ranks " + rank + " in the tie re-vote, decided by most votes, outside the " + places +
              " place(s): not adopted"};
    case ReasonCode::passes:
      return {"赞成 " + num(at(item, 0)) + " 票，达到" + needed_zh + "，通过",
              num(at(item, 0)) + " for, reaches " + needed_en + ": passes"};
    case ReasonCode::fails:
      return {"赞成 " + num(at(item, 0)) + " 票，未达到" + needed_zh + "，未通过",
              num(at(item, 0)) + " for, short of " + needed_en + ": fails"};
    case ReasonCode::satisfied:
      return {"满意 " + num(at(item, 0)) + " 票，达到" + needed_zh + "，评为满意",
              num(at(item, 0)) + " satisfied, reaches " + needed_en + ": satisfied"};
    case ReasonCode::basically_satisfied:
      return {"满意 " + num(at(item, 0)) + " 票，未达到" + needed_zh + "；满意与基本满意合计 " +
                  at_least_basic + " 票，达到" + needed_zh + "，评为基本满意",
              num(at(item, 0)) + " satisfied, short of " + needed_en + "; satisfied and basically satisfied " +
                  at_least_basic + ", reaches it: basically satisfied"};
    case ReasonCode::dissatisfied:
      return {
          "满意与基本满意合计 " + at_least_basic + " 票，未达到" + needed_zh + "，评为不满意",
          "satisfied and basically satisfied " + at_least_basic + ", short of " + needed_en + ": dissatisfied"};
  }
  return {};
}

Wording round_summary(const RoundResult& round) {
  const BallotAccounting& a = round.accounting;
  switch (round.status) {
    case RoundStatus::no_quorum:
      return {"实到 " + num(round.present) + " 人，不足实有代表 " + num(round.in_office) + " 人的" +
                  fraction_zh(round.quorum) + "（至少 " + num(round.quorum_minimum) +
                  " 人），本轮不能表决，须重新投票",
              num(round.present) + " present, below the quorum of " + num(round.quorum_minimum) + " of " +
                  num(round.in_office) + " in office: the round cannot decide and is held again"};
    case RoundStatus::void_round:
      return {"收回 " + num(a.returned) + " 张，多于发出 " + num(a.issued) + " 张，本轮投票无效，须重新投票",
              num(a.returned) + " ballots returned, more than the " + num(a.issued) +
                  " issued: the round is void and is held again"};
    case RoundStatus::declared_invalid:
      return {"主席团宣布本轮投票无效，须重新投票",
              "the presidium declared the round invalid: it is held again"};
    case RoundStatus::counted: {
      const Wording words = threshold_words(round.base_kind, round.base);
      return {"应到 " + num(round.in_office) + " 人，实到 " + num(round.present) + " 人；发出 " +
                  num(a.issued) + " 张，收回 " + num(a.returned) + " 张，有效 " + num(a.valid) + " 张，无效 " +
                  num(a.invalid) + " 张；未按 " + num(round.no_ballot) + " 人；" + words.zh + "为 " +
                  num(round.threshold) + " 票",
              num(round.in_office) + " in office, " + num(round.present) + " present; " + num(a.issued) +
                  " issued, " + num(a.returned) + " returned, " + num(a.valid) + " valid, " + num(a.invalid) +
                  " void; " + num(round.no_ballot) + " did not vote; " + num(round.threshold) + " needed (" +
                  words.en + ")"};
    }
  }
  return {};
}

Wording decision_words(const Decision& d) {
  const std::string short_zh =
      "第" + num(d.round) + "轮达到过半数的项目 " + num(d.filled) + " 个，少于应选 " + num(d.places) + " 个；";
  const std::string short_en =
      "round " + num(d.round) + ": " + num(d.filled) + " of " + num(d.places) + " places filled; ";
  const std::string policy_zh = short_zh + "按设定的不足名额处理方式，";
  const std::string policy_en = short_en + "by the configured policy";
  switch (d.code) {
    case DecisionCode::shortfall_run_off:
      return {policy_zh + "对未通过的 " + num(d.candidates) + " 个项目另行投票，选出剩余 " + num(d.missing) +
                  " 个名额",
              policy_en + ", a run-off among the " + num(d.candidates) +
                  " projects not adopted for the remaining " + num(d.missing)};
    case DecisionCode::shortfall_accepted:
      return {policy_zh + "接受 " + num(d.filled) + " 个项目，不再另行投票",
              policy_en + " " + num(d.filled) + " are accepted and no further round is held"};
    case DecisionCode::shortfall_left_open:
      return {
          policy_zh + "本次会议可进行的另行投票已经进行，剩余 " + num(d.missing) + " 个名额本次会议不再投票",
          policy_en + ", the further votes this sitting allows have been held; the remaining " +
              num(d.missing) + " place(s) stay unfilled at this sitting"};
    case DecisionCode::awaiting_presidium:
      return {short_zh + "是否对未通过的 " + num(d.candidates) + " 个项目另行投票，待主席团决定",
              short_en + "whether to hold a further vote among the " + num(d.candidates) +
                  " projects not adopted awaits the presidium's decision"};
    case DecisionCode::presidium_run_off:
      return {short_zh + "主席团决定对其中 " + num(d.candidates) + " 个项目另行投票，选出剩余 " +
                  num(d.missing) + " 个名额",
              short_en + "the presidium decided a further vote among " + num(d.candidates) +
                  " projects for the remaining " + num(d.missing)};
    case DecisionCode::presidium_deferred:
      return {short_zh + "主席团决定剩余 " + num(d.missing) + " 个名额的另行投票延期举行",
              short_en + "the presidium deferred the further vote for the remaining " + num(d.missing) +
                  " place(s) to a later sitting"};
    case DecisionCode::presidium_accepted:
      return {short_zh + "主席团决定接受 " + num(d.filled) + " 个项目，不再另行投票",
              short_en + "the presidium accepted " + num(d.filled) + " and holds no further round"};
    case DecisionCode::presidium_invalidated:
      return {"主席团宣布第" + num(d.round) + "轮投票无效，须重新投票",
              "the presidium declared round " + num(d.round) + " invalid: it is held again"};
  }
  return {};
}

}  // namespace hallvote::session
