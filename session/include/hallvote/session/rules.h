// The rules engine: from a vote's definition, the tallies of its rounds so far and the session's rules, the
// result table — per round the accounting (应到/实到/发出/收回/有效/无效/未按), the threshold, per item its
// totals, rank and verdict with the reason in words — and what happens next (another round, or decided).
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
  counted,     // the round counts
  void_round,  // 收回 > 发出: the round is void (选举法 art. 44) and is held again
  no_quorum,   // 实到 below the quorum: the round cannot decide and is held again
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

struct ItemResult {
  std::string item_id;
  std::vector<std::uint32_t> totals;  // per selection, as in the ballot shape (a choose item: its one total)
  std::uint32_t blank = 0;  // per_item/satisfaction: valid ballots that left this item blank (未表态)
  std::uint32_t rank = 0;   // choose: 1 + the number of items with more votes (ties share); else 0
  Verdict verdict = Verdict::undecided;
  std::string reason_zh;  // e.g. "赞成 126 票，未达到全体代表过半数 127 票，未通过"
  std::string reason_en;  // e.g. "126 for, short of the 127 needed (more than half of all 252 deputies): fails"
};

struct RoundResult {
  RoundSpec spec;
  std::uint32_t in_office = 0;  // 应到 / 实有代表数
  std::uint32_t present = 0;    // 实到
  BallotAccounting accounting;
  std::uint32_t no_ballot = 0;  // 未按: issued but not returned (never counted as 弃权)
  bool quorum_met = false;
  RoundStatus status = RoundStatus::counted;
  ThresholdBase base_kind = ThresholdBase::in_office;
  std::uint32_t base = 0;         // the number "more than half" is taken of
  std::uint32_t threshold = 0;    // floor(base / 2) + 1
  std::vector<ItemResult> items;  // in ballot order
  std::string summary_zh;
  std::string summary_en;
};

enum class VoteStatus {
  needs_round,  // next_round says which round to hold next
  decided,      // no further round
};

struct VoteResult {
  std::string vote_id;
  VoteKind kind = VoteKind::per_item;
  std::vector<RoundResult> rounds;
  VoteStatus status = VoteStatus::needs_round;
  std::optional<RoundSpec> next_round;  // set exactly when status is needs_round
  std::vector<std::string> adopted;     // choose/per_item: the items adopted or passed so far, choose ones by
                                     // round then rank; satisfaction: empty (see each item's verdict)
  std::vector<std::string> decisions_zh;  // decisions recorded under the vote's policies (shortfall handling)
  std::vector<std::string> decisions_en;
};

// Computes the result of vote `vote_id` of `session` after the rounds tallied so far (`rounds[i]` is round i+1;
// each round's spec is derived from the rounds before it, and its totals must follow that round's BallotShape).
// With no rounds, the result asks for the first round.
// Errors: unknown_vote; inconsistent_counts (shape mismatch, valid + invalid ≠ returned, issued > present,
// present > in office, a total above valid, a contest or aggregate sum outside its limits); unexpected_round (a
// tally after the vote was decided). The error detail names the round and contest.
[[nodiscard]] Result<VoteResult> compute_vote_result(const SessionDefinition& session, std::string_view vote_id,
                                                     std::span<const RoundTally> rounds);

// "通过", "未通过", "进入再次投票", "满意", "基本满意", "不满意", "未决".
[[nodiscard]] std::string_view display_name_zh(Verdict verdict) noexcept;

}  // namespace hallvote::session
