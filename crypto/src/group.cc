#include "hallvote/crypto/group.h"

#include <decaf/point_255.h>
#include <sodium.h>

#include <cstdlib>
#include <new>
#include <vector>

#include "edwards.h"
#include "field25519.h"
#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/crypto/secret.h"
#include "point_batch.h"
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
decaf_255_point_s* raw(std::array<std::uint8_t, 256>& bytes) {
  return reinterpret_cast<decaf_255_point_s*>(bytes.data());
}
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

Scalar Scalar::half() const {
  Scalar out;
  decaf_255_scalar_halve(raw(out.limbs_), raw(limbs_));
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
  if (point && point->is_identity())
    return fail(CryptoErrc::identity_point, "the identity is not allowed here");
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

// ---- Batched encoding of doubled points (docs/crypto.md §1.7) --------------------------------------------
//
// libdecaf represents a point P by (X : Y : Z : T) on its internal curve −x² + y² = 1 + d·x²y², d = 121665
// (a = −1; isogenous to edwards25519), and encodes it (decaf_255_point_encode) with one inverse square root
//   isr = 1/√((a − d)·(Z² − Y²)·(X·Y)²)
// followed by field multiplications and sign selections. When P = 2·Q, with Q = (X_Q : Y_Q : Z_Q : T_Q), the
// radicand is a square of a rational function: writing x, y for Q's affine coordinates,
//   (a − d)·(Z² − Y²)·(X·Y)² = ((a − d)·X²·Y·(1 + d·x²y²) / (1 − d·x²y²))²        (projectively, Z = Z_P)
// (from 1 − y_P² = x_P²·(a − d·y_P²) on the curve and, for a doubled point,
// a − d·y_P² = (a − d)·((1 + d·x²y²) / (1 − d·x²y²))²). So
//   isr = (Z_Q² − d·T_Q²) / ((a − d)·X²·Y·(Z_Q² + d·T_Q²))
// up to sign, which the encoding does not depend on (the sign cancels in every selection below and s is made
// non-negative). The denominators of a whole batch are inverted at once (Montgomery's trick). 1 ± d·x²y² ≠ 0
// because d is not a square; the denominator is 0 exactly when X·Y = 0, the identity's representatives, whose
// encoding is 0: isr = 0 gives it.
// The encoding after isr is libdecaf's (its deisogenize for cofactor 8 with the imagined twist), step by step.
// tests/crypto/group_test.cc checks every result against decaf_255_point_encode, torsion included.
//
// Constant time: the same field operations for every point, selections by masks (field25519.h); the number
// of points is public.
namespace {

using field::Fe;

static_assert(DECAF_WORD_BITS == 64 && sizeof(gf_25519_s::limb) == 5 * sizeof(std::uint64_t),
              "the batched encoding reads libdecaf's 64-bit field representation (five 51-bit limbs)");

Fe load(const gf_25519_s* g) {
  return field::carry({g->limb[0], g->limb[1], g->limb[2], g->limb[3], g->limb[4]});
}

constexpr Fe small(std::uint64_t value) { return {value, 0, 0, 0, 0}; }

const Fe kD = small(121665);                    // libdecaf's TWISTED_D
const Fe kAMinusD = field::neg(small(121666));  // a − d
// i = √−1 = 2^((p−1)/4)
const Fe kSqrtM1 = {0x61b274a0ea0b0, 0xd5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e, 0x2b8324804fc1d};
// √(a − d), the root libdecaf calls RISTRETTO255_FACTOR
const Fe kSqrtAMinusD = {0x702557fa2bf03, 0x514b7d1a82cc6, 0x7f89efd8b43a7, 0x1aef49ec23700, 0x079376fa30500};
const Fe kImi = field::mul(kSqrtM1, kSqrtAMinusD);       // i·√(a − d)
const Fe kIDPlus1 = field::mul(kSqrtM1, small(121666));  // i·(d + 1)

// s of P's encoding given isr (0 for the identity).
std::array<std::uint8_t, 32> encode_with_isr(const decaf_255_point_s& p, const Fe& isr) {
  using namespace field;
  const Fe x = load(p.x), y = load(p.y), z = load(p.z), t = load(p.t);
  const Fe num = mul(add(z, y), sub(z, y));
  const Fe den = mul(x, y);
  const Fe iden = mul(mul(den, isr), kSqrtAMinusD);
  const Fe inum = mul(num, isr);
  const std::uint64_t rotate = is_negative(mul(mul(mul(iden, inum), kIDPlus1), sqr(t)));
  const Fe t1 = select(inum, iden, rotate);
  const Fe t2 = select(iden, inum, rotate);
  const Fe fac = select(y, mul(kSqrtM1, x), rotate);
  const Fe t3 = mul(kImi, t2);
  const std::uint64_t negx = is_negative(mul(mul(kImi, t1), t));
  const Fe s = mul(mul(add(mul(cond_neg(t1, negx ^ rotate), z), small(1)), fac), t3);
  return to_bytes(cond_neg(s, is_negative(s)));
}

}  // namespace

namespace detail {

void double_and_encode(std::span<decaf_255_point_s* const> points,
                       std::span<std::array<std::uint8_t, 32>> encodings) {
  using namespace field;
  const std::size_t n = points.size();
  if (encodings.size() != n) std::abort();  // a caller bug
  if (n == 0) return;
  struct Pending {
    Fe isr_num;  // of isr = isr_num / isr_den
    Fe isr_den;
    Fe prefix;  // isr_den of this point and every earlier one, multiplied (Montgomery's trick)
  };
  std::vector<Pending> pending(n);
  for (std::size_t i = 0; i < n; ++i) {
    decaf_255_point_s* point = points[i];
    const Fe zz = sqr(load(point->z));
    const Fe dtt = mul(kD, sqr(load(point->t)));
    decaf_255_point_double(point, point);
    const Fe den = mul(mul(kAMinusD, sqr(load(point->x))), mul(load(point->y), add(zz, dtt)));
    const std::uint64_t identity = is_zero(den);
    pending[i].isr_num = select(sub(zz, dtt), Fe{}, identity);  // isr = 0 for the identity
    pending[i].isr_den = select(den, small(1), identity);       // keeps the batch product invertible
    pending[i].prefix = i == 0 ? pending[0].isr_den : mul(pending[i - 1].prefix, pending[i].isr_den);
  }
  Fe inverse = invert(pending[n - 1].prefix);  // 1 / (isr_den_0 ⋯ isr_den_{n−1})
  for (std::size_t i = n; i-- > 0;) {
    const Fe den_inverse = i == 0 ? inverse : mul(inverse, pending[i - 1].prefix);
    inverse = mul(inverse, pending[i].isr_den);
    encodings[i] = encode_with_isr(*points[i], mul(pending[i].isr_num, den_inverse));
  }
}

}  // namespace detail

void Point::double_and_encode(std::span<Point* const> points) {
  std::vector<decaf_255_point_s*> raws(points.size());
  std::vector<std::array<std::uint8_t, 32>> encodings(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) raws[i] = raw(points[i]->internal_);
  detail::double_and_encode(raws, encodings);
  for (std::size_t i = 0; i < points.size(); ++i) points[i]->encoding_ = encodings[i];
}

bool Point::is_identity() const {
  return decaf_255_point_eq(raw(internal_), decaf_255_point_identity) == DECAF_TRUE;
}

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
  decaf_255_point_cond_sel(raw(out.internal_), raw(a.internal_), raw(b.internal_),
                           pick_b ? DECAF_TRUE : DECAF_FALSE);
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

FixedBase::FixedBase(FixedBase&& other) noexcept : base_(other.base_), table_(other.table_) {
  other.table_ = nullptr;
}

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
//
// Variable time: only ever given public values (verification: proof elements, ciphertexts, public weights and
// challenges), so the digit recodings and which table entries are read may depend on the scalars.

void MultiScalarMul::add(const Scalar& scalar, const Point& point) { terms_.emplace_back(scalar, point); }

void MultiScalarMul::add_to_term(std::size_t index, const Scalar& scalar) {
  if (index >= terms_.size()) std::abort();  // a caller bug
  terms_[index].first += scalar;
}

namespace {

constexpr int kBits = 256;
constexpr int kWindow = 5;           // a term's table: P, 3P, …, 15P
constexpr int kGeneratorWindow = 8;  // B's table, made once: B, 3B, …, 127B
using Digits = std::array<std::int8_t, kBits>;

// Width-w non-adjacent form: digits d_i ∈ {0, ±1, ±3, …, ±(2^(w−1) − 1)}, scalar = Σ d_i 2^i, and at least
// w − 1 zeros after every non-zero digit. Returns the highest non-zero index + 1 (0 for zero).
int non_adjacent_form(const Scalar& scalar, int w, Digits& digits) {
  const auto bytes = scalar.encode();
  std::array<std::uint64_t, 5> words{};  // one spare word for windows reaching past bit 255
  for (std::size_t i = 0; i < 32; ++i) words[i / 8] |= std::uint64_t{bytes[i]} << (8 * (i % 8));
  const std::uint64_t width = std::uint64_t{1} << w;
  digits.fill(0);
  int top = 0;
  std::uint64_t carry = 0;
  for (int pos = 0; pos < kBits;) {
    const auto word = static_cast<std::size_t>(pos / 64);
    const int bit = pos % 64;
    std::uint64_t buffer = words[word] >> bit;
    if (bit > 64 - w) buffer |= words[word + 1] << (64 - bit);
    const std::uint64_t window = carry + (buffer & (width - 1));
    if ((window & 1) == 0) {
      ++pos;
      continue;
    }
    // scalar < L < 2^253, so the last carry is absorbed by bit 253 at the latest.
    if (window < width / 2) {
      carry = 0;
      digits[static_cast<std::size_t>(pos)] = static_cast<std::int8_t>(window);
    } else {
      carry = 1;
      digits[static_cast<std::size_t>(pos)] =
          static_cast<std::int8_t>(static_cast<int>(window) - static_cast<int>(width));
    }
    top = pos + 1;
    pos += w;
  }
  return top;
}

// P, 3P, 5P, …, (2·size − 1)·P.
void odd_multiples(const edwards::Extended& point, std::span<edwards::Cached> table) {
  const edwards::Cached twice = edwards::to_cached(edwards::to_extended(edwards::dbl(point)));
  edwards::Extended multiple = point;
  table[0] = edwards::to_cached(point);
  for (std::size_t j = 1; j < table.size(); ++j) {
    multiple = edwards::to_extended(edwards::add(multiple, twice));
    table[j] = edwards::to_cached(multiple);
  }
}

const std::array<edwards::Cached, 1U << (kGeneratorWindow - 2)>& generator_table() {
  static const auto table = [] {
    std::array<edwards::Cached, 1U << (kGeneratorWindow - 2)> out{};
    odd_multiples(edwards::from_decaf(*decaf_255_point_base), out);
    return out;
  }();
  return table;
}

}  // namespace

Point MultiScalarMul::compute() const {
  constexpr std::size_t kTableSize = 1U << (kWindow - 2);
  const std::size_t n = terms_.size();
  // Scratch memory kept per thread: a W1 ballot's tables (~90 KiB) allocated and freed at every verification
  // went back to the kernel and were faulted in again each time (glibc trims the top of the heap), which cost
  // about a fifth of the verification time. Given back after an unusually large batch.
  struct Scratch {
    std::vector<Digits> digits;
    std::vector<edwards::Cached> tables;
  };
  thread_local Scratch scratch;
  constexpr std::size_t kKeptTerms = 4096;  // ≈ 5 MiB
  if (scratch.digits.size() < n + 1) scratch.digits.resize(n + 1);
  if (scratch.tables.size() < n * kTableSize) scratch.tables.resize(n * kTableSize);
  struct GiveBack {
    Scratch& scratch;
    ~GiveBack() {
      if (scratch.digits.size() > kKeptTerms) scratch = Scratch();
    }
  } give_back{scratch};
  std::span<Digits> digits(scratch.digits.data(), n + 1);  // the last is B's
  std::span<edwards::Cached> tables(scratch.tables.data(), n * kTableSize);
  int top = non_adjacent_form(generator_, kGeneratorWindow, digits[n]);
  for (std::size_t t = 0; t < n; ++t) {
    top = std::max(top, non_adjacent_form(terms_[t].first, kWindow, digits[t]));
    odd_multiples(edwards::from_decaf(*raw(terms_[t].second.internal_)),
                  tables.subspan(t * kTableSize, kTableSize));
  }
  const auto& generator = generator_table();
  // Straus: one shared doubling per bit, then an addition for each non-zero digit. `pending` holds the last
  // operation's result until the next one says whether it needs T (an addition does, a doubling does not).
  edwards::Extended acc = edwards::identity();
  for (int i = top - 1; i >= 0; --i) {
    const auto at = static_cast<std::size_t>(i);
    edwards::Completed pending = edwards::dbl(acc);
    for (std::size_t t = 0; t <= n; ++t) {
      const int digit = digits[t][at];
      if (digit == 0) continue;
      acc = edwards::to_extended(pending);
      const edwards::Cached& entry =
          t == n ? generator[static_cast<std::size_t>(std::abs(digit) / 2)]
                 : tables[t * kTableSize + static_cast<std::size_t>(std::abs(digit) / 2)];
      pending = digit > 0 ? edwards::add(acc, entry) : edwards::sub(acc, entry);
    }
    if (i == 0) {
      acc = edwards::to_extended(pending);
    } else {
      edwards::to_projective(pending, acc);
    }
  }
  Point out;
  edwards::to_decaf(acc, *raw(out.internal_));
  return out;
}

}  // namespace hallvote::crypto
