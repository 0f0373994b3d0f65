// The rules engine: from a vote's definition, the tallies of its rounds so far and the session's rules, the
// result table — per round the accounting (应到/实到/发出/收回/有效/无效/未按), the threshold, per item its
// totals, rank, verdict and the reason as a code with its parameters — and what happens next (another round, or
// decided). The engine decides; it does not word: wording.h renders every reason, summary and decision in
// Chinese and English from these values (docs/rules.md §11 specifies the wording).
//
// compute_vote_result() is a pure function: no clock, no I/O, no state; the same inputs give the same table, in
// any thread. The rules are in docs/rules.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/session/ballot_shape.h"
#include "hallvote/session/definition.h"
#include "hallvote/session/errors.h"
#include "hallvote/session/round.h"

namespace hallvote::session {

// 发出/收回/有效/无效 of one round.
struct BallotAccounting {
  std::uint32_t issued = 0;    // 发出: ballots issued to signed-in terminals
  std::uint32_t returned = 0;  // 收回: ballots cast and received
  std::uint32_t valid = 0;     // 有效: returned ballots whose signature and proofs check
  std::uint32_t invalid = 0;   // 无效: returned ballots rejected (valid + invalid = returned)

  friend bool operator==(const BallotAccounting&, const BallotAccounting&) = default;
};

// What one round produced: attendance, accounting and the decrypted per-selection totals over valid ballots.
struct RoundTally {
  std::uint32_t present = 0;  // 实到: deputies in office signed in when the ballots were issued
  BallotAccounting accounting;
  std::vector<std::vector<std::uint32_t>> totals;  // [contest][selection], in the round's BallotShape order
};

enum class RoundStatus {
  counted,           // the round counts
  void_round,        // 收回 > 发出: the round is void (选举法 art. 44) and is held again
  no_quorum,         // 实到 below the quorum: the round cannot decide and is held again
  declared_invalid,  // the presidium declared the round invalid (选举法 art. 46) and it is held again
};

enum class Verdict {
  adopted,              // 通过 (choose: adopted within the places; per_item: passed)
  not_adopted,          // 未通过
  run_off,              // 进入再次投票: tied across the last place, decided in the next round
  satisfied,            // 满意
  basically_satisfied,  // 基本满意
  dissatisfied,         // 不满意
  undecided,            // 未决: the round did not count
};

// Why an item got its verdict. The wording of each code is in docs/rules.md §11 (wording.h renders it).
enum class ReasonCode {
  round_not_counted,    // the round did not count (no quorum, or void): undecided
  below_threshold,      // choose: fewer votes than the threshold: not adopted
  tied_at_last_place,   // choose: tied across the last place: run-off (parameters tied_with, open_places)
  outside_places,       // choose: reaches the threshold but ranks outside the places: not adopted
  within_places,        // choose: reaches the threshold and ranks within the places: adopted
  passes,               // per_item: 赞成 reaches the threshold
  fails,                // per_item: 赞成 short of the threshold
  satisfied,            // satisfaction: 满意 reaches the threshold
  basically_satisfied,  // satisfaction: 满意 + 基本满意 reach it, 满意 alone does not
  dissatisfied,         // satisfaction: 满意 + 基本满意 short of it
  most_votes,           // choose, tie re-vote decided by plurality: ranks within the places: adopted
  fewer_votes,          // choose, tie re-vote decided by plurality: ranks outside the places: not adopted
};

struct ItemReason {
  ReasonCode code = ReasonCode::round_not_counted;
  std::uint32_t tied_with = 0;    // tied_at_last_place: the other items with the same votes
  std::uint32_t open_places = 0;  // tied_at_last_place: the places left for the run-off

  friend bool operator==(const ItemReason&, const ItemReason&) = default;
};

struct ItemResult {
  std::string item_id;
  std::vector<std::uint32_t> totals;  // per selection, as in the ballot shape (a choose item: its one total)
  std::uint32_t blank = 0;  // per_item/satisfaction: valid ballots that left this item blank (未表态)
  std::uint32_t rank = 0;   // choose: 1 + the number of items with more votes (ties share); else 0
  Verdict verdict = Verdict::undecided;
  ItemReason reason;
};

struct RoundResult {
  RoundSpec spec;
  std::uint32_t in_office = 0;  // 应到 / 实有代表数
  std::uint32_t present = 0;    // 实到
  BallotAccounting accounting;
  std::uint32_t no_ballot = 0;  // 未按: present but not returned, issued or not (never counted as 弃权)
  bool quorum_met = false;
  RoundStatus status = RoundStatus::counted;
  ThresholdBase base_kind = ThresholdBase::in_office;
  std::uint32_t base = 0;            // the number "more than half" is taken of
  std::uint32_t threshold = 0;       // floor(base / 2) + 1
  Fraction quorum;                   // the session's quorum fraction
  std::uint32_t quorum_minimum = 0;  // the fewest present that meet it
  std::vector<ItemResult> items;     // in ballot order
};

enum class VoteStatus {
  needs_round,        // next_round says which round to hold next
  decided,            // no further round
  awaiting_decision,  // a shortfall under ShortfallPolicy::presidium: the presidium decides what follows
};

// A decision recorded for the vote: under the vote's shortfall policy (fewer items reached the threshold than
// places), or by the presidium (a PresidiumDecision the engine was given). The codes name their wording
// (docs/rules.md §11).
enum class DecisionCode {
  shortfall_run_off,   // by the policy: 另行投票 among the items not adopted, for the places left
  shortfall_accepted,  // by the policy: the items adopted are accepted; no further round
  shortfall_left_open,  // by the policy: the 另行投票 rounds allowed at this sitting are used; places unfilled
  awaiting_presidium,    // the presidium has yet to decide the shortfall (candidates: items not adopted)
  presidium_run_off,     // the presidium holds the further vote now among `candidates` items it named
  presidium_deferred,    // the presidium defers the further vote to a later sitting; places unfilled now
  presidium_accepted,    // the presidium accepts the items adopted; no further round
  presidium_invalidated  // the presidium declared the round invalid; it is held again (filled, places: 0)
};

struct Decision {
  DecisionCode code = DecisionCode::shortfall_run_off;
  std::uint32_t round = 0;       // the round decided on
  std::uint32_t filled = 0;      // items adopted in it
  std::uint32_t places = 0;      // places it was to fill
  std::uint32_t candidates = 0;  // *_run_off: items on the further round's ballot; awaiting/deferred: items
                                 // not adopted
  std::uint32_t missing = 0;     // places - filled

