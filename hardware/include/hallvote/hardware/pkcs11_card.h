// A deputy card on a PKCS#11 token (an OpenPGP card through OpenSC's opensc-pkcs11.so, or SoftHSM2 in tests):
// the token's label is the deputy id, its one Ed25519 key pair (CKK_EC_EDWARDS, made on the token by
// hallvote-cards issue) the credential, the token's user PIN the card PIN. The token counts and locks wrong
// PINs itself; this reader only reports what the token says (docs/cards.md §3).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "hallvote/hardware/card_reader.h"
#include "hallvote/hardware/pkcs11.h"

namespace hallvote::hardware {

class Pkcs11CardReader final : public CardReader {
 public:
  // `module` may be shared by several readers of one process. With `token_label` the reader sees only the token
  // of that label (one reader of many on one module: tests, or a seat bound to a deputy); without it, the first
  // slot holding a token.
  Pkcs11CardReader(std::shared_ptr<pkcs11::Module> module, std::optional<std::string> token_label = {});

  // The token label and the public key's CKA_EC_POINT (strictly 04 20 ‖ 32 bytes).
  Result<CardIdentity> identity() override;
  // C_Login(CKU_USER) in a fresh session. CKR_PIN_INCORRECT is wrong_pin, with the tries left when the token
  // says so (CKF_USER_PIN_FINAL_TRY: 1; CKF_USER_PIN_COUNT_LOW: "few"); a token that locked with this try
  // (CKF_USER_PIN_LOCKED) or CKR_PIN_LOCKED is card_locked. Not 6 digits: invalid_pin without asking the token.
  Status verify_pin(std::string_view pin) override;
  // C_Sign(CKM_EDDSA) with the token's private key in the logged-in session; pin_required without one, no_card
  // when the token went away since (the session is gone with it).
  Result<crypto::Signature> sign(crypto::ByteView message) override;

 private:
  Result<ck_slot_id_t> find_slot() const;

  std::shared_ptr<pkcs11::Module> module_;
  std::optional<std::string> token_label_;
  std::optional<pkcs11::Session> session_;  // logged in as the user after verify_pin
};

}  // namespace hallvote::hardware
