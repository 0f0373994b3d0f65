// The ristretto255 prime-order group (RFC 9496): Scalar (integers mod L) and Point (group elements).
// Encodings, validation rules and the generator are specified in docs/crypto.md §1.
//
// Backend: libdecaf's internal point form (additions without re-encoding). libsodium's encoded-point API is the
// reference; tests/crypto/group_test.cc cross-checks the two on base, fixed-base and variable-base
// multiplication, addition, subtraction and scalar multiplication.
//
// Thread safety: values are immutable after construction except by assignment; const methods are safe to call
// concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/random.h"

namespace hallvote::crypto {

class HashInput;
class Point;

// An integer modulo the group order L = 2^252 + 27742317777372353535851937790883648493.
// Scalars are public values (challenges, responses, Lagrange coefficients); secret scalars live in
// SecretScalar.
class Scalar {
 public:
  Scalar() = default;  // zero
  [[nodiscard]] static Scalar from_u64(std::uint64_t value);
  // Decodes 32 little-endian bytes; fails with invalid_scalar unless the value is < L (canonical).
  [[nodiscard]] static Result<Scalar> decode(ByteView bytes);
  // Reduces 64 little-endian bytes mod L (uniform when the bytes are).
  [[nodiscard]] static Scalar from_wide(std::span<const std::uint8_t, 64> bytes);
  // Uniform in [0, L).
  [[nodiscard]] static Scalar random(RandomSource& random);
  // A Fiat–Shamir challenge: SHA-512 of the hash input, reduced mod L (docs/crypto.md §2).
  [[nodiscard]] static Scalar challenge(const HashInput& input);

  [[nodiscard]] std::array<std::uint8_t, 32> encode() const;
  [[nodiscard]] bool is_zero() const;
  // Multiplicative inverse; precondition: not zero (aborts otherwise — a bug, not an input error).
  [[nodiscard]] Scalar inverse() const;
  // This / 2 mod L, in constant time (for points made as 2·Q, see Point::double_and_encode).
  [[nodiscard]] Scalar half() const;

  friend Scalar operator+(const Scalar& a, const Scalar& b);
  friend Scalar operator-(const Scalar& a, const Scalar& b);
  friend Scalar operator*(const Scalar& a, const Scalar& b);
  friend Scalar operator-(const Scalar& a);
  // `pick_b ? b : a` in constant time (no branch on pick_b).
  [[nodiscard]] static Scalar select(const Scalar& a, const Scalar& b, bool pick_b);
  Scalar& operator+=(const Scalar& b) { return *this = *this + b; }
  friend bool operator==(const Scalar& a, const Scalar& b);

  // Wipes the value (used by SecretScalar).
  void wipe() noexcept;

 private:
  friend class Point;
  friend class FixedBase;
  friend class MultiScalarMul;
  friend Point operator*(const Scalar& scalar, const Point& point);
  alignas(8) std::array<std::uint64_t, 4> limbs_{};  // decaf_255_scalar_t
};

// A secret scalar (an ElGamal nonce, a key share, a polynomial coefficient). Move-only, wiped on destruction,
// no comparison or printing; use reveal() where the arithmetic needs it.
class SecretScalar {
 public:
  SecretScalar() = default;
  explicit SecretScalar(const Scalar& value) : value_(value) {}
  [[nodiscard]] static SecretScalar random(RandomSource& random) {
    return SecretScalar(Scalar::random(random));
  }
  ~SecretScalar() { value_.wipe(); }
  SecretScalar(const SecretScalar&) = delete;
  SecretScalar& operator=(const SecretScalar&) = delete;
  SecretScalar(SecretScalar&& other) noexcept : value_(other.value_) { other.value_.wipe(); }
  SecretScalar& operator=(SecretScalar&& other) noexcept {
    if (this != &other) {
      value_ = other.value_;
      other.value_.wipe();
    }
    return *this;
  }
  [[nodiscard]] const Scalar& reveal() const noexcept { return value_; }

