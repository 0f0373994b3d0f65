#include "hallvote/session/rules_config.h"

namespace hallvote::session {

bool quorum_met(std::uint32_t present, std::uint32_t in_office, Fraction quorum) noexcept {
  return std::uint64_t{present} * quorum.denominator >= std::uint64_t{in_office} * quorum.numerator;
}

std::uint32_t quorum_minimum(std::uint32_t in_office, Fraction quorum) noexcept {
  const std::uint64_t needed = std::uint64_t{in_office} * quorum.numerator;
  return static_cast<std::uint32_t>((needed + quorum.denominator - 1) / quorum.denominator);
}

std::uint32_t majority_threshold(std::uint32_t base) noexcept { return base / 2 + 1; }

std::string_view to_string(ThresholdBase base) noexcept {
  switch (base) {
    case ThresholdBase::in_office:
      return "in_office";
    case ThresholdBase::present:
      return "present";
    case ThresholdBase::valid:
      return "valid";
  }
  return "in_office";
}

std::string_view to_string(ShortfallPolicy policy) noexcept {
  switch (policy) {
    case ShortfallPolicy::run_off:
      return "run_off";
    case ShortfallPolicy::accept_fewer:
      return "accept_fewer";
    case ShortfallPolicy::presidium:
      return "presidium";
  }
  return "run_off";
}

std::string_view to_string(TieRevoteRule rule) noexcept {
  return rule == TieRevoteRule::majority ? "majority" : "plurality";
}

bool parse_tie_revote_rule(std::string_view text, TieRevoteRule& out) noexcept {
  for (TieRevoteRule r : {TieRevoteRule::plurality, TieRevoteRule::majority}) {
    if (text == to_string(r)) {
      out = r;
      return true;
    }
  }
  return false;
}

bool parse_threshold_base(std::string_view text, ThresholdBase& out) noexcept {
  for (ThresholdBase b : {ThresholdBase::in_office, ThresholdBase::present, ThresholdBase::valid}) {
    if (text == to_string(b)) {
      out = b;
      return true;
    }
  }
  return false;
}

bool parse_shortfall_policy(std::string_view text, ShortfallPolicy& out) noexcept {
  for (ShortfallPolicy p :
       {ShortfallPolicy::run_off, ShortfallPolicy::accept_fewer, ShortfallPolicy::presidium}) {
    if (text == to_string(p)) {
      out = p;
      return true;
    }
  }
  return false;
}

std::string_view base_words_zh(ThresholdBase base) noexcept {
  switch (base) {
    case ThresholdBase::in_office:
      return "全体代表";
    case ThresholdBase::present:
      return "出席代表";
    case ThresholdBase::valid:
      return "有效票";
  }
  return "全体代表";
}

}  // namespace hallvote::session
