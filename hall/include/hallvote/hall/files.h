// Small file helpers for the hall tools: whole-file reads, atomic writes (a secret file is created 0600 and
// never exists with wider permissions), and the passphrase that seals the hall's keys.
//
// Errors carry std::errc codes and name the path, in Chinese and English. Thread-safe (no shared state).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/key_file.h"
#include "hallvote/crypto/secret.h"

namespace hallvote::setup {

[[nodiscard]] Result<std::string> read_text(const std::filesystem::path& path);
[[nodiscard]] Result<crypto::Bytes> read_bytes(const std::filesystem::path& path);

enum class FileMode { plain /*0644*/, secret /*0600*/ };

// Writes through a temporary file in the same folder (fsync, rename, fsync of the folder), so readers see the
// old or the new file, and the new one survives a crash once this returns.
[[nodiscard]] Status write_file(const std::filesystem::path& path, crypto::ByteView bytes, FileMode mode);
[[nodiscard]] inline Status write_file(const std::filesystem::path& path, std::string_view text,
                                       FileMode mode) {
  return write_file(path, crypto::as_bytes(text), mode);
}

// Removes the file (no error when it does not exist) and syncs its folder, so it stays removed after a crash.
[[nodiscard]] Status remove_file(const std::filesystem::path& path);

// The environment variable read when no --passphrase is given.
inline constexpr const char* kPassphraseEnv = "HALLVOTE_PASSPHRASE";

// `given` if set, else $HALLVOTE_PASSPHRASE; fails (std::errc::invalid_argument) when neither is set or the
// passphrase is empty.
[[nodiscard]] Result<std::string> hall_passphrase(const std::optional<std::string>& given);

// The KDF cost for newly sealed files: moderate, or minimal for tests/demos (`insecure_fast`).
[[nodiscard]] crypto::KdfParams kdf_params(bool insecure_fast);

// Seals `secret` as a key file of `kind` and writes it 0600.
[[nodiscard]] Status write_sealed(const std::filesystem::path& path, std::string_view kind,
                                  crypto::ByteView secret, std::string_view passphrase,
                                  const crypto::KdfParams& params);
// Reads and opens a sealed key file; errors name the file (wrong passphrase, damaged, other kind).
[[nodiscard]] Result<crypto::SecretBytes> read_sealed(const std::filesystem::path& path, std::string_view kind,
                                                      std::string_view passphrase);

}  // namespace hallvote::setup
