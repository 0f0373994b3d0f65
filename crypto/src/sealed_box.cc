#include "hallvote/crypto/sealed_box.h"

#include <sodium.h>

#include "hallvote/crypto/errors.h"
#include "sodium_init.h"

namespace hallvote::crypto {

Bytes seal_to(const BoxPublicKey& recipient, ByteView plaintext) {
  detail::ensure_sodium();
  Bytes out(plaintext.size() + crypto_box_SEALBYTES);
  crypto_box_seal(out.data(), plaintext.data(), plaintext.size(), recipient.data());
  return out;
}

BoxKeyPair BoxKeyPair::generate(RandomSource& random) {
  detail::ensure_sodium();
  SecretArray<32> seed;
  random.fill(seed.mutable_bytes());
  BoxKeyPair pair;
  crypto_box_seed_keypair(pair.public_key_.data(), pair.secret_key_.mutable_bytes().data(),
                          seed.reveal().data());
  return pair;
}

Result<SecretBytes> BoxKeyPair::open(ByteView sealed) const {
  if (sealed.size() < crypto_box_SEALBYTES) {
    return fail(CryptoErrc::decryption_failed, "sealed box shorter than its 48-byte overhead");
  }
  SecretBytes out(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(out.mutable_bytes().data(), sealed.data(), sealed.size(), public_key_.data(),
                           secret_key_.reveal().data()) != 0) {
    return fail(CryptoErrc::decryption_failed, "sealed box was not sealed to this key or was altered");
  }
  return out;
}

}  // namespace hallvote::crypto
