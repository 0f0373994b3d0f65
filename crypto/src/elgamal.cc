#include "hallvote/crypto/elgamal.h"

#include "hallvote/crypto/errors.h"

namespace hallvote::crypto {

std::array<std::uint8_t, 64> Ciphertext::encode() const {
  std::array<std::uint8_t, 64> out{};
  const auto a = alpha.encode();
  const auto b = beta.encode();
  std::copy(a.begin(), a.end(), out.begin());
  std::copy(b.begin(), b.end(), out.begin() + 32);
  return out;
}

Result<Ciphertext> Ciphertext::decode(ByteView bytes) {
  if (bytes.size() != 64) {
    return fail(CryptoErrc::invalid_encoding,
                "ciphertext must be 64 bytes, got " + std::to_string(bytes.size()));
  }
  auto alpha = Point::decode(bytes.first(32));
  if (!alpha) return fail(CryptoErrc::invalid_point, "ciphertext α: " + alpha.error().detail);
  auto beta = Point::decode(bytes.last(32));
  if (!beta) return fail(CryptoErrc::invalid_point, "ciphertext β: " + beta.error().detail);
  return Ciphertext{*alpha, *beta};
}

Result<ElectionKey> ElectionKey::from_point(const Point& key) {
  if (key.is_identity()) return fail(CryptoErrc::identity_point, "election key is the identity");
  return ElectionKey(key);
}

Result<ElectionKey> ElectionKey::decode(ByteView bytes) {
  auto point = Point::decode_non_identity(bytes);
  if (!point) return forward(point.error());
  return ElectionKey(*point);
}

Ciphertext ElectionKey::encrypt(std::uint64_t message, const Scalar& nonce) const {
  // Selections are 0 or 1: choose between the identity and B in constant time instead of multiplying. Larger
  // messages (never a selection) take the multiplication.
  const Point encoded_message = message <= 1 ? Point::select(Point(), Point::generator(), message == 1)
                                             : Point::base_mul(Scalar::from_u64(message));
  return {Point::base_mul(nonce), encoded_message + table_.mul(nonce)};
}

Result<std::uint64_t> bounded_dlog(const Point& target, std::uint64_t bound) {
  const Point generator = Point::generator();
  Point walk;
  for (std::uint64_t m = 0;; ++m) {
    if (walk == target) return m;
    if (m == bound) break;
    walk += generator;
  }
  return fail(CryptoErrc::dlog_bound_exceeded, "no value in [0, " + std::to_string(bound) + "] decrypts to it");
}

}  // namespace hallvote::crypto
