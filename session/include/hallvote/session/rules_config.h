// The legal rules as parameters with their legal defaults, and the integer arithmetic behind them.
// docs/rules.md gives each rule's source in law, its parameter, default and a worked example.
// All functions are pure and thread-safe; counts are 32-bit, products are computed in 64 bits (no overflow).
#pragma once

#include <cstdint>
#include <string_view>

namespace hallvote::session {

// A fraction of the deputies in office, e.g. the quorum 2/3. Invariant (checked by the loader):
// 0 < numerator <= denominator.
struct Fraction {
  std::uint32_t numerator = 2;
  std::uint32_t denominator = 3;

  friend bool operator==(const Fraction&, const Fraction&) = default;
};

// What "more than half" is counted of (地方组织法 art. 25: 全体代表的过半数 by default).
enum class ThresholdBase {
  in_office,  // 实有代表数 / all deputies in office (default)
  present,    // 出席代表 / deputies present (signed in) for the round
  valid,      // 有效票 / valid ballots of the round
};

// What happens when fewer 差额 projects reach the threshold than there are places.
enum class ShortfallPolicy {
  run_off,  // 另行投票: a new round among the projects not adopted, for the remaining places (default)
  accept_fewer,  // 依照表决办法接受: fewer projects are accepted without a further round, as the session's 办法
                 // says
  presidium,  // 由主席团决定: the result waits for a decision signed by the presidium (hold the further vote
              // now, defer it, or accept fewer; docs/rules.md §4)
};

// What decides a tie re-vote (再次投票（票数相等）) among the projects tied across the last place. The law
// leaves it to the session's 办法; docs/rules.md §3 gives the sources.
enum class TieRevoteRule {
  plurality,  // 以得票多的当选: the most votes fill the places (选举法 art. 45's text) (default)
  majority,   // the projects still need the threshold, as in any round
};

// The most 另行投票 rounds for unfilled places a vote holds at this sitting under ShortfallPolicy::run_off.
inline constexpr std::uint32_t kDefaultShortfallRunOffs = 1;
inline constexpr std::uint32_t kMaxShortfallRunOffs = 9;

// Session-wide rule parameters; each choose vote may override all but the quorum.
struct RulesConfig {
  Fraction quorum{2, 3};
  ThresholdBase threshold_base = ThresholdBase::in_office;
  ShortfallPolicy shortfall = ShortfallPolicy::run_off;
  TieRevoteRule tie_revote = TieRevoteRule::plurality;
  std::uint32_t shortfall_run_offs = kDefaultShortfallRunOffs;

  friend bool operator==(const RulesConfig&, const RulesConfig&) = default;
};

// True if present/in_office >= quorum, computed exactly: present * den >= in_office * num. Exactly 2/3 passes.
[[nodiscard]] bool quorum_met(std::uint32_t present, std::uint32_t in_office, Fraction quorum) noexcept;

// The smallest number present that meets the quorum: ceil(in_office * num / den).
[[nodiscard]] std::uint32_t quorum_minimum(std::uint32_t in_office, Fraction quorum) noexcept;

// "More than half" of base: floor(base / 2) + 1. For base 0 this is 1 (nothing passes without a vote).
[[nodiscard]] std::uint32_t majority_threshold(std::uint32_t base) noexcept;

// Names of parameter values as written in session files ("in_office", "run_off"…), and back.
[[nodiscard]] std::string_view to_string(ThresholdBase base) noexcept;
[[nodiscard]] std::string_view to_string(ShortfallPolicy policy) noexcept;
[[nodiscard]] std::string_view to_string(TieRevoteRule rule) noexcept;
[[nodiscard]] bool parse_threshold_base(std::string_view text, ThresholdBase& out) noexcept;
[[nodiscard]] bool parse_shortfall_policy(std::string_view text, ShortfallPolicy& out) noexcept;
[[nodiscard]] bool parse_tie_revote_rule(std::string_view text, TieRevoteRule& out) noexcept;

// The base in words for verdict reasons: "全体代表" / "出席代表" / "有效票".
[[nodiscard]] std::string_view base_words_zh(ThresholdBase base) noexcept;

}  // namespace hallvote::session
