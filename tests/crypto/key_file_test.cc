#include "hallvote/crypto/key_file.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/sealed_box.h"

namespace hallvote::crypto {
namespace {

const Bytes kSecret = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

TEST(KeyFile, RoundTripsWithTheRightPassphrase) {
  DeterministicRandom random(1);
  const Bytes file = seal_key_file("ed25519-seed", kSecret, "正确的口令", KdfParams::minimal(), random);
  auto secret = open_key_file(file, "ed25519-seed", "正确的口令");
  ASSERT_TRUE(secret) << secret.error().message();
  EXPECT_TRUE(std::equal(kSecret.begin(), kSecret.end(), secret->reveal().begin(), secret->reveal().end()));
}

TEST(KeyFile, WrongPassphraseIsNamedAsSuch) {
  DeterministicRandom random(2);
  const Bytes file = seal_key_file("ed25519-seed", kSecret, "right", KdfParams::minimal(), random);
  EXPECT_EQ(open_key_file(file, "ed25519-seed", "wrong").error().code, CryptoErrc::wrong_passphrase);
}

TEST(KeyFile, EveryFlippedByteIsCorruptionOrVersionNeverAWrongPassphrase) {
  DeterministicRandom random(3);
  const Bytes file = seal_key_file("k", kSecret, "pw", KdfParams::minimal(), random);
  const std::size_t version_at = std::string_view("hallvote-key-file").size();
  for (std::size_t i = 0; i < file.size(); ++i) {
    Bytes damaged = file;
    damaged[i] ^= 0x01;
    auto opened = open_key_file(damaged, "k", "pw");
    ASSERT_FALSE(opened) << i;
    EXPECT_EQ(opened.error().code, i == version_at ? make_error_code(CryptoErrc::unsupported_version)
                                                   : make_error_code(CryptoErrc::corrupt_key_file))
        << "byte " << i;
  }
  EXPECT_EQ(open_key_file(ByteView(file).first(file.size() - 1), "k", "pw").error().code,
            CryptoErrc::corrupt_key_file);
  EXPECT_EQ(open_key_file(Bytes{}, "k", "pw").error().code, CryptoErrc::corrupt_key_file);
}

TEST(KeyFile, UnsupportedVersionAndWrongKindAreNamed) {
  DeterministicRandom random(4);
  Bytes file = seal_key_file("k", kSecret, "pw", KdfParams::minimal(), random);
  EXPECT_EQ(open_key_file(file, "other", "pw").error().code, CryptoErrc::invalid_encoding);
  file[std::string_view("hallvote-key-file").size()] = 2;
  EXPECT_EQ(open_key_file(file, "k", "pw").error().code, CryptoErrc::unsupported_version);
}

TEST(SealedBox, OpensOnlyForItsRecipient) {
  DeterministicRandom random(5);
  const BoxKeyPair alice = BoxKeyPair::generate(random);
  const BoxKeyPair bob = BoxKeyPair::generate(random);
  Bytes sealed = seal_to(alice.public_key(), kSecret);
  auto opened = alice.open(sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->size(), kSecret.size());
  EXPECT_EQ(bob.open(sealed).error().code, CryptoErrc::decryption_failed);
  sealed.back() ^= 1;
  EXPECT_FALSE(alice.open(sealed));
  EXPECT_FALSE(alice.open(Bytes(10, 0)));
}

}  // namespace
}  // namespace hallvote::crypto
