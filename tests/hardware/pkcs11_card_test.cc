// Pkcs11CardReader on SoftHSM2 tokens issued by hallvote::cards::issue_card (docs/cards.md §2–3).
#include "hallvote/hardware/pkcs11_card.h"

#include <gtest/gtest.h>

#include "../support/softhsm.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/hardware/errors.h"

namespace hallvote::hardware {
namespace {

using testing::SoftHsm;

class Pkcs11Card : public ::testing::Test {
 protected:
  SoftHsm hsm;
};

TEST_F(Pkcs11Card, IdentityIsTheTokenLabelAndTheKeyMadeOnIt) {
  const auto key = hsm.issue("D0001", "123456");
  Pkcs11CardReader reader(hsm.module(), "D0001");
  auto identity = reader.identity();
  ASSERT_TRUE(identity) << identity.error().message();
  EXPECT_EQ(identity->deputy_id, "D0001");
  EXPECT_EQ(identity->credential, key);
}

TEST_F(Pkcs11Card, SignsAfterThePinAndTheSignatureVerifies) {
  const auto key = hsm.issue("D0001", "123456");
  Pkcs11CardReader reader(hsm.module());
  const auto message = crypto::HashInput("test").add("message").sha256();
  auto before = reader.sign(message);
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, HardwareErrc::pin_required);
  ASSERT_TRUE(reader.verify_pin("123456"));
  auto signature = reader.sign(message);
  ASSERT_TRUE(signature) << signature.error().message();
  EXPECT_TRUE(key.verify(message, *signature));
  auto again = reader.sign(message);  // the session stays open for the next signature
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE(key.verify(message, *again));
}

TEST_F(Pkcs11Card, PicksTheReadersTokenByLabel) {
  const auto first = hsm.issue("D0001", "111111");
  const auto second = hsm.issue("D0002", "222222");
  Pkcs11CardReader reader(hsm.module(), "D0002");
  auto identity = reader.identity();
  ASSERT_TRUE(identity) << identity.error().message();
  EXPECT_EQ(identity->deputy_id, "D0002");
  EXPECT_EQ(identity->credential, second);
  EXPECT_FALSE(reader.verify_pin("111111"));  // D0001's PIN does not open D0002's card
  ASSERT_TRUE(reader.verify_pin("222222"));
  const auto message = crypto::HashInput("test").sha256();
  auto signature = reader.sign(message);
  ASSERT_TRUE(signature);
  EXPECT_TRUE(second.verify(message, *signature));
  EXPECT_FALSE(first.verify(message, *signature));
  Pkcs11CardReader empty(hsm.module(), "D0003");
  EXPECT_EQ(empty.identity().error().code, HardwareErrc::no_card);
}

TEST_F(Pkcs11Card, AMalformedPinNeverReachesTheToken) {
  hsm.issue("D0001", "123456");
  Pkcs11CardReader reader(hsm.module());
  for (const char* pin : {"12345", "1234567", "12345a", ""}) {
    auto refused = reader.verify_pin(pin);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, HardwareErrc::invalid_pin) << pin;
  }
  EXPECT_TRUE(reader.verify_pin("123456"));
}

// SoftHSM2 2.6.1 never locks a token: every wrong PIN is CKR_PIN_INCORRECT and sets CKF_USER_PIN_COUNT_LOW
// (it keeps no count), and the right PIN still works after any number of wrong ones. The reader reports what
// the token says ("few tries left"); a wrong PIN ends the previous PIN session. Locking is the token's: the
// mapping of the lock flags is checked below (Pkcs11Errors.WrongPinFollowsTheTokensFlags).
TEST_F(Pkcs11Card, AWrongPinIsReportedAsTheTokenSaysIt) {
  hsm.issue("D0001", "123456");
  Pkcs11CardReader reader(hsm.module());
  ASSERT_TRUE(reader.verify_pin("123456"));
  for (int i = 0; i < 10; ++i) {
    auto wrong = reader.verify_pin("654321");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, HardwareErrc::wrong_pin);
    EXPECT_EQ(wrong.error().detail, "剩余次数不多 / few tries left");
  }
  EXPECT_EQ(reader.sign(crypto::HashInput("test").sha256()).error().code, HardwareErrc::pin_required);
  auto info = hsm.module()->token_info(*hsm.module()->find_token("D0001").value());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->flags & (CKF_USER_PIN_LOCKED | CKF_USER_PIN_FINAL_TRY), 0u);
  EXPECT_TRUE(reader.verify_pin("123456"));
}

TEST_F(Pkcs11Card, ARemovedTokenIsNoCard) {
  hsm.issue("D0001", "123456");
  Pkcs11CardReader reader(hsm.module(), "D0001");
  ASSERT_TRUE(reader.verify_pin("123456"));
  // The token's folder goes away (SoftHSM2's way of pulling the card): the next call finds no such token.
  std::filesystem::remove_all(hsm.token_dir() / "tokens");
  std::filesystem::create_directories(hsm.token_dir() / "tokens");
  auto signature = reader.sign(crypto::HashInput("test").sha256());
  ASSERT_FALSE(signature);
  EXPECT_EQ(signature.error().code, HardwareErrc::no_card) << signature.error().message();
  EXPECT_EQ(reader.identity().error().code, HardwareErrc::no_card);
  EXPECT_EQ(reader.verify_pin("123456").error().code, HardwareErrc::no_card);
}

