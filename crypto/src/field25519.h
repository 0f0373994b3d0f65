// Internal: arithmetic in GF(p), p = 2^255 − 19, on libdecaf's 64-bit field representation (five 51-bit limbs,
// little-endian; decaf_255_point_s's gf_25519_s), for the batched point encoding of group.cc (docs/crypto.md
// §1.7). Only what that needs: no square roots, one inversion per batch.
//
// Constant time: every function runs the same instructions and memory accesses whatever the values (no
// branches or indexing on field elements; selections are masks). The inputs are public points (commitments and
// ciphertexts), but the code does not rely on that.
#pragma once

#include <array>
#include <cstdint>

namespace hallvote::crypto::field {

__extension__ using U128 = unsigned __int128;  // GCC/Clang; -Wpedantic otherwise rejects the type

// Limbs below 2^52 after every operation here (at most 2^51 + 2^13·19 after carry()); the value is mod p.
using Fe = std::array<std::uint64_t, 5>;

inline constexpr std::uint64_t kMask51 = (std::uint64_t{1} << 51) - 1;

// Propagates carries so every limb is < 2^51 except limb 0 (< 2^51 + 19·2^13). Any limbs < 2^63 are accepted.
inline Fe carry(Fe a) {
  for (std::size_t i = 0; i < 4; ++i) {
    a[i + 1] += a[i] >> 51;
    a[i] &= kMask51;
  }
  a[0] += 19 * (a[4] >> 51);
  a[4] &= kMask51;
  return a;
}

inline Fe add(const Fe& a, const Fe& b) {
  return carry({a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4]});
}

// a − b as a + 4p − b (limbs of b < 2^53 − 76, true for every carried value).
inline Fe sub(const Fe& a, const Fe& b) {
  constexpr std::uint64_t kLow = (std::uint64_t{1} << 53) - 76;  // 4·(2^51 − 19)
  constexpr std::uint64_t kHigh = (std::uint64_t{1} << 53) - 4;  // 4·(2^51 − 1)
  return carry(
      {a[0] + kLow - b[0], a[1] + kHigh - b[1], a[2] + kHigh - b[2], a[3] + kHigh - b[3], a[4] + kHigh - b[4]});
}

inline Fe neg(const Fe& a) { return sub(Fe{}, a); }

// add and sub without the carry, for a result that only goes into mul (which takes limbs below 2^54): limbs of
// a below 2^52 + 2^18 and of b below 2^53 − 76 (every mul result and carried value) give limbs below 2^54.
inline Fe add_lazy(const Fe& a, const Fe& b) {
  return {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4]};
}
inline Fe sub_lazy(const Fe& a, const Fe& b) {
  constexpr std::uint64_t kLow = (std::uint64_t{1} << 53) - 76;
  constexpr std::uint64_t kHigh = (std::uint64_t{1} << 53) - 4;
  return {a[0] + kLow - b[0], a[1] + kHigh - b[1], a[2] + kHigh - b[2], a[3] + kHigh - b[3],
          a[4] + kHigh - b[4]};
}

// Limbs of a and b below 2^54: every column sum below is then < 5·19·2^108 < 2^115, so each shifted carry fits
// 64 bits and r4 >> 51 < 2^61. The result's limbs are below 2^51, limb 1 below 2^51 + 2^14.
[[gnu::always_inline]] inline Fe mul(const Fe& a, const Fe& b) {
  const std::uint64_t b1 = 19 * b[1], b2 = 19 * b[2], b3 = 19 * b[3], b4 = 19 * b[4];
  auto m = [](std::uint64_t x, std::uint64_t y) { return static_cast<U128>(x) * y; };
  U128 r0 = m(a[0], b[0]) + m(a[1], b4) + m(a[2], b3) + m(a[3], b2) + m(a[4], b1);
  U128 r1 = m(a[0], b[1]) + m(a[1], b[0]) + m(a[2], b4) + m(a[3], b3) + m(a[4], b2);
  U128 r2 = m(a[0], b[2]) + m(a[1], b[1]) + m(a[2], b[0]) + m(a[3], b4) + m(a[4], b3);
  U128 r3 = m(a[0], b[3]) + m(a[1], b[2]) + m(a[2], b[1]) + m(a[3], b[0]) + m(a[4], b4);
  U128 r4 = m(a[0], b[4]) + m(a[1], b[3]) + m(a[2], b[2]) + m(a[3], b[1]) + m(a[4], b[0]);
  r1 += static_cast<std::uint64_t>(r0 >> 51);
  r2 += static_cast<std::uint64_t>(r1 >> 51);
  r3 += static_cast<std::uint64_t>(r2 >> 51);
  r4 += static_cast<std::uint64_t>(r3 >> 51);
  Fe out{static_cast<std::uint64_t>(r0) & kMask51, static_cast<std::uint64_t>(r1) & kMask51,
         static_cast<std::uint64_t>(r2) & kMask51, static_cast<std::uint64_t>(r3) & kMask51,
         static_cast<std::uint64_t>(r4) & kMask51};
  const U128 top = (r4 >> 51) * 19 + out[0];
  out[0] = static_cast<std::uint64_t>(top) & kMask51;
  out[1] += static_cast<std::uint64_t>(top >> 51);
  return out;
}

