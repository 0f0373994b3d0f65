// What the tests of entry 0's checks share (card list, key ceremony; docs/crypto.md §13.1): a dishonest
// server's change to entry 0 with the log re-signed after it (session_bundle.h), the vote-level report of a
// bundle, and the expectation that session.definition failed at entry 0 on a named field.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string_view>

#include "hallvote/auditor/errors.h"
#include "hallvote/auditor/verifier.h"
#include "session_bundle.h"

namespace hallvote::vote_audit::testing {

inline VoteReport verify_votes_of(const audit::Bundle& bundle,
                                  std::optional<crypto::VerifyKey> card_issuer = std::nullopt) {
  SessionVerifyOptions options;
  options.votes.card_issuer = card_issuer;
  const SessionReport report = verify_session(bundle, options);
  EXPECT_TRUE(report.log.ok());
  return report.votes.value_or(VoteReport{});
}

// The fixture's bundle with entry 0's payload changed by `change`, and the log re-signed.
inline audit::Bundle with_entry0(const std::function<void(nlohmann::json&)>& change) {
  return resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    nlohmann::json p = payload_of(entries[0]);
    change(p);
    set_payload(entries[0], p);
  });
}

inline void expect_entry0_failure(const VoteReport& report, std::string_view field, VoteAuditErrc code) {
  ASSERT_FALSE(report.ok()) << "expected session.definition to fail at entry 0";
  EXPECT_EQ(report.failure->check, "session.definition");
  EXPECT_EQ(report.failure->entry, 0u);
  EXPECT_EQ(report.failure->field, field) << report.failure->error.message();
  EXPECT_EQ(report.failure->error.code, code) << report.failure->error.message();
}

}  // namespace hallvote::vote_audit::testing
