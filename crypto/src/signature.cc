#include "hallvote/crypto/signature.h"

#include <sodium.h>

#include "hallvote/crypto/errors.h"
#include "sodium_init.h"

namespace hallvote::crypto {

Result<VerifyKey> VerifyKey::from_hex(std::string_view hex) {
  auto bytes = from_hex_fixed<32>(hex);
  if (!bytes) return fail(CryptoErrc::invalid_encoding, "Ed25519 public key: " + bytes.error().detail);
  return VerifyKey(*bytes);
}

Status VerifyKey::verify(ByteView message, const Signature& signature) const {
  detail::ensure_sodium();
  if (crypto_sign_verify_detached(signature.data(), message.data(), message.size(), bytes_.data()) != 0) {
    return fail(CryptoErrc::invalid_signature, "Ed25519 signature does not verify under key " + hex());
  }
  return {};
}

SigningKey SigningKey::generate(RandomSource& random) {
  SecretArray<32> seed;
  random.fill(seed.mutable_bytes());
  return from_seed(seed);
}

SigningKey SigningKey::from_seed(const SecretArray<32>& seed) {
  detail::ensure_sodium();
  SecretArray<64> expanded;
  std::array<std::uint8_t, 32> public_key{};
  crypto_sign_seed_keypair(public_key.data(), expanded.mutable_bytes().data(), seed.reveal().data());
  return SigningKey(std::move(expanded), VerifyKey(public_key));
}

Signature SigningKey::sign(ByteView message) const {
  Signature out{};
  crypto_sign_detached(out.data(), nullptr, message.data(), message.size(), expanded_.reveal().data());
  return out;
}

SecretArray<32> SigningKey::seed() const {
  SecretArray<32> out;
  crypto_sign_ed25519_sk_to_seed(out.mutable_bytes().data(), expanded_.reveal().data());
  return out;
}

}  // namespace hallvote::crypto
