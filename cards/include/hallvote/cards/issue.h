// Issuing one deputy card on a PKCS#11 token (docs/cards.md §2): the token is initialised (erasing it), the
// user PIN set, and the Ed25519 key pair generated ON the token, its private half sensitive and never
// extractable. Used by hallvote-cards issue and by the tests (SoftHSM2 tokens).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/hardware/pkcs11.h"

namespace hallvote::cards {

struct IssueRequest {
  std::string deputy_id;  // becomes the token label: 1–32 bytes
  std::string so_pin;     // the office's security-officer PIN (C_InitToken, C_InitPIN)
  std::string user_pin;   // the deputy's PIN: 6 digits
};

struct IssuedCard {
  ck_slot_id_t slot = 0;  // where the token is now (SoftHSM2 moves a token to a new slot id when initialised)
  crypto::VerifyKey credential{{}};
};

// Initialises the token in `slot` with label = deputy id, sets the user PIN, generates the key pair on the
// token (CKM_EC_EDWARDS_KEY_PAIR_GEN, CKA_TOKEN, private key CKA_SENSITIVE and not CKA_EXTRACTABLE), reads
// back CKA_ALWAYS_SENSITIVE / CKA_NEVER_EXTRACTABLE, and has the token sign a test digest that must verify
// under the public key. CardsErrc::issuing naming the step (and the CKR code), or std::errc::invalid_argument
// for a bad id or PIN. The PINs are not logged.
[[nodiscard]] Result<IssuedCard> issue_card(const std::shared_ptr<hardware::pkcs11::Module>& module,
                                            ck_slot_id_t slot, const IssueRequest& request);

// The one slot whose token is not initialised yet (CKF_TOKEN_INITIALIZED clear): where the next card is issued.
// CardsErrc::issuing when there is none or more than one.
[[nodiscard]] Result<ck_slot_id_t> blank_token_slot(const hardware::pkcs11::Module& module);

}  // namespace hallvote::cards