// A reader closes a pulled card's sessions: the logged-in session is gone, the next signature is no_card.
TEST_F(Pkcs11Card, ClosedSessionsAreNoCard) {
  hsm.issue("D0001", "123456");
  Pkcs11CardReader reader(hsm.module(), "D0001");
  ASSERT_TRUE(reader.verify_pin("123456"));
  hsm.module()->api().C_CloseAllSessions(*hsm.module()->find_token("D0001").value());
  auto signature = reader.sign(crypto::HashInput("test").sha256());
  ASSERT_FALSE(signature);
  EXPECT_EQ(signature.error().code, HardwareErrc::no_card);
  EXPECT_NE(signature.error().detail.find("CKR_SESSION_HANDLE_INVALID"), std::string::npos);
  EXPECT_EQ(reader.sign(crypto::HashInput("test").sha256()).error().code, HardwareErrc::pin_required);
  ASSERT_TRUE(reader.verify_pin("123456"));  // put back: a new PIN session
  EXPECT_TRUE(reader.sign(crypto::HashInput("test").sha256()));
}

// The module is finalised under the reader (its process shut the library down): device_failure naming the code.
TEST_F(Pkcs11Card, AFinalisedModuleIsADeviceFailure) {
  hsm.issue("D0001", "123456");
  Pkcs11CardReader reader(hsm.module(), "D0001");
  ASSERT_TRUE(reader.verify_pin("123456"));
  hsm.module()->api().C_Finalize(nullptr);
  auto identity = reader.identity();
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, HardwareErrc::device_failure);
  EXPECT_NE(identity.error().detail.find("CKR_CRYPTOKI_NOT_INITIALIZED"), std::string::npos);
  ck_c_initialize_args args{};
  args.flags = CKF_OS_LOCKING_OK;
  ASSERT_EQ(hsm.module()->api().C_Initialize(&args), CKR_OK);  // for the module's own C_Finalize
}

TEST(Pkcs11Errors, WrongPinFollowsTheTokensFlags) {
  EXPECT_EQ(pkcs11::wrong_pin_error(CKF_USER_PIN_LOCKED | CKF_USER_PIN_COUNT_LOW).code,
            HardwareErrc::card_locked);
  const auto final_try = pkcs11::wrong_pin_error(CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_COUNT_LOW);
  EXPECT_EQ(final_try.code, HardwareErrc::wrong_pin);
  EXPECT_EQ(final_try.detail, "还可尝试 1 次 / 1 try left");
  EXPECT_EQ(pkcs11::wrong_pin_error(CKF_USER_PIN_COUNT_LOW).detail, "剩余次数不多 / few tries left");
  const auto plain = pkcs11::wrong_pin_error(CKF_TOKEN_INITIALIZED);
  EXPECT_EQ(plain.code, HardwareErrc::wrong_pin);
  EXPECT_EQ(plain.detail, "");
}

TEST(Pkcs11Module, AMissingModuleIsADeviceFailure) {
  auto loaded = pkcs11::Module::load("/nonexistent/pkcs11.so");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, HardwareErrc::device_failure);
  auto not_pkcs11 = pkcs11::Module::load("libc.so.6");
  ASSERT_FALSE(not_pkcs11);
  EXPECT_NE(not_pkcs11.error().detail.find("C_GetFunctionList"), std::string::npos);
}

TEST(Pkcs11Errors, CodesMapToTheSeatsMessages) {
  EXPECT_EQ(pkcs11::rv_error(CKR_DEVICE_REMOVED, "C_Sign").code, HardwareErrc::no_card);
  EXPECT_EQ(pkcs11::rv_error(CKR_TOKEN_NOT_PRESENT, "C_Sign").code, HardwareErrc::no_card);
  EXPECT_EQ(pkcs11::rv_error(CKR_SESSION_HANDLE_INVALID, "C_Sign").code, HardwareErrc::no_card);
  EXPECT_EQ(pkcs11::rv_error(CKR_PIN_LOCKED, "C_Login").code, HardwareErrc::card_locked);
  EXPECT_EQ(pkcs11::rv_error(CKR_USER_NOT_LOGGED_IN, "C_Sign").code, HardwareErrc::pin_required);
  const auto other = pkcs11::rv_error(CKR_DEVICE_ERROR, "C_Sign");
  EXPECT_EQ(other.code, HardwareErrc::device_failure);
  EXPECT_EQ(other.detail, "C_Sign: CKR_DEVICE_ERROR");
  EXPECT_EQ(pkcs11::rv_name(0x12345), "CKR_0x00012345");
}

TEST(Pkcs11EcPoint, OnlyAnOctetStringOf32BytesIsAKey) {
  crypto::Bytes good(34, 7);
  good[0] = 0x04;
  good[1] = 0x20;
  auto key = pkcs11::parse_ec_point(good);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->bytes()[0], 7);
  crypto::Bytes raw(32, 7);  // the bare point some old modules return
  EXPECT_FALSE(pkcs11::parse_ec_point(raw));
  auto wrong_tag = good;
  wrong_tag[0] = 0x03;
  EXPECT_FALSE(pkcs11::parse_ec_point(wrong_tag));
  auto wrong_length = good;
  wrong_length[1] = 0x21;
  EXPECT_FALSE(pkcs11::parse_ec_point(wrong_length));
  auto trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(pkcs11::parse_ec_point(trailing));
  EXPECT_FALSE(pkcs11::parse_ec_point(crypto::Bytes{0x04, 0x81, 0x20}));  // long-form length
}

}  // namespace
}  // namespace hallvote::hardware
