// Anonymous public-key encryption (libsodium sealed boxes: X25519 + XSalsa20-Poly1305) for carrying
// key-ceremony shares to their recipient only (docs/crypto.md §6.3).
#pragma once

#include <array>
#include <cstdint>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/random.h"
#include "hallvote/crypto/secret.h"

namespace hallvote::crypto {

using BoxPublicKey = std::array<std::uint8_t, 32>;

// Seals `plaintext` to `recipient`; only the holder of the matching secret key can open it.
[[nodiscard]] Bytes seal_to(const BoxPublicKey& recipient, ByteView plaintext);

// A recipient's X25519 key pair. Move-only; the secret half is wiped on destruction.
class BoxKeyPair {
 public:
  [[nodiscard]] static BoxKeyPair generate(RandomSource& random = system_random());
  [[nodiscard]] const BoxPublicKey& public_key() const noexcept { return public_key_; }
  // Opens a sealed box; fails with decryption_failed when it was not sealed to this key or was altered.
  [[nodiscard]] Result<SecretBytes> open(ByteView sealed) const;

 private:
  BoxKeyPair() = default;
  BoxPublicKey public_key_{};
  SecretArray<32> secret_key_;
};

}  // namespace hallvote::crypto
