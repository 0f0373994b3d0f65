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
  run_off,       // 另行投票: a new round among the projects not adopted, for the remaining places (default)
  accept_fewer,  // 主席团决定接受: the presidium accepts fewer projects; recorded as a decision
};

// Session-wide rule parameters; each vote may override threshold_base and shortfall.
struct RulesConfig {
  Fraction quorum{2, 3};
  ThresholdBase threshold_base = ThresholdBase::in_office;
  ShortfallPolicy shortfall = ShortfallPolicy::run_off;

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
[[nodiscard]] bool parse_threshold_base(std::string_view text, ThresholdBase& out) noexcept;
[[nodiscard]] bool parse_shortfall_policy(std::string_view text, ShortfallPolicy& out) noexcept;

// The base in words for verdict reasons: "全体代表" / "出席代表" / "有效票".
[[nodiscard]] std::string_view base_words_zh(ThresholdBase base) noexcept;

}  // namespace hallvote::session
