// The auditor's card-list check (docs/crypto.md §13.1 item 5, docs/cards.md §4): the card keys of entry 0 must
// be those of a card list the issuing office signed over the session's roster. The dishonest server re-signs
// the log after each change (session_bundle.h), so only this check can notice.
#include <gtest/gtest.h>

#include "entry0_audit.h"
#include "hallvote/auditor/errors.h"
#include "hallvote/auditor/verifier.h"
#include "hallvote/cards/card_list.h"

namespace hallvote::vote_audit {
namespace {

using nlohmann::json;
using testing::expect_entry0_failure;
using testing::session_bundle;
using testing::verify_votes_of;
using testing::with_entry0;

TEST(CardListAudit, TheIssuerIsReportedAndCanBeRequired) {
  const auto& s = session_bundle();
  const auto report = verify_votes_of(s.bundle, s.hall->card_issuer.verify_key());
  ASSERT_TRUE(report.ok()) << report.failure->error.message();
  ASSERT_TRUE(report.cards);
  EXPECT_EQ(report.cards->issuer, s.hall->card_issuer.verify_key().hex());
  EXPECT_FALSE(report.cards->demo);
  EXPECT_TRUE(report.cards->issuer_given);
  EXPECT_NE(render_text(report).find("发卡单位签发 / issued by " + report.cards->issuer), std::string::npos);
  EXPECT_EQ(to_json(report)["cards"]["issuer"], report.cards->issuer);
}

TEST(CardListAudit, ACardKeyTheIssuerDidNotSignIsCaught) {
  const auto& s = session_bundle();
  const auto bundle = with_entry0([&](json& p) {
    // The server swaps one deputy's card key for a key of its own, leaving the signed list as it was.
    p["session"]["credential_keys"][s.hall->deputy(0).id] = crypto::SigningKey::generate().verify_key().hex();
  });
  expect_entry0_failure(verify_votes_of(bundle), "payload.session.credential_keys", VoteAuditErrc::mismatch);
}

TEST(CardListAudit, AListChangedAfterSigningIsCaught) {
  const auto& s = session_bundle();
  const auto key = crypto::SigningKey::generate().verify_key().hex();
  const auto bundle = with_entry0([&](json& p) {
    p["session"]["credential_keys"][s.hall->deputy(0).id] = key;
    p["session"]["card_list"]["cards"][s.hall->deputy(0).id] = key;
  });
  expect_entry0_failure(verify_votes_of(bundle), "payload.session.card_list", VoteAuditErrc::invalid_signature);
}

TEST(CardListAudit, AListSignedByAnotherKeyIsFlaggedAgainstTheIssuerGiven) {
  const auto& s = session_bundle();
  const crypto::SigningKey forger = crypto::SigningKey::generate();
  const auto bundle = with_entry0([&](json& p) {
    auto list = cards::CardList::from_json(p["session"]["card_list"]).value();
    cards::sign(list, forger);
    p["session"]["card_list"] = list.to_json();
  });
  expect_entry0_failure(verify_votes_of(bundle, s.hall->card_issuer.verify_key()), "payload.session.card_list",
                        VoteAuditErrc::mismatch);
  // Without --card-issuer the signature verifies and entry 0 passes (changing entry 0 fails a later check that
  // hashes it); the report names the other issuer for the auditor to compare with the office's published key.
  const auto unchecked = verify_votes_of(bundle);
  ASSERT_TRUE(unchecked.cards);
  ASSERT_FALSE(unchecked.ok());
  EXPECT_NE(unchecked.failure->entry, 0u);
  EXPECT_EQ(unchecked.cards->issuer, forger.verify_key().hex());
  EXPECT_FALSE(unchecked.cards->issuer_given);
}

TEST(CardListAudit, AListForAnotherRosterIsCaught) {
  const crypto::SigningKey& issuer = session_bundle().hall->card_issuer;
  const auto bundle = with_entry0([&](json& p) {
    auto list = cards::CardList::from_json(p["session"]["card_list"]).value();
    list.roster_hash[0] ^= 1;
    cards::sign(list, issuer);
    p["session"]["card_list"] = list.to_json();
  });
  expect_entry0_failure(verify_votes_of(bundle), "payload.session.card_list", VoteAuditErrc::mismatch);
}

TEST(CardListAudit, ALogWithoutACardListFails) {
  const auto bundle = with_entry0([](json& p) { p["session"].erase("card_list"); });
  expect_entry0_failure(verify_votes_of(bundle), "payload.session.card_list", VoteAuditErrc::malformed);
}

TEST(CardListAudit, ADemoListIsReportedAsSimulatedCards) {
  const auto& s = session_bundle();
  const auto demo = cards::simulated_card_list(s.hall->session.roster, "seed");
  const auto bundle = with_entry0([&](json& p) {
    p["session"]["card_list"] = demo.to_json();
    p["session"]["credential_keys"] = demo.key_map();
  });
  // The simulated keys did not sign the session's sign-ins: the walk fails later, but entry 0 passed and says
  // so.
  const auto report = verify_votes_of(bundle);
  ASSERT_TRUE(report.cards);
  EXPECT_TRUE(report.cards->demo);
  EXPECT_NE(render_text(report).find("SIMULATED cards"), std::string::npos);
  EXPECT_TRUE(to_json(report)["cards"]["demo"].get<bool>());
}

}  // namespace
}  // namespace hallvote::vote_audit
