// Exponential ElGamal over ristretto255 to a joint election key K (docs/crypto.md §3).
//   Enc(m; r) = (α, β) = (r·B, m·B + r·K);  Enc(m1) + Enc(m2) = Enc(m1 + m2) component-wise.
#pragma once

#include <array>
#include <cstdint>

#include "hallvote/common/result.h"
#include "hallvote/crypto/group.h"

namespace hallvote::crypto {

struct Ciphertext {
  Point alpha;  // r·B
  Point beta;   // m·B + r·K

  // α ‖ β, 64 bytes.
  [[nodiscard]] std::array<std::uint8_t, 64> encode() const;
  // Decodes 64 bytes; both halves must be canonical encodings (the identity is allowed).
  [[nodiscard]] static Result<Ciphertext> decode(ByteView bytes);
  // Enc(0; 0) = (identity, identity), the neutral element of the homomorphic sum.
  [[nodiscard]] static Ciphertext zero() { return {}; }

  friend Ciphertext operator+(const Ciphertext& a, const Ciphertext& b) {
    return {a.alpha + b.alpha, a.beta + b.beta};
  }
  Ciphertext& operator+=(const Ciphertext& b) { return *this = *this + b; }
  friend bool operator==(const Ciphertext& a, const Ciphertext& b) = default;
};

// The public election key K with its precomputed table. Immutable; share one instance per vote.
class ElectionKey {
 public:
  // Fails with identity_point when K is the identity (no one could decrypt... and everyone could read).
  [[nodiscard]] static Result<ElectionKey> from_point(const Point& key);
  [[nodiscard]] static Result<ElectionKey> decode(ByteView bytes);

  [[nodiscard]] const Point& point() const noexcept { return table_.base(); }
  [[nodiscard]] const FixedBase& table() const noexcept { return table_; }
  [[nodiscard]] std::array<std::uint8_t, 32> encode() const { return encoding_; }

  // Enc(m; r). The caller keeps r secret and wipes it (SecretScalar).
  [[nodiscard]] Ciphertext encrypt(std::uint64_t message, const Scalar& nonce) const;

 private:
  explicit ElectionKey(const Point& key) : table_(key), encoding_(key.encode()) {}
  FixedBase table_;
  std::array<std::uint8_t, 32> encoding_;
};

// The m in [0, bound] with m·B = target, by walking B, 2B, … (bound ≤ ballots × max value per selection, a few
// thousand here). Fails with dlog_bound_exceeded when no such m exists.
[[nodiscard]] Result<std::uint64_t> bounded_dlog(const Point& target, std::uint64_t bound);

}  // namespace hallvote::crypto
