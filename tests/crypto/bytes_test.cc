#include "hallvote/crypto/bytes.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/crypto/secret.h"

namespace hallvote::crypto {
namespace {

TEST(Hex, RoundTripsAnyBytes) {
  const Bytes bytes = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(bytes), "0001abff");
  EXPECT_EQ(*from_hex("0001ABff"), bytes);
}

TEST(Hex, RejectsOddLengthAndNamesBadCharacter) {
  EXPECT_EQ(from_hex("abc").error().code, CryptoErrc::invalid_encoding);
  auto bad = from_hex("00zz");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("position 2"), std::string::npos);
  EXPECT_FALSE(from_hex_fixed<4>("0011"));
}

TEST(HashInput, LengthPrefixesSeparateFieldBoundaries) {
  // ("ab","c") and ("a","bc") must hash differently.
  const auto one = HashInput("test").add("ab").add("c").sha512();
  const auto two = HashInput("test").add("a").add("bc").sha512();
  EXPECT_NE(one, two);
  // Different tags separate domains.
  EXPECT_NE(HashInput("test").add("x").sha256(), HashInput("tesu").add("x").sha256());
}

TEST(HashInput, EncodesExactlyAsSpecified) {
  // docs/crypto.md §2: "hallvote/v1/" ‖ tag ‖ 0x00 ‖ u64be(len) ‖ field
  const Bytes expected = {'h', 'a', 'l', 'l', 'v', 'o', 't', 'e', '/', 'v', '1', '/',
                          't', 0,   0,   0,   0,   0,   0,   0,   0,   2,   'h', 'i'};
  EXPECT_EQ(HashInput("t").add("hi").bytes(), expected);
}

TEST(Sha256, KnownAnswerAbc) {
  // FIPS 180-2 appendix B.1.
  EXPECT_EQ(to_hex(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 incremental;
  incremental.update(as_bytes("a")).update(as_bytes("bc"));
  EXPECT_EQ(incremental.finish(), sha256(as_bytes("abc")));
}

TEST(SecretArray, MovedFromIsWipedAndComparesInConstantTime) {
  SecretArray<4> a;
  a.mutable_bytes()[0] = 7;
  SecretArray<4> b = std::move(a);
  EXPECT_EQ(b.reveal()[0], 7);
  EXPECT_EQ(a.reveal()[0], 0);  // NOLINT(bugprone-use-after-move): the wipe is the behaviour under test
  SecretArray<4> c;
  c.mutable_bytes()[0] = 7;
  EXPECT_TRUE(b.equals(c));
  c.mutable_bytes()[3] = 1;
  EXPECT_FALSE(b.equals(c));
}

}  // namespace
}  // namespace hallvote::crypto
