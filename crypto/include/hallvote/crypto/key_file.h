// Secrets at rest: a key file sealed with a passphrase (Argon2id → XChaCha20-Poly1305), format in
// docs/crypto.md §8. Opening distinguishes a damaged file (corrupt_key_file), a file of another format version
// (unsupported_version), a file holding another kind of key (invalid_encoding) and a wrong passphrase
// (wrong_passphrase): the file carries a plain SHA-256 checksum, so accidental damage is told apart from a
// wrong passphrase. (Deliberate tampering that recomputes the checksum is still caught by the AEAD, and then
// reported as a wrong passphrase: the checksum is not a MAC.)
#pragma once

#include <cstdint>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/random.h"
#include "hallvote/crypto/secret.h"

namespace hallvote::crypto {

struct KdfParams {
  std::uint32_t opslimit = 0;
  std::uint32_t memlimit_kib = 0;

  // libsodium's MODERATE Argon2id cost (3 passes, 256 MiB): for real key files.
  [[nodiscard]] static KdfParams moderate();
  // The minimum cost libsodium accepts: for tests and demos only.
  [[nodiscard]] static KdfParams minimal();
};

// Seals `secret` (a key of type `kind`, e.g. "ed25519-seed", "threshold-share") under `passphrase`.
// Preconditions (abort otherwise): kind is 1..255 bytes; params are within the bounds open_key_file accepts.
[[nodiscard]] Bytes seal_key_file(std::string_view kind, ByteView secret, std::string_view passphrase,
                                  const KdfParams& params, RandomSource& random = system_random());

// Opens a key file and returns the secret. Errors as described above; nothing is returned on failure.
[[nodiscard]] Result<SecretBytes> open_key_file(ByteView file, std::string_view expected_kind,
                                                std::string_view passphrase);

}  // namespace hallvote::crypto
