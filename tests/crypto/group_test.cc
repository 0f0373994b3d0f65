#include "hallvote/crypto/group.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "../support/vector_file.h"
#include "hallvote/crypto/errors.h"

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
    EXPECT_EQ(to_hex(Point::from_uniform_bytes(std::span<const std::uint8_t, 64>(input.data(), 64)).encode()), line[1]);
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
  EXPECT_EQ(Scalar::decode(hex("eed3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")).error().code,
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

TEST(Point, HashToGroupIsDomainSeparated) {
  const Point a = Point::hash_to_group("a", as_bytes("x"));
  EXPECT_FALSE(a == Point::hash_to_group("b", as_bytes("x")));
  EXPECT_TRUE(a == Point::hash_to_group("a", as_bytes("x")));
  EXPECT_FALSE(a.is_identity());
}

}  // namespace
}  // namespace hallvote::crypto
