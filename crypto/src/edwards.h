// Internal: point arithmetic in extended coordinates on libdecaf's internal curve −x² + y² = 1 + d·x²y²,
// d = 121665 (a = −1; the curve behind decaf_255_point_s, see group.cc's batched encoding), for the
// variable-time multi-scalar multiplication of group.cc (docs/crypto.md §4.5). Exposed for
// tests/crypto/group_test.cc, which checks every operation against libdecaf's, torsion representatives
// included.
//
// NOT constant time: callers use it on public values only (verification). The formulas themselves are the
// complete ones of Hisil–Wong–Carter–Dawson 2008 (a = −1 is a square and d is not, so they hold for every pair
// of points, doubling and the identity included), without branches; what varies is which operations run.
#pragma once

#include <decaf/point_255.h>

#include "field25519.h"

namespace hallvote::crypto::edwards {

using field::Fe;

// (X : Y : Z : T) with x = X/Z, y = Y/Z, x·y = T/Z.
struct Extended {
  Fe x, y, z, t;
};

// A point prepared as an addend: (Y + X, Y − X, 2·Z, 2d·T).
struct Cached {
  Fe y_plus_x, y_minus_x, z2, t2d;
};

// The result of an addition or doubling before its last four multiplications ("completed" coordinates, ref10's
// ge_p1p1): the point (E·F : G·H : F·G : E·H). to_extended makes it; to_projective leaves T out (one
// multiplication fewer) when only a doubling follows.
struct Completed {
  Fe e, f, g, h;
};

inline constexpr std::uint64_t kTwoD = 2 * 121665;

inline Extended identity() { return {Fe{}, Fe{1, 0, 0, 0, 0}, Fe{1, 0, 0, 0, 0}, Fe{}}; }

inline Extended from_decaf(const decaf_255_point_s& p) {
  auto load = [](const gf_25519_s* g) {
    return field::carry({g->limb[0], g->limb[1], g->limb[2], g->limb[3], g->limb[4]});
  };
  return {load(p.x), load(p.y), load(p.z), load(p.t)};
}

inline void to_decaf(const Extended& p, decaf_255_point_s& out) {
  auto store = [](const Fe& value, gf_25519_s* g) {
    const Fe canonical = field::reduce(value);
    for (std::size_t i = 0; i < 5; ++i) g->limb[i] = canonical[i];
  };
  store(p.x, out.x);
  store(p.y, out.y);
  store(p.z, out.z);
  store(p.t, out.t);
}

inline Cached to_cached(const Extended& p) {
  return {field::add(p.y, p.x), field::sub(p.y, p.x), field::add(p.z, p.z), field::mul_small(p.t, kTwoD)};
}

inline Extended to_extended(const Completed& c) {
  return {field::mul(c.e, c.f), field::mul(c.g, c.h), field::mul(c.f, c.g), field::mul(c.e, c.h)};
}

// T is left as it was: only a doubling, which does not read T, may follow.
inline void to_projective(const Completed& c, Extended& out) {
  out.x = field::mul(c.e, c.f);
  out.y = field::mul(c.g, c.h);
  out.z = field::mul(c.f, c.g);
}

// p + q (add-2008-hwcd-3 with k = 2d). p's coordinates and q's entries are mul results or carried values, so
// the lazy sums (limbs < 2^54) are fine as mul inputs, and so are the four results.
inline Completed add(const Extended& p, const Cached& q) {
  const Fe a = field::mul(field::sub_lazy(p.y, p.x), q.y_minus_x);
  const Fe b = field::mul(field::add_lazy(p.y, p.x), q.y_plus_x);
  const Fe c = field::mul(p.t, q.t2d);
  const Fe d = field::mul(p.z, q.z2);
  return {field::sub_lazy(b, a), field::sub_lazy(d, c), field::add_lazy(d, c), field::add_lazy(b, a)};
}

// p − q: the same with −q = (−X, Y, Z, −T), i.e. Y ± X swapped and T negated.
inline Completed sub(const Extended& p, const Cached& q) {
  const Fe a = field::mul(field::sub_lazy(p.y, p.x), q.y_plus_x);
  const Fe b = field::mul(field::add_lazy(p.y, p.x), q.y_minus_x);
  const Fe c = field::mul(p.t, q.t2d);
  const Fe d = field::mul(p.z, q.z2);
  return {field::sub_lazy(b, a), field::add_lazy(d, c), field::sub_lazy(d, c), field::add_lazy(b, a)};
}

// 2·p (dbl-2008-hwcd with a = −1, as ref10's ge_p2_dbl); reads X, Y, Z only (mul results or carried).
inline Completed dbl(const Extended& p) {
  const Fe xx = field::sqr(p.x);
  const Fe yy = field::sqr(p.y);
  const Fe zz = field::sqr(p.z);
  const Fe g = field::sub(yy, xx);  // a·X² + Y², carried: it is subtracted below
  const Fe h = field::add(xx, yy);
  return {field::sub_lazy(field::sqr(field::add_lazy(p.x, p.y)), h), field::sub_lazy(field::add(zz, zz), g), g,
          h};
}

}  // namespace hallvote::crypto::edwards
