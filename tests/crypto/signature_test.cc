#include "hallvote/crypto/signature.h"

#include <gtest/gtest.h>

#include "../support/vector_file.h"
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

namespace hallvote::crypto {
namespace {

// RFC 8032 §7.1, tests 1, 2, 3, 1024 and SHA(abc) (tests/vectors/ed25519_rfc8032.txt names the copy read).
TEST(Ed25519, MatchesRfc8032Vectors) {
  const auto lines = hallvote::testing::read_vector_lines("ed25519_rfc8032.txt");
  int tests = 0;
  for (std::size_t i = 0; i + 3 < lines.size(); i += 4) {
    ASSERT_EQ(lines[i][0], "secret_key");
    SecretArray<32> seed;
    const auto seed_bytes = from_hex_fixed<32>(lines[i][1]).value();
    std::copy(seed_bytes.begin(), seed_bytes.end(), seed.mutable_bytes().begin());
    const Bytes message = lines[i + 2].size() > 1 ? from_hex(lines[i + 2][1]).value() : Bytes{};
    const auto expected = from_hex_fixed<64>(lines[i + 3][1]).value();

    const SigningKey key = SigningKey::from_seed(seed);
    EXPECT_EQ(key.verify_key().hex(), lines[i + 1][1]);
    EXPECT_EQ(key.sign(message), expected);
    EXPECT_TRUE(key.verify_key().verify(message, expected));
    ++tests;
  }
  EXPECT_EQ(tests, 5);
}

}  // namespace
}  // namespace hallvote::crypto
