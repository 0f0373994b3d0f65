#include "hallvote/session/rules.h"

#include <algorithm>
#include <array>
#include <numeric>

namespace hallvote::session {
namespace {

std::string num(std::uint64_t value) { return std::to_string(value); }

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
  // 未按: present deputies whose ballot did not come back — including one a ballot never reached (a seat
  // offline while the vote was open), who would otherwise be counted nowhere.
  round.no_ballot = a.returned <= tally.present ? tally.present - a.returned : 0;
  round.quorum_met = quorum_met(tally.present, round.in_office, session.rules.quorum);
  round.base_kind = vote.threshold_base;
  round.base = vote.threshold_base == ThresholdBase::in_office ? round.in_office
               : vote.threshold_base == ThresholdBase::present ? tally.present
                                                               : a.valid;
  round.threshold = majority_threshold(round.base);
  round.quorum = session.rules.quorum;
  round.quorum_minimum = quorum_minimum(round.in_office, session.rules.quorum);
  round.status = !round.quorum_met       ? RoundStatus::no_quorum
                 : a.returned > a.issued ? RoundStatus::void_round
                                         : RoundStatus::counted;
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
    round.items.push_back(std::move(item));
  }
  return round;
}

// A tie re-vote in which every project got the same votes again, below the threshold: under the majority
// rule nobody can be chosen, and the law asks for another re-vote of the same projects, not the shortfall
// policy ("如遇票数相等不能确定当选人时，应当就票数相等的人再次投票").
bool tie_repeats_below_threshold(const RoundResult& round) {
  const std::vector<ItemResult>& items = round.items;
  return !items.empty() && items.front().totals[0] < round.threshold &&
         std::all_of(items.begin(), items.end(),
                     [&](const ItemResult& item) { return item.totals[0] == items.front().totals[0]; });
}

// The presidium's shortfall decision for `round`, if any (at most one: checked by find_decisions).
const PresidiumDecision* shortfall_decision(std::span<const PresidiumDecision> decisions, std::uint32_t round) {
  for (const PresidiumDecision& d : decisions) {
    if (d.round == round && d.action != PresidiumAction::declare_invalid) return &d;
  }
  return nullptr;
}

bool declared_invalid(std::span<const PresidiumDecision> decisions, std::uint32_t round) {
  return std::any_of(decisions.begin(), decisions.end(), [&](const PresidiumDecision& d) {
    return d.round == round && d.action == PresidiumAction::declare_invalid;
  });
}

tl::unexpected<Error> invalid_decision(std::uint32_t round, const std::string& zh, const std::string& en) {
  return fail(SessionErrc::invalid_decision,
              "第" + num(round) + "轮：" + zh + " / round " + num(round) + ": " + en);
}

// hold_further_vote's items: distinct items not adopted in the round (`rest`, in ballot order), in that order,
// more than the places left unless they are all of them ("只选一人，候选人应为二人" by analogy: a further vote
// offers a choice).
Status check_standing_items(const PresidiumDecision& d, const std::vector<std::string>& rest,
                            std::uint32_t missing) {
  if (d.items.empty()) return invalid_decision(d.round, "另行投票须列出项目", "a further vote needs items");
  std::size_t next = 0;
  for (const std::string& id : d.items) {
    const auto it = std::find(rest.begin() + static_cast<std::ptrdiff_t>(next), rest.end(), id);
    if (it == rest.end()) {
      return invalid_decision(d.round, "项目 " + id + " 不是本轮未通过的项目，或重复、顺序与选票不同",
                              "item " + id +
                                  " is not an item not adopted in the round, or repeats, or is out "
                                  "of ballot order");
    }
    next = static_cast<std::size_t>(it - rest.begin()) + 1;
  }
  if (d.items.size() <= missing && d.items.size() != rest.size()) {
    return invalid_decision(d.round,
                            "另行投票的项目须多于剩余名额 " + num(missing) + " 个（或为全部未通过项目）",
                            "a further vote needs more items than the " + num(missing) +
                                " places left (or every item not adopted)");
  }
  return {};
}

