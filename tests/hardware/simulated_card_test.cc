#include "hallvote/hardware/simulated_card.h"

#include <gtest/gtest.h>

#include "hallvote/hardware/errors.h"

namespace hallvote::hardware {
namespace {

SimulatedCard make_card() {
  crypto::DeterministicRandom random(1);
  return SimulatedCard("D001", crypto::SigningKey::generate(random), "123456");
}

TEST(SimulatedCard, SignsOnlyAfterTheRightPin) {
  SimulatedCard card = make_card();
  SimulatedCardReader reader;
  EXPECT_EQ(reader.identity().error().code, HardwareErrc::no_card);
  reader.insert(card);
  EXPECT_EQ(reader.identity()->deputy_id, "D001");
  EXPECT_EQ(reader.sign(crypto::as_bytes("x")).error().code, HardwareErrc::pin_required);
  ASSERT_TRUE(reader.verify_pin("123456"));
  auto signature = reader.sign(crypto::as_bytes("x"));
  ASSERT_TRUE(signature);
  EXPECT_TRUE(card.identity().credential.verify(crypto::as_bytes("x"), *signature));
  reader.remove();
  reader.insert(card);
  EXPECT_EQ(reader.sign(crypto::as_bytes("x")).error().code, HardwareErrc::pin_required);  // new card session
}

TEST(SimulatedCard, ThreeWrongPinsLockTheCard) {
  SimulatedCard card = make_card();
  SimulatedCardReader reader;
  reader.insert(card);
  EXPECT_EQ(reader.verify_pin("000000").error().code, HardwareErrc::wrong_pin);
  EXPECT_EQ(reader.verify_pin("111111").error().code, HardwareErrc::wrong_pin);
  EXPECT_EQ(reader.verify_pin("222222").error().code, HardwareErrc::card_locked);
  EXPECT_TRUE(card.locked());
  EXPECT_EQ(reader.verify_pin("123456").error().code, HardwareErrc::card_locked);  // even the right one
  card.unlock();
  EXPECT_TRUE(reader.verify_pin("123456"));
}

TEST(SimulatedCard, RightPinResetsTheCountAndMalformedPinCostsNothing) {
  SimulatedCard card = make_card();
  SimulatedCardReader reader;
  reader.insert(card);
  EXPECT_FALSE(reader.verify_pin("000000"));
  EXPECT_FALSE(reader.verify_pin("000001"));
  EXPECT_TRUE(reader.verify_pin("123456"));
  EXPECT_EQ(card.tries_left(), 3);
  EXPECT_EQ(reader.verify_pin("12345").error().code, HardwareErrc::invalid_pin);
  EXPECT_EQ(card.tries_left(), 3);
}

TEST(SimulatedCard, DeadReaderFailsEveryCall) {
  SimulatedCard card = make_card();
  SimulatedCardReader reader;
  reader.insert(card);
  reader.set_dead(true);
  EXPECT_EQ(reader.identity().error().code, HardwareErrc::device_failure);
  EXPECT_EQ(reader.verify_pin("123456").error().code, HardwareErrc::device_failure);
  EXPECT_EQ(card.tries_left(), 3);
}

}  // namespace
}  // namespace hallvote::hardware
