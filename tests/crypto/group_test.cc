#include "hallvote/crypto/group.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <vector>

#include "../support/vector_file.h"
#include "edwards.h"
#include "hallvote/crypto/batch_verifier.h"
#include "hallvote/crypto/errors.h"
#include "point_batch.h"

namespace hallvote::crypto {
namespace {

using hallvote::testing::read_vector_lines;

Bytes hex(const std::string& text) { return from_hex(text).value(); }

// RFC 9496 Appendix A.1: k·B for k = 0..15.
TEST(Ristretto255, MultiplesOfGeneratorMatchRfc9496) {
  const auto lines = read_vector_lines("ristretto255_multiples.txt");
  ASSERT_EQ(lines.size(), 16u);
  Point walk;
  for (const auto& line : lines) {
    const std::uint64_t k = std::stoull(line[0]);
    EXPECT_EQ(to_hex(walk.encode()), line[1]) << "walk " << k;
    EXPECT_EQ(to_hex(Point::base_mul(Scalar::from_u64(k)).encode()), line[1]) << "base_mul " << k;
    EXPECT_EQ(to_hex((Scalar::from_u64(k) * Point::generator()).encode()), line[1]) << "scalar mul " << k;
    auto decoded = Point::decode(hex(line[1]));
    ASSERT_TRUE(decoded) << k;
    EXPECT_TRUE(*decoded == walk);
    walk += Point::generator();
  }
}

// RFC 9496 Appendix A.2: every listed invalid encoding is rejected by both backends.
TEST(Ristretto255, RejectsEveryInvalidEncodingOfRfc9496) {
  const auto lines = read_vector_lines("ristretto255_invalid.txt");
  ASSERT_EQ(lines.size(), 29u);
  for (const auto& line : lines) {
    const Bytes bytes = hex(line[0]);
    auto point = Point::decode(bytes);
    ASSERT_FALSE(point) << line[0];
    EXPECT_EQ(point.error().code, CryptoErrc::invalid_point);
    EXPECT_EQ(crypto_core_ristretto255_is_valid_point(bytes.data()), 0) << line[0];
  }
}

// RFC 9496 Appendix A.3: the one-way map from 64 uniform bytes.
TEST(Ristretto255, HashToGroupMatchesRfc9496) {
  const auto lines = read_vector_lines("ristretto255_hash_to_group.txt");
  ASSERT_EQ(lines.size(), 11u);
  for (const auto& line : lines) {
    const Bytes input = hex(line[0]);
    ASSERT_EQ(input.size(), 64u);
    EXPECT_EQ(to_hex(Point::from_uniform_bytes(std::span<const std::uint8_t, 64>(input.data(), 64)).encode()),
              line[1]);
  }
}

TEST(Ristretto255, IdentityIsAllZeroAndRejectedWhereForbidden) {
  const Bytes zero(32, 0);
  auto identity = Point::decode(zero);
  ASSERT_TRUE(identity);
  EXPECT_TRUE(identity->is_identity());
  EXPECT_EQ(Point::decode_non_identity(zero).error().code, CryptoErrc::identity_point);
  EXPECT_EQ(Point::decode(Bytes(31, 0)).error().code, CryptoErrc::invalid_encoding);
}

TEST(Scalar, RejectsNonCanonicalEncodings) {
  // L itself, L + 1 and 2^256 − 1 are not canonical; L − 1 is.
  const std::string l = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
  EXPECT_EQ(Scalar::decode(hex(l)).error().code, CryptoErrc::invalid_scalar);
  EXPECT_EQ(
      Scalar::decode(hex("eed3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")).error().code,
      CryptoErrc::invalid_scalar);
  EXPECT_FALSE(Scalar::decode(Bytes(32, 0xff)));
  auto l_minus_1 = Scalar::decode(hex("ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"));
  ASSERT_TRUE(l_minus_1);
  EXPECT_TRUE((*l_minus_1 + Scalar::from_u64(1)).is_zero());
  EXPECT_EQ(Scalar::decode(Bytes(31, 0)).error().code, CryptoErrc::invalid_encoding);
}

TEST(Scalar, FieldArithmeticIdentities) {
  DeterministicRandom random(7);
  for (int i = 0; i < 50; ++i) {
    const Scalar a = Scalar::random(random);
    const Scalar b = Scalar::random(random);
    EXPECT_TRUE((a + b) - b == a);
    EXPECT_TRUE(a * a.inverse() == Scalar::from_u64(1));
    EXPECT_TRUE(-a + a == Scalar());
    EXPECT_TRUE(*Scalar::decode(a.encode()) == a);
  }
}

// The fast backend (libdecaf) against the reference (libsodium) on random inputs.
TEST(Ristretto255, FastBackendAgreesWithLibsodium) {
  DeterministicRandom random(11);
  for (int i = 0; i < 64; ++i) {
    const Scalar s = Scalar::random(random);
    const Scalar t = Scalar::random(random);
    const auto s_bytes = s.encode();
    const auto t_bytes = t.encode();
    std::array<std::uint8_t, 32> p{}, q{}, sum{}, diff{}, sp{};
    ASSERT_EQ(crypto_scalarmult_ristretto255_base(p.data(), s_bytes.data()), 0);
    ASSERT_EQ(crypto_scalarmult_ristretto255_base(q.data(), t_bytes.data()), 0);
    ASSERT_EQ(crypto_core_ristretto255_add(sum.data(), p.data(), q.data()), 0);
    ASSERT_EQ(crypto_core_ristretto255_sub(diff.data(), p.data(), q.data()), 0);
    ASSERT_EQ(crypto_scalarmult_ristretto255(sp.data(), t_bytes.data(), p.data()), 0);

    const Point fp = Point::base_mul(s);
    const Point fq = Point::base_mul(t);
    EXPECT_EQ(fp.encode(), p);
    EXPECT_EQ((fp + fq).encode(), sum);
    EXPECT_EQ((fp - fq).encode(), diff);
    EXPECT_EQ((t * fp).encode(), sp);
    EXPECT_EQ(FixedBase(fp).mul(t).encode(), sp);

    std::array<std::uint8_t, 32> product{};
    crypto_core_ristretto255_scalar_mul(product.data(), s_bytes.data(), t_bytes.data());
    EXPECT_EQ((s * t).encode(), product);
  }
}

TEST(MultiScalarMul, EqualsSumOfProducts) {
  DeterministicRandom random(13);
  for (std::size_t n : {0u, 1u, 2u, 7u, 40u}) {
    MultiScalarMul msm;
    Point expected;
    for (std::size_t i = 0; i < n; ++i) {
      const Scalar s = (i % 3 == 0) ? Scalar::from_u64(i) : Scalar::random(random);
      const Point p = Point::base_mul(Scalar::random(random));
      msm.add(s, p);
      expected += s * p;
    }
    EXPECT_TRUE(msm.compute() == expected) << n;
  }
  // Extremes of the digit recoding: L − 1 and small values.
  MultiScalarMul edge;
  const Scalar l_minus_1 = -Scalar::from_u64(1);
  edge.add(l_minus_1, Point::generator());
  edge.add(Scalar::from_u64(8), Point::generator());
  EXPECT_TRUE(edge.compute() == Point::base_mul(Scalar::from_u64(7)));
}

// The generator's coefficient (width-8 digits on B's table) and add_to_term, with the digit recodings'
// extremes: 0, 1, small, L − 1, 2^128 − 1 (a batch weight's largest), 2^252 and random values.
TEST(MultiScalarMul, GeneratorCoefficientAndAddToTerm) {
  DeterministicRandom random(29);
  const Scalar two_128_minus_1 =
      Scalar::decode(hex("ffffffffffffffffffffffffffffffff00000000000000000000000000000000")).value();
  const Scalar two_252 =
      Scalar::decode(hex("0000000000000000000000000000000000000000000000000000000000000010")).value();
  std::vector<Scalar> scalars = {Scalar(),
                                 Scalar::from_u64(1),
                                 Scalar::from_u64(127),
                                 Scalar::from_u64(128),
                                 -Scalar::from_u64(1),
                                 two_128_minus_1,
                                 two_252,
                                 -two_252};
  for (int i = 0; i < 8; ++i) scalars.push_back(Scalar::random(random));
  for (const Scalar& g : scalars) {
    MultiScalarMul msm;
    msm.add_generator(g);
    EXPECT_TRUE(msm.compute() == Point::base_mul(g)) << to_hex(g.encode());
    // The same scalar on a variable point, and split between add() and add_to_term().
    const Point p = Point::base_mul(Scalar::random(random));
    const Scalar part = Scalar::random(random);
    msm.add(part, p);
    msm.add_to_term(0, g - part);
    msm.add(g, Point::generator());
    msm.add_generator(Scalar::from_u64(5));
    EXPECT_TRUE(msm.compute() == g * p + Point::base_mul(g + g + Scalar::from_u64(5))) << to_hex(g.encode());
  }
}

// The variable-time point arithmetic of the multi-scalar multiplication (crypto/src/edwards.h) against
// libdecaf's, exactly (the same projective point, not only the same group element), on points that carry
// torsion, the identity's representatives included.
TEST(MultiScalarMul, EdwardsArithmeticMatchesLibdecaf) {
  using edwards::Extended;
  auto same = [](const Extended& ours, const decaf_255_point_s& theirs) {
    const Extended t = edwards::from_decaf(theirs);
    auto eq = [](const field::Fe& a, const field::Fe& b) { return field::reduce(a) == field::reduce(b); };
    return eq(field::mul(ours.x, t.z), field::mul(t.x, ours.z)) &&
           eq(field::mul(ours.y, t.z), field::mul(t.y, ours.z)) &&
           eq(field::mul(ours.t, ours.z), field::mul(ours.x, ours.y));
  };
  DeterministicRandom random(31);
  std::vector<decaf_255_point_s> points;
  auto add_with_torsion = [&points](const decaf_255_point_s& point) {
    decaf_255_point_s p = point;
    for (int torque = 0; torque < 4; ++torque) {
      points.push_back(p);
      decaf_255_point_s q;
      decaf_255_point_debugging_torque(&q, &p);
      p = q;
    }
  };
  add_with_torsion(*decaf_255_point_identity);
  add_with_torsion(*decaf_255_point_base);
  for (int i = 0; i < 4; ++i) {
    const auto encoded = Scalar::random(random).encode();
    decaf_255_scalar_t scalar;
    ASSERT_EQ(decaf_255_scalar_decode(scalar, encoded.data()), DECAF_SUCCESS);
    decaf_255_point_t p;
    decaf_255_precomputed_scalarmul(p, decaf_255_precomputed_base, scalar);
    add_with_torsion(*p);
  }
  for (const auto& p : points) {
    const Extended ours = edwards::from_decaf(p);
    decaf_255_point_t expected;
    decaf_255_point_double(expected, &p);
    EXPECT_TRUE(same(edwards::to_extended(edwards::dbl(ours)), *expected));
    Extended projective = ours;
    edwards::to_projective(edwards::dbl(ours), projective);
    projective.t = field::mul(projective.x, projective.y);  // to compare; the MSM never reads this T
    projective = {field::mul(projective.x, projective.z), field::mul(projective.y, projective.z),
                  field::sqr(projective.z), projective.t};
    EXPECT_TRUE(same(projective, *expected));
    for (const auto& q : points) {
      const edwards::Cached cached = edwards::to_cached(edwards::from_decaf(q));
      decaf_255_point_t sum, difference;
      decaf_255_point_add(sum, &p, &q);
      decaf_255_point_sub(difference, &p, &q);
      EXPECT_TRUE(same(edwards::to_extended(edwards::add(ours, cached)), *sum));
      EXPECT_TRUE(same(edwards::to_extended(edwards::sub(ours, cached)), *difference));
    }
  }
}

// BatchVerifier: B and K terms collapse into one scalar each; every equation must hold; weights are drawn in
// blocks of 32, so 100 equations cross several.
TEST(BatchVerifier, HoldsExactlyWhenEveryEquationHolds) {
  DeterministicRandom random(37);
  const FixedBase key(Point::base_mul(Scalar::random(random)));
  struct Equation {
    Point p;
    Scalar x, y;  // p = x·B + y·K
  };
  std::vector<Equation> equations;
  for (int i = 0; i < 100; ++i) {
    const Scalar x = Scalar::random(random);
    const Scalar y = Scalar::random(random);
    equations.push_back({Point::base_mul(x) + key.mul(y), x, y});
  }
  auto check = [&](std::size_t broken, const Point& error) {
    BatchVerifier batch(&key, random);
    for (std::size_t i = 0; i < equations.size(); ++i) {
      const Scalar z = batch.next_weight();
      batch.add(z, i == broken ? equations[i].p + error : equations[i].p);
      batch.add_generator(-(z * equations[i].x));
      batch.add_fixed(-(z * equations[i].y));
    }
    return batch.holds();
  };
  EXPECT_TRUE(check(equations.size(), Point()));
  for (std::size_t broken : {0u, 31u, 32u, 99u}) {
    EXPECT_FALSE(check(broken, Point::generator())) << broken;
    EXPECT_FALSE(check(broken, key.base())) << broken;
  }
  BatchVerifier empty(nullptr, random);
  EXPECT_TRUE(empty.holds());
}

TEST(Scalar, HalfDoublesBack) {
  DeterministicRandom random(17);
  std::vector<Scalar> values = {Scalar(), Scalar::from_u64(1), Scalar::from_u64(2), -Scalar::from_u64(1)};
  for (int i = 0; i < 20; ++i) values.push_back(Scalar::random(random));
  for (const Scalar& a : values) EXPECT_TRUE(a.half() + a.half() == a);
  EXPECT_TRUE(Scalar::from_u64(2).half() == Scalar::from_u64(1));
  EXPECT_TRUE((-Scalar::from_u64(1)).half() == -Scalar::from_u64(1).half());  // (L − 1)/2 = −(1/2)
}

// Point::double_and_encode against doubling and encoding one point at a time, on every kind of point the API
// makes (fixed-base, decoded, sums, negations, hashed to the group, the identity); batches of 0, 1, 2 and 70.
TEST(Point, DoubleAndEncodeEqualsOneAtATime) {
  DeterministicRandom random(19);
  std::vector<Point> inputs = {Point(), Point::generator(), -Point::generator()};
  while (inputs.size() < 70) {
    const Point p = Point::base_mul(Scalar::random(random));
    const Point decoded = Point::decode(p.encode()).value();
    inputs.push_back(p);
    inputs.push_back(decoded + Point::generator());
    inputs.push_back(-decoded);
    std::array<std::uint8_t, 64> wide{};
    random.fill(wide);
    inputs.push_back(Point::from_uniform_bytes(wide));
    inputs.push_back(Scalar::random(random) * decoded);
    inputs.push_back(p - p);  // the identity, computed
  }
  inputs.resize(70);
  for (std::size_t count : {0u, 1u, 2u, 70u}) {
    std::vector<Point> batch(inputs.begin(), inputs.begin() + static_cast<std::ptrdiff_t>(count));
    std::vector<Point*> pointers;
    for (auto& point : batch) pointers.push_back(&point);
    Point::double_and_encode(pointers);
    for (std::size_t i = 0; i < count; ++i) {
      const Point expected = inputs[i] + inputs[i];  // no kept encoding: encode() runs libdecaf's encoder
      EXPECT_TRUE(batch[i] == expected) << count << " " << i;
      EXPECT_EQ(to_hex(batch[i].encode()), to_hex(expected.encode())) << count << " " << i;
      EXPECT_EQ(batch[i].is_identity(), expected.is_identity());
    }
  }
}

// The same on raw libdecaf points, including representatives that carry torsion (which the API never makes on
// purpose, but libdecaf's formulas may): every representative of an element has that element's encoding.
TEST(Point, DoubleAndEncodeHandlesTorsionRepresentatives) {
  DeterministicRandom random(23);
  std::vector<decaf_255_point_s> points;
  auto add_with_torsion = [&points](const decaf_255_point_s& point) {
    decaf_255_point_s p = point;
    for (int torque = 0; torque < 4; ++torque) {
      points.push_back(p);
      decaf_255_point_s q;
      decaf_255_point_debugging_torque(&q, &p);  // the same element, another representative
      EXPECT_EQ(decaf_255_point_eq(&q, &p), DECAF_TRUE);
      EXPECT_NE(std::memcmp(q.y, p.y, sizeof(q.y)), 0);
      p = q;
    }
  };
  add_with_torsion(*decaf_255_point_identity);
  add_with_torsion(*decaf_255_point_base);
  for (int i = 0; i < 8; ++i) {
    std::array<std::uint8_t, 32> bytes{};
    const Scalar s = Scalar::random(random);
    const auto encoded = s.encode();
    decaf_255_scalar_t scalar;
    ASSERT_EQ(decaf_255_scalar_decode(scalar, encoded.data()), DECAF_SUCCESS);
    decaf_255_point_t p;
    decaf_255_precomputed_scalarmul(p, decaf_255_precomputed_base, scalar);
    add_with_torsion(*p);
    decaf_255_point_encode(bytes.data(), p);
    ASSERT_EQ(decaf_255_point_decode(p, bytes.data(), DECAF_TRUE), DECAF_SUCCESS);
    add_with_torsion(*p);
  }
  std::vector<decaf_255_point_s> doubled = points;
  std::vector<decaf_255_point_s*> pointers;
  for (auto& point : doubled) pointers.push_back(&point);
  std::vector<std::array<std::uint8_t, 32>> encodings(points.size());
  detail::double_and_encode(pointers, encodings);
  for (std::size_t i = 0; i < points.size(); ++i) {
    decaf_255_point_t expected;
    decaf_255_point_double(expected, &points[i]);
    std::array<std::uint8_t, 32> bytes{};
    decaf_255_point_encode(bytes.data(), expected);
    EXPECT_EQ(to_hex(encodings[i]), to_hex(bytes)) << i;
    EXPECT_EQ(decaf_255_point_eq(expected, &doubled[i]), DECAF_TRUE) << i;
  }
}

TEST(Point, HashToGroupIsDomainSeparated) {
  const Point a = Point::hash_to_group("a", as_bytes("x"));
  EXPECT_FALSE(a == Point::hash_to_group("b", as_bytes("x")));
  EXPECT_TRUE(a == Point::hash_to_group("a", as_bytes("x")));
  EXPECT_FALSE(a.is_identity());
}

}  // namespace
}  // namespace hallvote::crypto