inline Fe sqr(const Fe& a) { return mul(a, a); }

// a·k for a small constant k < 2^32.
inline Fe mul_small(const Fe& a, std::uint64_t k) {
  U128 r[5];
  for (std::size_t i = 0; i < 5; ++i) r[i] = static_cast<U128>(a[i]) * k;  // < 2^84
  Fe out{};
  U128 carried = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    carried += r[i];
    out[i] = static_cast<std::uint64_t>(carried) & kMask51;
    carried >>= 51;
  }
  out[0] += 19 * static_cast<std::uint64_t>(carried);  // carried < 2^34
  return carry(out);
}

// a^(p−2) = 1/a (0 for 0): 254 squarings and 11 multiplications (the addition chain of ref10's fe_invert).
inline Fe invert(const Fe& z) {
  auto sqr_n = [](Fe a, int n) {
    for (int i = 0; i < n; ++i) a = sqr(a);
    return a;
  };
  const Fe z2 = sqr(z);
  const Fe z9 = mul(sqr_n(z2, 2), z);
  const Fe z11 = mul(z9, z2);
  const Fe z_5_0 = mul(sqr(z11), z9);                // z^(2^5 − 1)
  const Fe z_10_0 = mul(sqr_n(z_5_0, 5), z_5_0);     // z^(2^10 − 1)
  const Fe z_20_0 = mul(sqr_n(z_10_0, 10), z_10_0);  // …
  const Fe z_40_0 = mul(sqr_n(z_20_0, 20), z_20_0);
  const Fe z_50_0 = mul(sqr_n(z_40_0, 10), z_10_0);
  const Fe z_100_0 = mul(sqr_n(z_50_0, 50), z_50_0);
  const Fe z_200_0 = mul(sqr_n(z_100_0, 100), z_100_0);
  const Fe z_250_0 = mul(sqr_n(z_200_0, 50), z_50_0);
  return mul(sqr_n(z_250_0, 5), z11);  // z^(2^255 − 21) = z^(p − 2)
}

// The canonical limbs (value fully reduced mod p, every limb < 2^51).
inline Fe reduce(const Fe& a) {
  Fe t = carry(carry(a));  // < 2^255 + 19·2, so at most one subtraction of p
  std::uint64_t q = (t[0] + 19) >> 51;
  for (std::size_t i = 1; i < 5; ++i) q = (t[i] + q) >> 51;  // q = 1 iff t ≥ p
  t[0] += 19 * q;
  for (std::size_t i = 0; i < 4; ++i) {
    t[i + 1] += t[i] >> 51;
    t[i] &= kMask51;
  }
  t[4] &= kMask51;  // drops q·2^255
  return t;
}

// The canonical 32-byte little-endian encoding.
inline std::array<std::uint8_t, 32> to_bytes(const Fe& a) {
  const Fe t = reduce(a);
  std::array<std::uint8_t, 32> out{};
  U128 acc = 0;
  int bits = 0;
  std::size_t at = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    acc |= static_cast<U128>(t[i]) << bits;
    bits += 51;
    while (bits >= 8) {
      out[at++] = static_cast<std::uint8_t>(acc);
      acc >>= 8;
      bits -= 8;
    }
  }
  out[at] = static_cast<std::uint8_t>(acc);  // the last 7 bits (255 = 31·8 + 7)
  return out;
}

// 1 if the canonical value is odd ("negative" in RFC 9496 terms), else 0.
inline std::uint64_t is_negative(const Fe& a) { return reduce(a)[0] & 1U; }

// 1 if a ≡ 0 (mod p), else 0.
inline std::uint64_t is_zero(const Fe& a) {
  const Fe t = reduce(a);
  return ((t[0] | t[1] | t[2] | t[3] | t[4]) - 1) >> 63;
}

// bit ? b : a, bit ∈ {0, 1}.
inline Fe select(const Fe& a, const Fe& b, std::uint64_t bit) {
  const std::uint64_t mask = 0 - bit;
  Fe out{};
  for (std::size_t i = 0; i < 5; ++i) out[i] = a[i] ^ (mask & (a[i] ^ b[i]));
  return out;
}

inline Fe cond_neg(const Fe& a, std::uint64_t bit) { return select(a, neg(a), bit); }

}  // namespace hallvote::crypto::field