  friend bool operator==(const Decision&, const Decision&) = default;
};

// What the presidium decided about a round, signed by its members (docs/protocol.md §4.5.9) and given back to
// the engine with the tallies: the engine applies it where the round's result calls for it and refuses it where
// it does not fit.
enum class PresidiumAction {
  declare_invalid,  // 选举法 art. 46: the round is invalid and is held again with the same items and places
  hold_further_vote,   // a shortfall: 另行投票 now, among `items` (those not adopted that stand)
  defer_further_vote,  // a shortfall: the further vote is deferred to a later sitting
  accept_fewer,        // a shortfall: the items adopted are accepted
};

struct PresidiumDecision {
  PresidiumAction action = PresidiumAction::declare_invalid;
  std::uint32_t round = 0;         // the round it decides about
  std::vector<std::string> items;  // hold_further_vote only: the items standing, in the round's ballot order

  friend bool operator==(const PresidiumDecision&, const PresidiumDecision&) = default;
};

struct VoteResult {
  std::string vote_id;
  VoteKind kind = VoteKind::per_item;
  std::vector<RoundResult> rounds;
  VoteStatus status = VoteStatus::needs_round;
  std::optional<RoundSpec> next_round;  // set exactly when status is needs_round
  std::vector<std::string> adopted;     // choose/per_item: the items adopted or passed so far, choose ones by
                                        // round then rank; satisfaction: empty (see each item's verdict)
  std::vector<Decision> decisions;      // decisions recorded, by policy or by the presidium, in round order
};

// Computes the result of vote `vote_id` of `session` after the rounds tallied so far (`rounds[i]` is round i+1;
// each round's spec is derived from the rounds before it, and its totals must follow that round's BallotShape).
// With no rounds, the result asks for the first round.
// Errors: unknown_vote; inconsistent_counts (shape mismatch, valid + invalid ≠ returned, issued > present,
// present > in office, a total above valid, a contest or aggregate sum outside its limits); unexpected_round (a
// tally after the vote was decided). The error detail names the round and contest.
//
// `decisions` are the presidium's, in the order they took effect. A declare_invalid decision for a round makes
// it declared_invalid (its items undecided, a re-vote follows) and any shortfall decision for it moot. A
// shortfall decision (hold/defer/accept) applies where the round falls short of its places, whatever the
// vote's policy. Errors (invalid_decision, naming the round): a decision for a round not in `rounds`; a second
// decision of the same kind for a round; a shortfall decision for a round that did not fall short (or a vote
// that is not choose); hold_further_vote whose items are not distinct items not adopted in that round, in its
// ballot order, or are fewer than missing + 1 without being all of them.
[[nodiscard]] Result<VoteResult> compute_vote_result(const SessionDefinition& session, std::string_view vote_id,
                                                     std::span<const RoundTally> rounds,
                                                     std::span<const PresidiumDecision> decisions = {});

// "通过", "未通过", "进入再次投票", "满意", "基本满意", "不满意", "未决".
[[nodiscard]] std::string_view display_name_zh(Verdict verdict) noexcept;

// The codes as logged (docs/audit-log.md §3.2: "adopted", "below_threshold", "counted", "shortfall_run_off"…),
// and back; parse_* return false for a name outside the list and leave `out` unchanged.
[[nodiscard]] std::string_view to_string(Verdict verdict) noexcept;
[[nodiscard]] std::string_view to_string(ReasonCode code) noexcept;
[[nodiscard]] std::string_view to_string(RoundStatus status) noexcept;
[[nodiscard]] std::string_view to_string(DecisionCode code) noexcept;
[[nodiscard]] bool parse_verdict(std::string_view text, Verdict& out) noexcept;
[[nodiscard]] bool parse_reason_code(std::string_view text, ReasonCode& out) noexcept;
[[nodiscard]] bool parse_round_status(std::string_view text, RoundStatus& out) noexcept;
[[nodiscard]] bool parse_decision_code(std::string_view text, DecisionCode& out) noexcept;
// "declare_invalid", "hold_further_vote", "defer_further_vote", "accept_fewer", and back.
[[nodiscard]] std::string_view to_string(PresidiumAction action) noexcept;
[[nodiscard]] bool parse_presidium_action(std::string_view text, PresidiumAction& out) noexcept;

}  // namespace hallvote::session
