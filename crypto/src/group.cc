#include "hallvote/crypto/group.h"

#include <decaf/point_255.h>
#include <sodium.h>

#include <cstdlib>
#include <new>

#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/crypto/secret.h"
#include "sodium_init.h"

namespace hallvote::crypto {
namespace {

static_assert(sizeof(decaf_255_scalar_t) == 32);
static_assert(sizeof(decaf_255_point_t) == 256 && alignof(decaf_255_point_s) <= 32);

// The opaque storage in the public header is exactly decaf's representation; these views are the only casts.
decaf_255_scalar_s* raw(std::array<std::uint64_t, 4>& limbs) {
  return reinterpret_cast<decaf_255_scalar_s*>(limbs.data());
}
const decaf_255_scalar_s* raw(const std::array<std::uint64_t, 4>& limbs) {
  return reinterpret_cast<const decaf_255_scalar_s*>(limbs.data());
}
decaf_255_point_s* raw(std::array<std::uint8_t, 256>& bytes) { return reinterpret_cast<decaf_255_point_s*>(bytes.data()); }
const decaf_255_point_s* raw(const std::array<std::uint8_t, 256>& bytes) {
  return reinterpret_cast<const decaf_255_point_s*>(bytes.data());
}

}  // namespace

// ---- Scalar ----------------------------------------------------------------------------------------------

Scalar Scalar::from_u64(std::uint64_t value) {
  Scalar out;
  decaf_255_scalar_set_unsigned(raw(out.limbs_), value);
  return out;
}

Result<Scalar> Scalar::decode(ByteView bytes) {
  if (bytes.size() != 32) {
    return fail(CryptoErrc::invalid_encoding, "scalar must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  Scalar out;
  if (decaf_255_scalar_decode(raw(out.limbs_), bytes.data()) != DECAF_SUCCESS) {
    return fail(CryptoErrc::invalid_scalar, "scalar is not reduced modulo L");
  }
  return out;
}

Scalar Scalar::from_wide(std::span<const std::uint8_t, 64> bytes) {
  Scalar out;
  decaf_255_scalar_decode_long(raw(out.limbs_), bytes.data(), bytes.size());
  return out;
}

Scalar Scalar::random(RandomSource& random) {
  std::array<std::uint8_t, 64> wide{};
  random.fill(wide);
  Scalar out = from_wide(wide);
  secure_wipe(wide);
  return out;
}

Scalar Scalar::challenge(const HashInput& input) {
  const Sha512Digest digest = input.sha512();
  return from_wide(digest);
}

std::array<std::uint8_t, 32> Scalar::encode() const {
  std::array<std::uint8_t, 32> out{};
  decaf_255_scalar_encode(out.data(), raw(limbs_));
  return out;
}

bool Scalar::is_zero() const { return decaf_255_scalar_eq(raw(limbs_), decaf_255_scalar_zero) == DECAF_TRUE; }

Scalar Scalar::inverse() const {
  Scalar out;
  if (decaf_255_scalar_invert(raw(out.limbs_), raw(limbs_)) != DECAF_SUCCESS) std::abort();
  return out;
}

Scalar operator+(const Scalar& a, const Scalar& b) {
  Scalar out;
  decaf_255_scalar_add(raw(out.limbs_), raw(a.limbs_), raw(b.limbs_));
  return out;
}

Scalar operator-(const Scalar& a, const Scalar& b) {
  Scalar out;
  decaf_255_scalar_sub(raw(out.limbs_), raw(a.limbs_), raw(b.limbs_));
  return out;
}

Scalar operator*(const Scalar& a, const Scalar& b) {
  Scalar out;
  decaf_255_scalar_mul(raw(out.limbs_), raw(a.limbs_), raw(b.limbs_));
  return out;
}

Scalar operator-(const Scalar& a) { return Scalar() - a; }

Scalar Scalar::select(const Scalar& a, const Scalar& b, bool pick_b) {
  Scalar out;
  decaf_255_scalar_cond_sel(raw(out.limbs_), raw(a.limbs_), raw(b.limbs_), pick_b ? DECAF_TRUE : DECAF_FALSE);
  return out;
}

bool operator==(const Scalar& a, const Scalar& b) {
  return decaf_255_scalar_eq(raw(a.limbs_), raw(b.limbs_)) == DECAF_TRUE;
}

void Scalar::wipe() noexcept {
  secure_wipe(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(limbs_.data()), sizeof(limbs_)));
}

// ---- Point -----------------------------------------------------------------------------------------------

Point::Point() { decaf_255_point_copy(raw(internal_), decaf_255_point_identity); }

Point Point::generator() {
  Point out;
  decaf_255_point_copy(raw(out.internal_), decaf_255_point_base);
  return out;
}

Result<Point> Point::decode(ByteView bytes) {
  if (bytes.size() != 32) {
    return fail(CryptoErrc::invalid_encoding, "point must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  Point out;
  if (decaf_255_point_decode(raw(out.internal_), bytes.data(), DECAF_TRUE) != DECAF_SUCCESS) {
    return fail(CryptoErrc::invalid_point, "not a canonical ristretto255 encoding: " + to_hex(bytes));
  }
  out.encoding_.emplace();
  std::copy(bytes.begin(), bytes.end(), out.encoding_->begin());
  return out;
}

Result<Point> Point::decode_non_identity(ByteView bytes) {
  auto point = decode(bytes);
  if (point && point->is_identity()) return fail(CryptoErrc::identity_point, "the identity is not allowed here");
  return point;
}

Point Point::from_uniform_bytes(std::span<const std::uint8_t, 64> bytes) {
  detail::ensure_sodium();
  std::array<std::uint8_t, 32> encoded{};
  crypto_core_ristretto255_from_hash(encoded.data(), bytes.data());
  auto point = decode(encoded);
  if (!point) std::abort();  // libsodium produced an invalid encoding: impossible unless memory is corrupt
  return *point;
}

Point Point::hash_to_group(std::string_view tag, ByteView data) {
  const Sha512Digest digest = HashInput(std::string("hash-to-group:").append(tag)).add(data).sha512();
  return from_uniform_bytes(digest);
}

Point Point::base_mul(const Scalar& scalar) {
  Point out;
  decaf_255_precomputed_scalarmul(raw(out.internal_), decaf_255_precomputed_base, raw(scalar.limbs_));
  return out;
}

std::array<std::uint8_t, 32> Point::encode() const {
  if (encoding_) return *encoding_;
  std::array<std::uint8_t, 32> out{};
  decaf_255_point_encode(out.data(), raw(internal_));
  return out;
}

bool Point::is_identity() const { return decaf_255_point_eq(raw(internal_), decaf_255_point_identity) == DECAF_TRUE; }

Point operator+(const Point& a, const Point& b) {
  Point out;
  decaf_255_point_add(raw(out.internal_), raw(a.internal_), raw(b.internal_));
  return out;
}

Point operator-(const Point& a, const Point& b) {
  Point out;
  decaf_255_point_sub(raw(out.internal_), raw(a.internal_), raw(b.internal_));
  return out;
}

Point Point::select(const Point& a, const Point& b, bool pick_b) {
  Point out;
  decaf_255_point_cond_sel(raw(out.internal_), raw(a.internal_), raw(b.internal_), pick_b ? DECAF_TRUE : DECAF_FALSE);
  return out;
}

Point operator-(const Point& a) {
  Point out;
  decaf_255_point_negate(raw(out.internal_), raw(a.internal_));
  return out;
}

Point operator*(const Scalar& scalar, const Point& point) {
  Point out;
  decaf_255_point_scalarmul(raw(out.internal_), raw(point.internal_), raw(scalar.limbs_));
  return out;
}

bool operator==(const Point& a, const Point& b) {
  return decaf_255_point_eq(raw(a.internal_), raw(b.internal_)) == DECAF_TRUE;
}

// ---- FixedBase -------------------------------------------------------------------------------------------

FixedBase::FixedBase(const Point& base) : base_(base) {
  table_ = ::operator new(decaf_255_sizeof_precomputed_s, std::align_val_t(decaf_255_alignof_precomputed_s));
  decaf_255_precompute(static_cast<decaf_255_precomputed_s*>(table_), raw(base_.internal_));
}

FixedBase::~FixedBase() {
  if (table_ != nullptr) ::operator delete(table_, std::align_val_t(decaf_255_alignof_precomputed_s));
}

FixedBase::FixedBase(FixedBase&& other) noexcept : base_(other.base_), table_(other.table_) { other.table_ = nullptr; }

FixedBase& FixedBase::operator=(FixedBase&& other) noexcept {
  if (this != &other) {
    if (table_ != nullptr) ::operator delete(table_, std::align_val_t(decaf_255_alignof_precomputed_s));
    base_ = other.base_;
    table_ = other.table_;
    other.table_ = nullptr;
  }
  return *this;
}

Point FixedBase::mul(const Scalar& scalar) const {
  Point out;
  decaf_255_precomputed_scalarmul(raw(out.internal_), static_cast<const decaf_255_precomputed_s*>(table_),
                                  raw(scalar.limbs_));
  return out;
}

// ---- MultiScalarMul --------------------------------------------------------------------------------------

void MultiScalarMul::add(const Scalar& scalar, const Point& point) { terms_.emplace_back(scalar, point); }

namespace {

constexpr int kBits = 256;

// Sliding-window non-adjacent form (as in ref10's ge_double_scalarmult_vartime): digits d_i ∈ {0, ±1, ±3, …,
// ±15} with scalar = Σ d_i 2^i and, on average, one non-zero digit in six. Returns the highest non-zero index + 1.
int sliding_window_naf(const Scalar& scalar, std::array<std::int8_t, kBits>& digits) {
  const auto bytes = scalar.encode();
  for (int i = 0; i < kBits; ++i) {
    digits[static_cast<std::size_t>(i)] =
        static_cast<std::int8_t>(1 & (bytes[static_cast<std::size_t>(i >> 3)] >> (i & 7)));
  }
  auto at = [&digits](int i) -> std::int8_t& { return digits[static_cast<std::size_t>(i)]; };
  for (int i = 0; i < kBits; ++i) {
    if (at(i) == 0) continue;
    for (int b = 1; b <= 6 && i + b < kBits; ++b) {
      if (at(i + b) == 0) continue;
      const int shifted = at(i + b) << b;
      if (at(i) + shifted <= 15) {
        at(i) = static_cast<std::int8_t>(at(i) + shifted);
        at(i + b) = 0;
      } else if (at(i) - shifted >= -15) {
        at(i) = static_cast<std::int8_t>(at(i) - shifted);
        for (int k = i + b; k < kBits; ++k) {  // propagate the carry
          if (at(k) == 0) {
            at(k) = 1;
            break;
          }
          at(k) = 0;
        }
      } else {
        break;
      }
    }
  }
  int top = 0;
  for (int i = 0; i < kBits; ++i) {
    if (at(i) != 0) top = i + 1;
  }
  return top;
}

}  // namespace

Point MultiScalarMul::compute() const {
  const std::size_t n = terms_.size();
  std::vector<std::array<std::int8_t, kBits>> digits(n);
  std::vector<std::array<Point, 8>> tables(n);  // tables[t][j] = (2j+1)·P_t
  int top = 0;
  for (std::size_t t = 0; t < n; ++t) {
    top = std::max(top, sliding_window_naf(terms_[t].first, digits[t]));
    auto& table = tables[t];
    table[0] = terms_[t].second;
    Point twice;
    decaf_255_point_double(raw(twice.internal_), raw(table[0].internal_));
    for (std::size_t j = 1; j < 8; ++j) table[j] = table[j - 1] + twice;
  }
  Point acc;
  for (int i = top - 1; i >= 0; --i) {
    if (i != top - 1) decaf_255_point_double(raw(acc.internal_), raw(acc.internal_));
    for (std::size_t t = 0; t < n; ++t) {
      const int digit = digits[t][static_cast<std::size_t>(i)];
      if (digit > 0) {
        decaf_255_point_add(raw(acc.internal_), raw(acc.internal_), raw(tables[t][static_cast<std::size_t>(digit / 2)].internal_));
      } else if (digit < 0) {
        decaf_255_point_sub(raw(acc.internal_), raw(acc.internal_), raw(tables[t][static_cast<std::size_t>(-digit / 2)].internal_));
      }
    }
  }
  return acc;
}

}  // namespace hallvote::crypto
