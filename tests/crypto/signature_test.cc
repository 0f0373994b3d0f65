#include "hallvote/crypto/signature.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/errors.h"

namespace hallvote::crypto {
namespace {

TEST(Ed25519, SignsAndVerifies) {
  DeterministicRandom random(1);
  const SigningKey key = SigningKey::generate(random);
  const Signature sig = key.sign(as_bytes("投票"));
  EXPECT_TRUE(key.verify_key().verify(as_bytes("投票"), sig));
}

TEST(Ed25519, RejectsChangedMessageSignatureOrKey) {
  DeterministicRandom random(2);
  const SigningKey key = SigningKey::generate(random);
  const SigningKey other = SigningKey::generate(random);
  Signature sig = key.sign(as_bytes("ballot"));
  EXPECT_EQ(key.verify_key().verify(as_bytes("ballou"), sig).error().code, CryptoErrc::invalid_signature);
  EXPECT_FALSE(other.verify_key().verify(as_bytes("ballot"), sig));
  sig[10] ^= 1;
  EXPECT_FALSE(key.verify_key().verify(as_bytes("ballot"), sig));
}

TEST(Ed25519, SeedRoundTripsToSameKey) {
  DeterministicRandom random(3);
  const SigningKey key = SigningKey::generate(random);
  const SigningKey again = SigningKey::from_seed(key.seed());
  EXPECT_EQ(again.verify_key(), key.verify_key());
}

}  // namespace
}  // namespace hallvote::crypto
