// The deputy's IC card behind its reader. The card holds the deputy's identity and credential signing key;
// the key never leaves the card: the terminal asks the card to sign after the deputy entered the PIN.
// Three wrong PINs in a row lock the card (hall staff unlock it with the card-issuing tool, not the terminal).
#pragma once

#include <string>

#include "hallvote/common/result.h"
#include "hallvote/crypto/signature.h"

namespace hallvote::hardware {

struct CardIdentity {
  std::string deputy_id;         // as in the session roster
  crypto::VerifyKey credential;  // the card's Ed25519 public key (must match the roster)
};

// A card reader with (maybe) a card in it. Implementations: SimulatedCardReader (tests, demos), a PC/SC reader
// (later). Not thread-safe: one terminal drives one reader.
class CardReader {
 public:
  virtual ~CardReader() = default;
  // The identity of the inserted card; no_card or device_failure otherwise.
  [[nodiscard]] virtual Result<CardIdentity> identity() = 0;
  // Checks the PIN (6 digits). Ok opens a card session in which sign() works until the card is removed.
  // wrong_pin (detail: tries left), card_locked, invalid_pin, no_card, device_failure.
  [[nodiscard]] virtual Status verify_pin(std::string_view pin) = 0;
  // Signs `message` with the credential key; pin_required unless verify_pin succeeded since insertion.
  [[nodiscard]] virtual Result<crypto::Signature> sign(crypto::ByteView message) = 0;
};

}  // namespace hallvote::hardware