// Decides a counted choose round; returns the next round, if any.
Result<std::optional<RoundSpec>> decide_choose(const VoteDefinition& vote, RoundResult& round,
                                               VoteResult& result,
                                               std::span<const PresidiumDecision> decisions) {
  std::vector<ItemResult>& items = round.items;
  const std::uint32_t places = round.spec.places;
  const bool tie_revote = round.spec.purpose == RoundPurpose::tie_run_off;
  const bool by_plurality = tie_revote && vote.tie_revote == TieRevoteRule::plurality;
  // 以得票多的当选: in a plurality tie re-vote the projects (each already past the threshold in the round they
  // tied in) are ranked only.
  const std::uint32_t threshold = by_plurality ? 0 : round.threshold;
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

  const RoundSpec& spec = round.spec;
  if (tie_revote && vote.tie_revote == TieRevoteRule::majority && tie_repeats_below_threshold(round)) {
    const auto others = static_cast<std::uint32_t>(items.size() - 1);
    for (ItemResult& item : items) {
      item.verdict = Verdict::run_off;
      item.reason = {ReasonCode::tied_at_last_place, others, places};
    }
    return RoundSpec{spec.number + 1, spec.number, RoundPurpose::tie_run_off, spec.items, places};
  }

  std::vector<std::string> run_off_items;
  std::vector<std::string> rest;
  std::vector<const ItemResult*> adopted;
  for (ItemResult& item : items) {
    const std::uint32_t v = item.totals[0];
    if (v < threshold) {
      item.verdict = Verdict::not_adopted;
      item.reason = {ReasonCode::below_threshold};
    } else if (straddling_tie && v == cut) {
      item.verdict = Verdict::run_off;
      item.reason = {ReasonCode::tied_at_last_place, at_cut - 1, open_places};
      run_off_items.push_back(item.item_id);
    } else if (v < cut) {
      item.verdict = Verdict::not_adopted;
      item.reason = {by_plurality ? ReasonCode::fewer_votes : ReasonCode::outside_places};
    } else {
      item.verdict = Verdict::adopted;
      item.reason = {by_plurality ? ReasonCode::most_votes : ReasonCode::within_places};
      adopted.push_back(&item);
    }
    if (item.verdict == Verdict::not_adopted) rest.push_back(item.item_id);
  }
  std::stable_sort(adopted.begin(), adopted.end(),
                   [](const ItemResult* a, const ItemResult* b) { return a->rank < b->rank; });
  for (const ItemResult* item : adopted) result.adopted.push_back(item->item_id);

  const PresidiumDecision* ruling = shortfall_decision(decisions, spec.number);
  const auto filled = static_cast<std::uint32_t>(adopted.size());
  if (straddling_tie || filled >= places) {
    if (ruling != nullptr) {
      return invalid_decision(spec.number, "本轮没有不足名额，无须决定另行投票",
                              "the round did not fall short of its places");
    }
    if (!straddling_tie) return std::optional<RoundSpec>{};
    return RoundSpec{spec.number + 1, spec.number, RoundPurpose::tie_run_off, run_off_items, open_places};
  }
  const std::uint32_t missing = places - filled;
  const auto not_adopted = static_cast<std::uint32_t>(rest.size());
  if (ruling != nullptr) {
    switch (ruling->action) {
      case PresidiumAction::hold_further_vote: {
        if (auto ok = check_standing_items(*ruling, rest, missing); !ok) return forward(ok.error());
        result.decisions.push_back({DecisionCode::presidium_run_off, spec.number, filled, places,
                                    static_cast<std::uint32_t>(ruling->items.size()), missing});
        return RoundSpec{spec.number + 1, spec.number, RoundPurpose::shortfall_run_off, ruling->items, missing};
      }
      case PresidiumAction::defer_further_vote:
        result.decisions.push_back(
            {DecisionCode::presidium_deferred, spec.number, filled, places, not_adopted, missing});
        return std::optional<RoundSpec>{};
      case PresidiumAction::accept_fewer:
      case PresidiumAction::declare_invalid:  // never reaches here: shortfall_decision skips it
        result.decisions.push_back({DecisionCode::presidium_accepted, spec.number, filled, places, 0, missing});
        return std::optional<RoundSpec>{};
    }
  }
  if (vote.shortfall == ShortfallPolicy::presidium) {
    result.decisions.push_back(
        {DecisionCode::awaiting_presidium, spec.number, filled, places, not_adopted, missing});
    return std::optional<RoundSpec>{};
  }
  if (vote.shortfall == ShortfallPolicy::run_off && !rest.empty()) {
    const auto held = static_cast<std::uint32_t>(
        std::count_if(result.decisions.begin(), result.decisions.end(), [](const Decision& d) {
          return d.code == DecisionCode::shortfall_run_off || d.code == DecisionCode::presidium_run_off;
        }));
    if (held >= vote.shortfall_run_offs) {
      result.decisions.push_back({DecisionCode::shortfall_left_open, spec.number, filled, places, 0, missing});
      return std::optional<RoundSpec>{};
    }
    result.decisions.push_back({DecisionCode::shortfall_run_off, spec.number, filled, places,
                                static_cast<std::uint32_t>(rest.size()), missing});
    return RoundSpec{spec.number + 1, spec.number, RoundPurpose::shortfall_run_off, rest, missing};
  }
  result.decisions.push_back({DecisionCode::shortfall_accepted, spec.number, filled, places, 0, missing});
  return std::optional<RoundSpec>{};
}

