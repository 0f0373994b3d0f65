// Simulated IC cards and reader for tests and demos: the same rules as a real card (PIN tries, lock, key never
// exported), plus fault injection (a dead reader).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "hallvote/hardware/card_reader.h"

namespace hallvote::hardware {

// One deputy's card. Move-only: it owns the credential key.
class SimulatedCard {
 public:
  static constexpr int kPinTries = 3;

  // Precondition: pin is 6 digits (aborts otherwise: a bug in the issuing code).
  SimulatedCard(std::string deputy_id, crypto::SigningKey credential, std::string pin);

  [[nodiscard]] CardIdentity identity() const { return {deputy_id_, credential_.verify_key()}; }
  [[nodiscard]] bool locked() const noexcept { return tries_left_ == 0; }
  [[nodiscard]] int tries_left() const noexcept { return tries_left_; }
  // Staff unlock (the card-issuing tool): resets the tries.
  void unlock() noexcept { tries_left_ = kPinTries; }

 private:
  friend class SimulatedCardReader;
  std::string deputy_id_;
  crypto::SigningKey credential_;
  crypto::SecretBytes pin_;
  int tries_left_ = kPinTries;
};

class SimulatedCardReader final : public CardReader {
 public:
  // Inserts a card (the reader does not own it; it must outlive its insertion). Ends any previous PIN session.
  void insert(SimulatedCard& card) noexcept;
  void remove() noexcept;
  // Fault injection: a dead reader answers every call with device_failure.
  void set_dead(bool dead) noexcept { dead_ = dead; }

  Result<CardIdentity> identity() override;
  Status verify_pin(std::string_view pin) override;
  Result<crypto::Signature> sign(crypto::ByteView message) override;

 private:
  Status usable() const;
  SimulatedCard* card_ = nullptr;
  bool pin_verified_ = false;
  bool dead_ = false;
};

}  // namespace hallvote::hardware
