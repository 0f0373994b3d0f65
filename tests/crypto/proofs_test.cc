#include "hallvote/crypto/proofs.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/errors.h"

namespace hallvote::crypto {
namespace {

TEST(EqualityProof, VerifiesAndRejectsEveryChangedElement) {
  DeterministicRandom random(5);
  const Scalar x = Scalar::random(random);
  const Point x_public = Point::base_mul(x);
  const Point base = Point::base_mul(Scalar::random(random));
  const Point result = x * base;
  const Bytes binding = {1, 2, 3};
  const EqualityProof proof = prove_equality({binding, x_public, base, result}, x, random);
  EXPECT_TRUE(verify_equality({binding, x_public, base, result}, proof));

  const Point g = Point::generator();
  EXPECT_FALSE(verify_equality({binding, x_public + g, base, result}, proof));
  EXPECT_FALSE(verify_equality({binding, x_public, base + g, result}, proof));
  EXPECT_FALSE(verify_equality({binding, x_public, base, result + g}, proof));
  EXPECT_FALSE(verify_equality({Bytes{1, 2, 4}, x_public, base, result}, proof));
  EXPECT_FALSE(verify_equality({binding, x_public, base, result}, {proof.a + g, proof.b, proof.response}));
  EXPECT_FALSE(verify_equality({binding, x_public, base, result}, {proof.a, proof.b + g, proof.response}));
  EXPECT_EQ(verify_equality({binding, x_public, base, result},
                            {proof.a, proof.b, proof.response + Scalar::from_u64(1)})
                .error()
                .code,
            CryptoErrc::invalid_proof);

  auto decoded = EqualityProof::decode(proof.encode());
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(verify_equality({binding, x_public, base, result}, *decoded));
}

TEST(SchnorrProof, VerifiesAndRejectsChangedElementsAndBinding) {
  DeterministicRandom random(6);
  const Scalar x = Scalar::random(random);
  const Point x_public = Point::base_mul(x);
  const Bytes binding = {9};
  const SchnorrProof proof = prove_knowledge(binding, x_public, x, random);
  EXPECT_TRUE(verify_knowledge(binding, x_public, proof));
  EXPECT_FALSE(verify_knowledge(Bytes{8}, x_public, proof));
  EXPECT_FALSE(verify_knowledge(binding, x_public + Point::generator(), proof));
  EXPECT_FALSE(verify_knowledge(binding, x_public, {proof.commitment + Point::generator(), proof.response}));
  EXPECT_FALSE(verify_knowledge(binding, x_public, {proof.commitment, proof.response + Scalar::from_u64(1)}));
  EXPECT_TRUE(verify_knowledge(binding, x_public, SchnorrProof::decode(proof.encode()).value()));
}

TEST(RangeProof, ProvesEveryValueOfARangeAndNoValueOutside) {
  DeterministicRandom random(8);
  const ElectionKey key = ElectionKey::from_point(Point::base_mul(Scalar::random(random))).value();
  const Bytes base_hash(32, 1);
  const Bytes voter(32, 2);
  const ProofContext context{base_hash, key, voter};
  for (std::uint64_t m = 2; m <= 5; ++m) {
    const Scalar r = Scalar::random(random);
    const Ciphertext c = key.encrypt(m, r);
    const RangeProof proof = prove_range(context, {"x", 0}, c, m, r, 2, 5, random);
    EXPECT_TRUE(verify_range(context, {"x", 0}, c, 2, 5, proof)) << m;
    EXPECT_FALSE(verify_range(context, {"x", 1}, c, 2, 5, proof)) << m;
    // The same proof cannot vouch for the ciphertext of m + 4 (outside [2, 5]).
    const Ciphertext shifted{c.alpha, c.beta + Point::base_mul(Scalar::from_u64(4))};
    EXPECT_FALSE(verify_range(context, {"x", 0}, shifted, 2, 5, proof)) << m;
  }
}

}  // namespace
}  // namespace hallvote::crypto