void decide_per_item(RoundResult& round, VoteResult& result) {
  for (ItemResult& item : round.items) {
    const bool passes = item.totals[0] >= round.threshold;
    item.verdict = passes ? Verdict::adopted : Verdict::not_adopted;
    item.reason = {passes ? ReasonCode::passes : ReasonCode::fails};
    if (passes) result.adopted.push_back(item.item_id);
  }
}

void decide_satisfaction(RoundResult& round) {
  for (ItemResult& item : round.items) {
    const std::uint32_t satisfied = item.totals[0];
    const std::uint32_t at_least_basic = satisfied + item.totals[1];
    if (satisfied >= round.threshold) {
      item.verdict = Verdict::satisfied;
      item.reason = {ReasonCode::satisfied};
    } else if (at_least_basic >= round.threshold) {
      item.verdict = Verdict::basically_satisfied;
      item.reason = {ReasonCode::basically_satisfied};
    } else {
      item.verdict = Verdict::dissatisfied;
      item.reason = {ReasonCode::dissatisfied};
    }
  }
}

// Checks what can be checked of the decisions before the rounds are read: each names a round that was tallied,
// and no round has two decisions of the same kind.
Status check_decisions(const VoteDefinition& vote, std::span<const PresidiumDecision> decisions,
                       std::size_t rounds) {
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const PresidiumDecision& d = decisions[i];
    if (d.round == 0 || d.round > rounds) {
      return invalid_decision(d.round, "该轮尚未计票", "the round has not been counted");
    }
    const bool invalidating = d.action == PresidiumAction::declare_invalid;
    if (!invalidating && vote.kind != VoteKind::choose) {
      return invalid_decision(d.round, "只有差额表决才有不足名额", "only a choose vote can fall short");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (decisions[j].round == d.round &&
          (decisions[j].action == PresidiumAction::declare_invalid) == invalidating) {
        return invalid_decision(d.round, "主席团已就此作出决定", "the presidium has already decided this");
      }
    }
  }
  return {};
}

}  // namespace

