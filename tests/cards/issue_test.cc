// Issuing cards on SoftHSM2 tokens (docs/cards.md §2): the key is made on the token and cannot leave it.
#include "hallvote/cards/issue.h"

#include <gtest/gtest.h>

#include "../support/softhsm.h"
#include "hallvote/cards/errors.h"

namespace hallvote::cards {
namespace {

namespace p11 = hardware::pkcs11;

TEST(Issue, TheKeyIsMadeOnTheTokenAndNeverLeavesIt) {
  testing::SoftHsm hsm;
  const auto key = hsm.issue("D0001", "123456");
  auto slot = hsm.module()->find_token("D0001");
  ASSERT_TRUE(slot && *slot);
  auto session = p11::Session::open(hsm.module(), **slot, false);
  ASSERT_TRUE(session);
  ASSERT_EQ(session->login(CKU_USER, "123456"), CKR_OK);
  auto private_key = session->ed25519_key(CKO_PRIVATE_KEY);
  ASSERT_TRUE(private_key) << private_key.error().message();
  auto value = session->attribute(*private_key, CKA_VALUE);
  ASSERT_FALSE(value);
  EXPECT_NE(value.error().detail.find("CKR_ATTRIBUTE_SENSITIVE"), std::string::npos) << value.error().detail;
  auto point = session->attribute(*session->ed25519_key(CKO_PUBLIC_KEY), CKA_EC_POINT);
  ASSERT_TRUE(point);
  EXPECT_EQ(p11::parse_ec_point(*point).value(), key);
  auto info = hsm.module()->token_info(**slot);
  ASSERT_TRUE(info);
  EXPECT_EQ(p11::token_label(*info), "D0001");
  EXPECT_TRUE(info->flags & CKF_USER_PIN_INITIALIZED);
}

TEST(Issue, EachCardGetsItsOwnKey) {
  testing::SoftHsm hsm;
  EXPECT_FALSE(hsm.issue("D0001", "123456") == hsm.issue("D0002", "123456"));
}

TEST(Issue, BadRequestsAreRefusedBeforeTheTokenIsTouched) {
  testing::SoftHsm hsm;
  auto slot = blank_token_slot(*hsm.module());
  ASSERT_TRUE(slot);
  for (const IssueRequest& request :
       {IssueRequest{"D0001", testing::kTestSoPin, "12345"}, IssueRequest{"", testing::kTestSoPin, "123456"},
        IssueRequest{std::string(33, 'D'), testing::kTestSoPin, "123456"},
        IssueRequest{"D0001", "", "123456"}}) {
    auto refused = issue_card(hsm.module(), *slot, request);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, std::errc::invalid_argument);
  }
  EXPECT_TRUE(blank_token_slot(*hsm.module()));  // still blank
}

TEST(Issue, AWrongSoPinOnAnIssuedTokenIsRefused) {
  testing::SoftHsm hsm;
  hsm.issue("D0001", "123456");
  auto slot = hsm.module()->find_token("D0001");
  auto refused = issue_card(hsm.module(), **slot, {"D0001", "87654321", "123456"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, CardsErrc::issuing);
  EXPECT_NE(refused.error().detail.find("CKR_PIN_INCORRECT"), std::string::npos) << refused.error().detail;
}

}  // namespace
}  // namespace hallvote::cards
