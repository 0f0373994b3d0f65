#include "hallvote/session/rules_config.h"

#include <gtest/gtest.h>

namespace hallvote::session {
namespace {

TEST(Rules, QuorumCountsExactlyTwoThirds) {
  struct Case {
    std::uint32_t present, in_office;
    bool met;
  };
  for (const Case& c :
       {Case{34, 51, true}, Case{33, 51, false}, Case{34, 50, true}, Case{33, 50, false}, Case{2, 3, true},
        Case{1, 3, false}, Case{2000, 3000, true}, Case{1999, 3000, false}, Case{0, 0, true}}) {
    EXPECT_EQ(quorum_met(c.present, c.in_office, Fraction{}), c.met) << c.present << "/" << c.in_office;
  }
  EXPECT_EQ(quorum_minimum(51, Fraction{}), 34u);
  EXPECT_EQ(quorum_minimum(50, Fraction{}), 34u);
  EXPECT_EQ(quorum_minimum(3000, Fraction{}), 2000u);
  EXPECT_TRUE(quorum_met(4'000'000'000u, 4'000'000'000u, Fraction{}));  // no overflow
}

TEST(Rules, MajorityIsMoreThanHalf) {
  EXPECT_EQ(majority_threshold(50), 26u);  // even: exactly half (25) fails
  EXPECT_EQ(majority_threshold(51), 26u);  // odd
  EXPECT_EQ(majority_threshold(252), 127u);
  EXPECT_EQ(majority_threshold(1), 1u);
  EXPECT_EQ(majority_threshold(0), 1u);
}

TEST(Rules, ParameterNamesRoundTrip) {
  for (ThresholdBase b : {ThresholdBase::in_office, ThresholdBase::present, ThresholdBase::valid}) {
    ThresholdBase parsed{};
    EXPECT_TRUE(parse_threshold_base(to_string(b), parsed));
    EXPECT_EQ(parsed, b);
  }
  for (ShortfallPolicy p : {ShortfallPolicy::run_off, ShortfallPolicy::accept_fewer}) {
    ShortfallPolicy parsed{};
    EXPECT_TRUE(parse_shortfall_policy(to_string(p), parsed));
    EXPECT_EQ(parsed, p);
  }
  ThresholdBase unused{};
  EXPECT_FALSE(parse_threshold_base("all", unused));
}

}  // namespace
}  // namespace hallvote::session