Result<VoteResult> compute_vote_result(const SessionDefinition& session, std::string_view vote_id,
                                       std::span<const RoundTally> rounds,
                                       std::span<const PresidiumDecision> decisions) {
  const VoteDefinition* vote = session.find_vote(vote_id);
  if (vote == nullptr) return fail(SessionErrc::unknown_vote, std::string(vote_id));
  if (auto ok = check_decisions(*vote, decisions, rounds.size()); !ok) return forward(ok.error());
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
    const bool decided_on = std::any_of(decisions.begin(), decisions.end(),
                                        [&](const PresidiumDecision& d) { return d.round == spec.number; });
    if (round.status != RoundStatus::counted && decided_on) {
      return invalid_decision(spec.number, "本轮已不能计入，须重新投票",
                              "the round did not count and is held again");
    }
    if (declared_invalid(decisions, spec.number)) {
      round.status = RoundStatus::declared_invalid;
      result.decisions.push_back({DecisionCode::presidium_invalidated, spec.number, 0, 0, 0, 0});
    }
    if (round.status != RoundStatus::counted) {
      next = RoundSpec{spec.number + 1, spec.number, RoundPurpose::re_vote, spec.items, spec.places};
    } else if (vote->kind == VoteKind::choose) {
      HALLVOTE_TRY(following, decide_choose(*vote, round, result, decisions));
      next = *following;
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
  const bool awaiting = !next && !result.decisions.empty() &&
                        result.decisions.back().code == DecisionCode::awaiting_presidium &&
                        result.decisions.back().round == result.rounds.size();
  result.status = next       ? VoteStatus::needs_round
                  : awaiting ? VoteStatus::awaiting_decision
                             : VoteStatus::decided;
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

namespace {

// One table per enum: the logged name of each value, in declaration order.
template <class Enum, std::size_t N>
bool parse_name(const std::array<std::string_view, N>& names, std::string_view text, Enum& out) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) {
      out = static_cast<Enum>(i);
      return true;
    }
  }
  return false;
}

constexpr std::array<std::string_view, 7> kVerdictNames{
    "adopted", "not_adopted", "run_off", "satisfied", "basically_satisfied", "dissatisfied", "undecided"};
constexpr std::array<std::string_view, 12> kReasonNames{"round_not_counted",
                                                        "below_threshold",
                                                        "tied_at_last_place",
                                                        "outside_places",
                                                        "within_places",
                                                        "passes",
                                                        "fails",
                                                        "satisfied",
                                                        "basically_satisfied",
                                                        "dissatisfied",
                                                        "most_votes",
                                                        "fewer_votes"};
constexpr std::array<std::string_view, 4> kRoundStatusNames{"counted", "void_round", "no_quorum",
                                                            "declared_invalid"};
constexpr std::array<std::string_view, 8> kDecisionNames{
    "shortfall_run_off", "shortfall_accepted", "shortfall_left_open", "awaiting_presidium",
    "presidium_run_off", "presidium_deferred", "presidium_accepted",  "presidium_invalidated"};
constexpr std::array<std::string_view, 4> kPresidiumActionNames{"declare_invalid", "hold_further_vote",
                                                                "defer_further_vote", "accept_fewer"};

}  // namespace

std::string_view to_string(Verdict verdict) noexcept {
  return kVerdictNames.at(static_cast<std::size_t>(verdict));
}
std::string_view to_string(ReasonCode code) noexcept { return kReasonNames.at(static_cast<std::size_t>(code)); }
std::string_view to_string(RoundStatus status) noexcept {
  return kRoundStatusNames.at(static_cast<std::size_t>(status));
}
std::string_view to_string(DecisionCode code) noexcept {
  return kDecisionNames.at(static_cast<std::size_t>(code));
}
bool parse_verdict(std::string_view text, Verdict& out) noexcept {
  return parse_name(kVerdictNames, text, out);
}
bool parse_reason_code(std::string_view text, ReasonCode& out) noexcept {
  return parse_name(kReasonNames, text, out);
}
bool parse_round_status(std::string_view text, RoundStatus& out) noexcept {
  return parse_name(kRoundStatusNames, text, out);
}
bool parse_decision_code(std::string_view text, DecisionCode& out) noexcept {
  return parse_name(kDecisionNames, text, out);
}
std::string_view to_string(PresidiumAction action) noexcept {
  return kPresidiumActionNames.at(static_cast<std::size_t>(action));
}
bool parse_presidium_action(std::string_view text, PresidiumAction& out) noexcept {
  return parse_name(kPresidiumActionNames, text, out);
}

}  // namespace hallvote::session