 private:
  Scalar value_;
};

// A ristretto255 group element. Decoding validates; the identity is representable (the all-zero encoding) and
// callers that must reject it use decode_non_identity.
class Point {
 public:
  Point();  // the identity
  [[nodiscard]] static Point identity() { return Point(); }
  // The RFC 9496 generator B.
  [[nodiscard]] static Point generator();
  // Decodes a canonical 32-byte encoding; fails with invalid_encoding (length) or invalid_point.
  [[nodiscard]] static Result<Point> decode(ByteView bytes);
  // As decode, and fails with identity_point for the identity.
  [[nodiscard]] static Result<Point> decode_non_identity(ByteView bytes);
  // RFC 9496 §4.3.4 one-way map from 64 uniform bytes (libsodium crypto_core_ristretto255_from_hash).
  [[nodiscard]] static Point from_uniform_bytes(std::span<const std::uint8_t, 64> bytes);
  // A generator with unknown discrete log: from_uniform_bytes(SHA-512(HashInput("hash-to-group:" tag) ‖ data)).
  [[nodiscard]] static Point hash_to_group(std::string_view tag, ByteView data);
  // scalar · B with the precomputed base table (constant time in the scalar).
  [[nodiscard]] static Point base_mul(const Scalar& scalar);

  [[nodiscard]] std::array<std::uint8_t, 32> encode() const;
  [[nodiscard]] bool is_identity() const;

  // Replaces every point Q by 2·Q and gives each result its encoding, kept with the point (so encode() and
  // hashing cost nothing more). The encoding of a doubled point needs no square root, so the whole batch costs
  // one field inversion instead of one inverse square root per point (docs/crypto.md §1.7): provers compute
  // their commitments and ciphertexts at half scale (Scalar::half) and encode them all at once. Constant time.
  // The pointers must be distinct.
  static void double_and_encode(std::span<Point* const> points);

  friend Point operator+(const Point& a, const Point& b);
  friend Point operator-(const Point& a, const Point& b);
  friend Point operator-(const Point& a);
  // `pick_b ? b : a` in constant time (no branch on pick_b).
  [[nodiscard]] static Point select(const Point& a, const Point& b, bool pick_b);
  Point& operator+=(const Point& b) { return *this = *this + b; }
  // Variable-base scalar multiplication, constant time in the scalar.
  friend Point operator*(const Scalar& scalar, const Point& point);
  friend bool operator==(const Point& a, const Point& b);

 private:
  friend class FixedBase;
  friend class MultiScalarMul;
  alignas(32) std::array<std::uint8_t, 256> internal_{};  // decaf_255_point_t
  // The encoding this point was decoded from, kept so hashing a received value costs no re-encoding.
  std::optional<std::array<std::uint8_t, 32>> encoding_;
};

// Precomputed multiples of a fixed point (the election key K, the generator) for fast constant-time
// multiplication. About 9 KiB; build once per key and share (const methods are thread-safe).
class FixedBase {
 public:
  explicit FixedBase(const Point& base);
  ~FixedBase();
  FixedBase(const FixedBase&) = delete;
  FixedBase& operator=(const FixedBase&) = delete;
  FixedBase(FixedBase&& other) noexcept;
  FixedBase& operator=(FixedBase&& other) noexcept;

  [[nodiscard]] Point mul(const Scalar& scalar) const;
  [[nodiscard]] const Point& base() const noexcept { return base_; }

 private:
  Point base_;
  void* table_ = nullptr;  // decaf_255_precomputed_s, aligned
};

// Σ scalar_i · point_i (+ g·B) for public inputs only (verification): variable time. Straus' interleaved method
// with width-5 NAF digits on tables of odd multiples (1P … 15P), so n terms cost ~253 doublings plus ~8 table
// additions and one addition per 6 scalar bits each (~22 for 128-bit scalars such as batch weights). The
// generator's coefficient g takes a width-8 table of B made once per process (~28 additions, no table).
class MultiScalarMul {
 public:
  void add(const Scalar& scalar, const Point& point);
  // Adds g to the generator's coefficient.
  void add_generator(const Scalar& g) { generator_ += g; }
  // Adds `scalar` to the scalar of the term added `index`-th (0-based); precondition: index < size().
  void add_to_term(std::size_t index, const Scalar& scalar);
  [[nodiscard]] Point compute() const;
  [[nodiscard]] std::size_t size() const noexcept { return terms_.size(); }

 private:
  std::vector<std::pair<Scalar, Point>> terms_;
  Scalar generator_;
};

}  // namespace hallvote::crypto
