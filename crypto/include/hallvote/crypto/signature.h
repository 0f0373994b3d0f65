// Ed25519 (RFC 8032, pure) signatures: deputy credentials, the server's and presidium members' signing keys.
#pragma once

#include <array>
#include <cstdint>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/random.h"
#include "hallvote/crypto/secret.h"

namespace hallvote::crypto {

using Signature = std::array<std::uint8_t, 64>;

// A public key. Construction validates nothing beyond length; verify() rejects small-order and non-canonical
// keys and signatures (libsodium's strict verification).
class VerifyKey {
 public:
  explicit VerifyKey(const std::array<std::uint8_t, 32>& bytes) : bytes_(bytes) {}
  // Parses 64 hex characters.
  [[nodiscard]] static Result<VerifyKey> from_hex(std::string_view hex);

  [[nodiscard]] const std::array<std::uint8_t, 32>& bytes() const noexcept { return bytes_; }
  [[nodiscard]] std::string hex() const { return to_hex(bytes_); }
  // Ok, or invalid_signature.
  [[nodiscard]] Status verify(ByteView message, const Signature& signature) const;

  friend bool operator==(const VerifyKey&, const VerifyKey&) = default;

 private:
  std::array<std::uint8_t, 32> bytes_;
};

// A secret signing key (the 32-byte RFC 8032 seed and its expansion). Move-only; wiped on destruction.
class SigningKey {
 public:
  [[nodiscard]] static SigningKey generate(RandomSource& random = system_random());
  [[nodiscard]] static SigningKey from_seed(const SecretArray<32>& seed);

  [[nodiscard]] Signature sign(ByteView message) const;
  [[nodiscard]] const VerifyKey& verify_key() const noexcept { return verify_key_; }
  // The 32-byte seed, for sealing into a key file.
  [[nodiscard]] SecretArray<32> seed() const;

 private:
  SigningKey(SecretArray<64> expanded, VerifyKey verify_key)
      : expanded_(std::move(expanded)), verify_key_(verify_key) {}
  SecretArray<64> expanded_;  // libsodium's seed ‖ public key form
  VerifyKey verify_key_;
};

}  // namespace hallvote::crypto
