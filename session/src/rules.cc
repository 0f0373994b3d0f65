#include "hallvote/session/rules.h"

#include <algorithm>
#include <numeric>

namespace hallvote::session {
namespace {

std::string num(std::uint64_t value) { return std::to_string(value); }

// "全体代表过半数" and "more than half of all 247 deputies", for verdict reasons.
struct ThresholdWords {
  std::string zh;
  std::string en;
};

ThresholdWords threshold_words(ThresholdBase kind, std::uint32_t base) {
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

std::string where(const RoundSpec& spec) { return "第" + num(spec.number) + "轮 / round " + num(spec.number); }

Status check_tally(const BallotShape& shape, const RoundSpec& spec, const RoundTally& tally,
                   std::uint32_t in_office) {
  const BallotAccounting& a = tally.accounting;
  if (tally.present > in_office) {
    return fail(SessionErrc::inconsistent_counts,
                where(spec) + ": 实到多于实有代表数 / present exceeds in office");
  }
  if (a.issued > tally.present) {
    return fail(SessionErrc::inconsistent_counts, where(spec) + ": 发出多于实到 / issued exceeds present");
  }
  if (std::uint64_t{a.valid} + a.invalid != a.returned) {
    return fail(SessionErrc::inconsistent_counts,
                where(spec) + ": 有效加无效不等于收回 / valid + invalid differs from returned");
  }
  if (tally.totals.size() != shape.contests.size()) {
    return fail(SessionErrc::inconsistent_counts, where(spec) +
                                                      ": 计票结果与选票格式不符 / totals do not match the "
                                                      "ballot's " +
                                                      num(shape.contests.size()) + " contests");
  }
  std::uint64_t aggregate = 0;
  for (std::size_t c = 0; c < shape.contests.size(); ++c) {
    const Contest& contest = shape.contests[c];
    const std::vector<std::uint32_t>& totals = tally.totals[c];
    const std::string at = where(spec) + " " + contest.id;
    if (totals.size() != contest.selections.size()) {
      return fail(SessionErrc::inconsistent_counts, at + ": 选项数不符 / wrong number of selection totals");
    }
    std::uint64_t sum = 0;
    for (std::size_t s = 0; s < totals.size(); ++s) {
      if (totals[s] > a.valid) {
        return fail(SessionErrc::inconsistent_counts,
                    at + ": 某选项得票多于有效票 / a total exceeds valid ballots");
      }
      sum += totals[s];
      if (shape.aggregate_limit && contest.selections[s].id == shape.aggregate_limit->selection_id) {
        aggregate += totals[s];
      }
    }
    if (sum > std::uint64_t{a.valid} * contest.max_selected ||
        sum < std::uint64_t{a.valid} * contest.min_selected) {
      return fail(SessionErrc::inconsistent_counts,
                  at + ": 合计超出每张选票的选择数限制 / sum outside the per-ballot selection limits");
    }
  }
  if (shape.aggregate_limit && aggregate > std::uint64_t{a.valid} * shape.aggregate_limit->max_total) {
    return fail(SessionErrc::inconsistent_counts,
                where(spec) + ": “满意”合计超出限制 / aggregate limit exceeded");
  }
  return {};
}

// The accounting part of a round's result, and whether it counts.
RoundResult open_round(const SessionDefinition& session, const VoteDefinition& vote, const RoundSpec& spec,
                       const RoundTally& tally) {
  RoundResult round;
  round.spec = spec;
  round.in_office = session.deputies_in_office();
  round.present = tally.present;
  round.accounting = tally.accounting;
  const BallotAccounting& a = tally.accounting;
  round.no_ballot = a.returned <= a.issued ? a.issued - a.returned : 0;
  round.quorum_met = quorum_met(tally.present, round.in_office, session.rules.quorum);
  round.base_kind = vote.threshold_base;
  round.base = vote.threshold_base == ThresholdBase::in_office ? round.in_office
               : vote.threshold_base == ThresholdBase::present ? tally.present
                                                               : a.valid;
  round.threshold = majority_threshold(round.base);
  if (!round.quorum_met) {
    round.status = RoundStatus::no_quorum;
    const std::uint32_t minimum = quorum_minimum(round.in_office, session.rules.quorum);
    round.summary_zh = "实到 " + num(tally.present) + " 人，不足实有代表 " + num(round.in_office) + " 人的" +
                       fraction_zh(session.rules.quorum) + "（至少 " + num(minimum) +
                       " 人），本轮不能表决，须重新投票";
    round.summary_en = num(tally.present) + " present, below the quorum of " + num(minimum) + " of " +
                       num(round.in_office) + " in office: the round cannot decide and is held again";
  } else if (a.returned > a.issued) {
    round.status = RoundStatus::void_round;
    round.summary_zh =
        "收回 " + num(a.returned) + " 张，多于发出 " + num(a.issued) + " 张，本轮投票无效，须重新投票";
    round.summary_en = num(a.returned) + " ballots returned, more than the " + num(a.issued) +
                       " issued: the round is void and is held again";
  } else {
    round.status = RoundStatus::counted;
    const ThresholdWords words = threshold_words(round.base_kind, round.base);
    round.summary_zh = "应到 " + num(round.in_office) + " 人，实到 " + num(tally.present) + " 人；发出 " +
                       num(a.issued) + " 张，收回 " + num(a.returned) + " 张，有效 " + num(a.valid) +
                       " 张，无效 " + num(a.invalid) + " 张；未按 " + num(round.no_ballot) + " 人；" +
                       words.zh + "为 " + num(round.threshold) + " 票";
    round.summary_en = num(round.in_office) + " in office, " + num(tally.present) + " present; " +
                       num(a.issued) + " issued, " + num(a.returned) + " returned, " + num(a.valid) +
                       " valid, " + num(a.invalid) + " void; " + num(round.no_ballot) + " did not vote; " +
                       num(round.threshold) + " needed (" + words.en + ")";
  }
  for (std::size_t c = 0; c < spec.items.size(); ++c) {
    ItemResult item;
    item.item_id = spec.items[c];
    if (vote.kind == VoteKind::choose) {
      item.totals = {tally.totals[0][c]};
    } else {
      item.totals = tally.totals[c];
      const std::uint32_t marked = std::accumulate(item.totals.begin(), item.totals.end(), std::uint32_t{0});
      item.blank = a.valid - marked;
    }
    if (round.status != RoundStatus::counted) {
      item.reason_zh = "本轮投票未能计入，未决";
      item.reason_en = "the round did not count: undecided";
    }
    round.items.push_back(std::move(item));
  }
  return round;
}

// Decides a counted choose round; returns the next round, if any.
std::optional<RoundSpec> decide_choose(const VoteDefinition& vote, RoundResult& round, VoteResult& result) {
  std::vector<ItemResult>& items = round.items;
  const std::uint32_t places = round.spec.places;
  const std::uint32_t threshold = round.threshold;
  const ThresholdWords words = threshold_words(round.base_kind, round.base);
  for (ItemResult& item : items) {
    item.rank =
        1 + static_cast<std::uint32_t>(std::count_if(items.begin(), items.end(), [&](const ItemResult& other) {
          return other.totals[0] > item.totals[0];
        }));
  }
  std::vector<std::uint32_t> eligible_votes;
  for (const ItemResult& item : items) {
    if (item.totals[0] >= threshold) eligible_votes.push_back(item.totals[0]);
  }
  std::sort(eligible_votes.begin(), eligible_votes.end(), std::greater<>());
  // The votes at the last place; items with exactly this many may be tied across it.
  const std::uint32_t cut = eligible_votes.size() > places ? eligible_votes[places - 1] : threshold;
  const auto above = static_cast<std::uint32_t>(
      std::count_if(eligible_votes.begin(), eligible_votes.end(), [&](std::uint32_t v) { return v > cut; }));
  const auto at_cut = static_cast<std::uint32_t>(
      std::count_if(eligible_votes.begin(), eligible_votes.end(), [&](std::uint32_t v) { return v == cut; }));
  const bool straddling_tie = eligible_votes.size() > places && above + at_cut > places;
  const std::uint32_t open_places = places - above;

  std::vector<std::string> run_off_items;
  std::vector<std::string> rest;
  std::vector<const ItemResult*> adopted;
  for (ItemResult& item : items) {
    const std::uint32_t v = item.totals[0];
    const std::string got_zh = "得票 " + num(v) + " 票，";
    const std::string got_en = num(v) + " votes, ";
    if (v < threshold) {
      item.verdict = Verdict::not_adopted;
      item.reason_zh = got_zh + "未达到" + words.zh + " " + num(threshold) + " 票，未通过";
      item.reason_en = got_en + "short of the " + num(threshold) + " needed (" + words.en + "): not adopted";
    } else if (straddling_tie && v == cut) {
      item.verdict = Verdict::run_off;
      run_off_items.push_back(item.item_id);
      item.reason_zh = got_zh + "与另外 " + num(at_cut - 1) + " 个项目票数相等，并列第 " + num(item.rank) +
                       " 名，剩余 " + num(open_places) + " 个名额须对票数相等的项目再次投票";
      item.reason_en = got_en + "tied with " + num(at_cut - 1) + " other project(s) at rank " + num(item.rank) +
                       " for the last " + num(open_places) + " place(s): run-off";
    } else if (v < cut) {
      item.verdict = Verdict::not_adopted;
      item.reason_zh = got_zh + "达到" + words.zh + " " + num(threshold) + " 票，但排名第 " + num(item.rank) +
                       "，未进入应选 " + num(places) + " 个名额，未通过";
      item.reason_en = got_en + "reaches the " + num(threshold) + " needed but ranks " + num(item.rank) +
                       ", outside the " + num(places) + " places: not adopted";
    } else {
      item.verdict = Verdict::adopted;
      adopted.push_back(&item);
      item.reason_zh = got_zh + "达到" + words.zh + " " + num(threshold) + " 票，排名第 " + num(item.rank) +
                       "，在应选 " + num(places) + " 个名额内，通过";
      item.reason_en = got_en + "reaches the " + num(threshold) + " needed (" + words.en + ") and ranks " +
                       num(item.rank) + " within the " + num(places) + " places: adopted";
    }
    if (item.verdict == Verdict::not_adopted) rest.push_back(item.item_id);
  }
  std::stable_sort(adopted.begin(), adopted.end(),
                   [](const ItemResult* a, const ItemResult* b) { return a->rank < b->rank; });
  for (const ItemResult* item : adopted) result.adopted.push_back(item->item_id);

  const RoundSpec& spec = round.spec;
  if (straddling_tie) {
    return RoundSpec{spec.number + 1, spec.number, RoundPurpose::tie_run_off, run_off_items, open_places};
  }
  const auto filled = static_cast<std::uint32_t>(adopted.size());
  if (filled >= places) return std::nullopt;
  const std::uint32_t missing = places - filled;
  if (vote.shortfall == ShortfallPolicy::run_off && !rest.empty()) {
    result.decisions_zh.push_back("第" + num(spec.number) + "轮达到过半数的项目 " + num(filled) +
                                  " 个，少于应选 " + num(places) +
                                  " 个；按设定的不足名额处理方式，对未通过的 " + num(rest.size()) +
                                  " 个项目另行投票，选出剩余 " + num(missing) + " 个名额");
    result.decisions_en.push_back("round " + num(spec.number) + ": " + num(filled) + " of " + num(places) +
                                  " places filled; by the configured policy, a run-off among the " +
                                  num(rest.size()) + " projects not adopted for the remaining " + num(missing));
    return RoundSpec{spec.number + 1, spec.number, RoundPurpose::shortfall_run_off, rest, missing};
  }
  result.decisions_zh.push_back(
      "第" + num(spec.number) + "轮达到过半数的项目 " + num(filled) + " 个，少于应选 " + num(places) +
      " 个；按设定的不足名额处理方式，由主席团决定接受 " + num(filled) + " 个项目，不再另行投票");
  result.decisions_en.push_back("round " + num(spec.number) + ": " + num(filled) + " of " + num(places) +
                                " places filled; by the configured policy the presidium accepts " +
                                num(filled) + " and holds no further round");
  return std::nullopt;
}

void decide_per_item(RoundResult& round, VoteResult& result) {
  const ThresholdWords words = threshold_words(round.base_kind, round.base);
  for (ItemResult& item : round.items) {
    const std::uint32_t in_favour = item.totals[0];
    const bool passes = in_favour >= round.threshold;
    item.verdict = passes ? Verdict::adopted : Verdict::not_adopted;
    item.reason_zh = "赞成 " + num(in_favour) + " 票，" + (passes ? "达到" : "未达到") + words.zh + " " +
                     num(round.threshold) + " 票，" + (passes ? "通过" : "未通过");
    item.reason_en = num(in_favour) + " for, " + (passes ? "reaches the " : "short of the ") +
                     num(round.threshold) + " needed (" + words.en + "): " + (passes ? "passes" : "fails");
    if (passes) result.adopted.push_back(item.item_id);
  }
}

void decide_satisfaction(RoundResult& round) {
  const ThresholdWords words = threshold_words(round.base_kind, round.base);
  const std::string needed_zh = words.zh + " " + num(round.threshold) + " 票";
  const std::string needed_en = "the " + num(round.threshold) + " needed (" + words.en + ")";
  for (ItemResult& item : round.items) {
    const std::uint32_t satisfied = item.totals[0];
    const std::uint32_t at_least_basic = satisfied + item.totals[1];
    if (satisfied >= round.threshold) {
      item.verdict = Verdict::satisfied;
      item.reason_zh = "满意 " + num(satisfied) + " 票，达到" + needed_zh + "，评为满意";
      item.reason_en = num(satisfied) + " satisfied, reaches " + needed_en + ": satisfied";
    } else if (at_least_basic >= round.threshold) {
      item.verdict = Verdict::basically_satisfied;
      item.reason_zh = "满意 " + num(satisfied) + " 票，未达到" + needed_zh + "；满意与基本满意合计 " +
                       num(at_least_basic) + " 票，达到" + needed_zh + "，评为基本满意";
      item.reason_en = num(satisfied) + " satisfied, short of " + needed_en +
                       "; satisfied and basically satisfied " + num(at_least_basic) +
                       ", reaches it: basically satisfied";
    } else {
      item.verdict = Verdict::dissatisfied;
      item.reason_zh = "满意与基本满意合计 " + num(at_least_basic) + " 票，未达到" + needed_zh + "，评为不满意";
      item.reason_en = "satisfied and basically satisfied " + num(at_least_basic) + ", short of " + needed_en +
                       ": dissatisfied";
    }
  }
}

}  // namespace

Result<VoteResult> compute_vote_result(const SessionDefinition& session, std::string_view vote_id,
                                       std::span<const RoundTally> rounds) {
  const VoteDefinition* vote = session.find_vote(vote_id);
  if (vote == nullptr) return fail(SessionErrc::unknown_vote, std::string(vote_id));
  VoteResult result;
  result.vote_id = vote->id;
  result.kind = vote->kind;
  std::optional<RoundSpec> next = first_round(*vote);
  for (const RoundTally& tally : rounds) {
    if (!next) {
      return fail(SessionErrc::unexpected_round, "表决“" + vote->id + "”已有结果，不应再有第" +
                                                     num(result.rounds.size() + 1) + "轮 / vote '" + vote->id +
                                                     "' is decided; no round " + num(result.rounds.size() + 1));
    }
    const RoundSpec spec = *next;
    const BallotShape shape = ballot_shape(session, *vote, spec);
    if (Status checked = check_tally(shape, spec, tally, session.deputies_in_office()); !checked) {
      return forward(checked.error());
    }
    RoundResult round = open_round(session, *vote, spec, tally);
    if (round.status != RoundStatus::counted) {
      next = RoundSpec{spec.number + 1, spec.number, RoundPurpose::re_vote, spec.items, spec.places};
    } else if (vote->kind == VoteKind::choose) {
      next = decide_choose(*vote, round, result);
    } else {
      if (vote->kind == VoteKind::per_item) {
        decide_per_item(round, result);
      } else {
        decide_satisfaction(round);
      }
      next.reset();
    }
    result.rounds.push_back(std::move(round));
  }
  result.status = next ? VoteStatus::needs_round : VoteStatus::decided;
  result.next_round = next;
  return result;
}

std::string_view display_name_zh(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::adopted:
      return "通过";
    case Verdict::not_adopted:
      return "未通过";
    case Verdict::run_off:
      return "进入再次投票";
    case Verdict::satisfied:
      return "满意";
    case Verdict::basically_satisfied:
      return "基本满意";
    case Verdict::dissatisfied:
      return "不满意";
    case Verdict::undecided:
      return "未决";
  }
  return "未决";
}

}  // namespace hallvote::session
