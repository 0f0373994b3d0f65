// What the vote-level tamper tests share: verifying a bundle a dishonest server changed and re-signed
// (session_bundle.h, resign()), and expecting the first failure at a given check, entry and field.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "hallvote/auditor/verifier.h"

namespace hallvote::vote_audit::testing {

inline std::string describe(const VoteReport& report) {
  return report.ok() ? std::string("ok")
                     : report.failure->check + " at " +
                           (report.failure->entry ? std::to_string(*report.failure->entry) : "-") + " field " +
                           report.failure->field + ": " + report.failure->error.message();
}

// Verifies a tampered bundle: the log-level checks must pass (the dishonest server re-signed everything), and
// the vote-level report is returned.
inline VoteReport verify_tampered(const audit::Bundle& bundle, unsigned threads = 2) {
  SessionVerifyOptions options;
  options.votes.threads = threads;
  const SessionReport report = verify_session(bundle, options);
  EXPECT_TRUE(report.log.ok()) << report.log.failure->check << ": " << report.log.failure->error.message();
  return report.votes.value_or(VoteReport{});
}

inline void expect_failure(const VoteReport& report, std::string_view check, std::uint64_t entry,
                           std::string_view field = {}) {
  ASSERT_FALSE(report.ok()) << "expected " << check;
  EXPECT_EQ(report.failure->check, check) << describe(report);
  EXPECT_EQ(report.failure->number, find_check(check)->number);
  EXPECT_EQ(report.failure->entry, entry) << describe(report);
  if (!field.empty()) {
    EXPECT_EQ(report.failure->field, field) << describe(report);
  }
}

}  // namespace hallvote::vote_audit::testing
