#include "hallvote/hardware/pkcs11_card.h"

#include <algorithm>

#include "hallvote/hardware/errors.h"

namespace hallvote::hardware {
namespace {

bool is_six_digits(std::string_view pin) {
  return pin.size() == 6 && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Pkcs11CardReader::Pkcs11CardReader(std::shared_ptr<pkcs11::Module> module,
                                   std::optional<std::string> token_label)
    : module_(std::move(module)), token_label_(std::move(token_label)) {}

Result<ck_slot_id_t> Pkcs11CardReader::find_slot() const {
  if (token_label_) {
    HALLVOTE_TRY(slot, module_->find_token(*token_label_));
    if (!*slot) return fail(HardwareErrc::no_card);
    return **slot;
  }
  HALLVOTE_TRY(slots, module_->slots_with_token());
  if (slots->empty()) return fail(HardwareErrc::no_card);
  return slots->front();
}

Result<CardIdentity> Pkcs11CardReader::identity() {
  HALLVOTE_TRY(slot, find_slot());
  HALLVOTE_TRY(info, module_->token_info(*slot));
  HALLVOTE_TRY(session, pkcs11::Session::open(module_, *slot, false));
  HALLVOTE_TRY(key, session->ed25519_key(CKO_PUBLIC_KEY));
  HALLVOTE_TRY(point, session->attribute(*key, CKA_EC_POINT));
  HALLVOTE_TRY(credential, pkcs11::parse_ec_point(*point));
  return CardIdentity{pkcs11::token_label(*info), *credential};
}

Status Pkcs11CardReader::verify_pin(std::string_view pin) {
  session_.reset();
  if (!is_six_digits(pin)) return fail(HardwareErrc::invalid_pin);  // a typo does not cost a try
  HALLVOTE_TRY(slot, find_slot());
  HALLVOTE_TRY(info, module_->token_info(*slot));
  if (info->flags & CKF_USER_PIN_LOCKED) return fail(HardwareErrc::card_locked);
  HALLVOTE_TRY(session, pkcs11::Session::open(module_, *slot, false));
  ck_rv_t rv = session->login(CKU_USER, pin);
  if (rv == CKR_USER_ALREADY_LOGGED_IN) {
    // Another session of this process logged the token in: log out and check this PIN afresh.
    session->api().C_Logout(session->handle());
    rv = session->login(CKU_USER, pin);
  }
  if (rv == CKR_PIN_INCORRECT) {
    auto after = module_->token_info(*slot);
    return forward(pkcs11::wrong_pin_error(after ? after->flags : 0));
  }
  if (rv != CKR_OK) return forward(pkcs11::rv_error(rv, "C_Login"));
  session_ = std::move(*session);
  return {};
}

Result<crypto::Signature> Pkcs11CardReader::sign(crypto::ByteView message) {
  if (!session_) {
    // Tell a missing card from a missing PIN, as the simulated reader does.
    HALLVOTE_TRY(slot, find_slot());
    return fail(HardwareErrc::pin_required);
  }
  auto key = session_->ed25519_key(CKO_PRIVATE_KEY);
  if (!key) {
    session_.reset();
    // A key that vanished from a logged-in session: the token went away (no_card) unless it is still there.
    if (auto slot = find_slot(); !slot) return forward(slot.error());
    return forward(key.error());
  }
  auto signature = session_->sign_eddsa(*key, message);
  if (!signature && signature.error().code != make_error_code(HardwareErrc::device_failure)) session_.reset();
  return signature;
}

}  // namespace hallvote::hardware
