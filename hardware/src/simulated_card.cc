#include "hallvote/hardware/simulated_card.h"

#include <algorithm>
#include <cstdlib>

#include "hallvote/hardware/errors.h"

namespace hallvote::hardware {
namespace {

bool is_six_digits(std::string_view pin) {
  return pin.size() == 6 && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

SimulatedCard::SimulatedCard(std::string deputy_id, crypto::SigningKey credential, std::string pin)
    : deputy_id_(std::move(deputy_id)), credential_(std::move(credential)) {
  if (!is_six_digits(pin)) std::abort();
  crypto::Bytes bytes(pin.begin(), pin.end());
  pin_ = crypto::SecretBytes::take(bytes);
  crypto::secure_wipe(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(pin.data()), pin.size()));
}

void SimulatedCardReader::insert(SimulatedCard& card) noexcept {
  card_ = &card;
  pin_verified_ = false;
}

void SimulatedCardReader::remove() noexcept {
  card_ = nullptr;
  pin_verified_ = false;
}

Status SimulatedCardReader::usable() const {
  if (dead_) return fail(HardwareErrc::device_failure, "card reader");
  if (card_ == nullptr) return fail(HardwareErrc::no_card);
  return {};
}

Result<CardIdentity> SimulatedCardReader::identity() {
  if (auto ok = usable(); !ok) return forward(ok.error());
  return card_->identity();
}

Status SimulatedCardReader::verify_pin(std::string_view pin) {
  if (auto ok = usable(); !ok) return ok;
  if (card_->locked()) return fail(HardwareErrc::card_locked);
  if (!is_six_digits(pin)) return fail(HardwareErrc::invalid_pin);  // a typo does not cost a try
  if (!crypto::constant_time_equal(card_->pin_.reveal(), crypto::as_bytes(pin))) {
    --card_->tries_left_;
    pin_verified_ = false;
    if (card_->locked()) return fail(HardwareErrc::card_locked, "第3次密码错误 / third wrong PIN");
    return fail(HardwareErrc::wrong_pin, "还可尝试 " + std::to_string(card_->tries_left_) + " 次 / " +
                                             std::to_string(card_->tries_left_) + " tries left");
  }
  card_->tries_left_ = SimulatedCard::kPinTries;
  pin_verified_ = true;
  return {};
}

Result<crypto::Signature> SimulatedCardReader::sign(crypto::ByteView message) {
  if (auto ok = usable(); !ok) return forward(ok.error());
  if (card_->locked()) return fail(HardwareErrc::card_locked);
  if (!pin_verified_) return fail(HardwareErrc::pin_required);
  return card_->credential_.sign(message);
}

}  // namespace hallvote::hardware
