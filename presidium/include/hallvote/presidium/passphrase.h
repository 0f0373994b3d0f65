// Where a presidium member's key-file passphrase comes from — never the command line, where other users of the
// machine see it (`ps`). In order: --passphrase-file (a file only its owner may read), --passphrase-fd (an open
// file descriptor, e.g. a pipe), the environment variable HALLVOTE_MEMBER_PASSPHRASE (scripts and tests only),
// and otherwise the terminal (/dev/tty, echo off). The passphrase is the first line of what is read, without
// its line ending; an empty one is refused. It is returned as SecretBytes (wiped when dropped); the buffers it
// was read through are wiped too.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/crypto/secret.h"

namespace hallvote::presidium {

// For scripts and tests only: the member's passphrase, when neither a file nor a descriptor is named.
inline constexpr const char* kMemberPassphraseEnv = "HALLVOTE_MEMBER_PASSPHRASE";

struct PassphraseSource {
  std::optional<std::filesystem::path> file;  // --passphrase-file
  std::optional<int> fd;                      // --passphrase-fd
};

// The options that would put a member's passphrase on the command line: --passphrase (removed) and
// --passphrase-prefix (the demo ceremony's only). The first of `args` that is one of them (also as
// "--option=value"), or empty.
[[nodiscard]] std::string_view passphrase_argument(std::span<const std::string_view> args) noexcept;

// The text that refuses such an option, saying what to use instead.
[[nodiscard]] std::string command_line_refusal(std::string_view option);

// The passphrase in the first line of `path`. Refused (std::errc::permission_denied) when the file may be read
// or written by its group or others (any of the mode bits 077), or is not a regular file; errors name the path.
[[nodiscard]] Result<crypto::SecretBytes> read_passphrase_file(const std::filesystem::path& path);

// The passphrase in the first line read from `fd` (read to its end or the first newline; not closed).
[[nodiscard]] Result<crypto::SecretBytes> read_passphrase_fd(int fd);

// Asks on /dev/tty with `prompt` and echo off (restored afterwards, also on error). Fails
// (std::errc::no_such_device) when the process has no terminal.
[[nodiscard]] Result<crypto::SecretBytes> read_passphrase_tty(std::string_view prompt);

// The member's passphrase from the first source present in the order above; `prompt` is shown on the terminal.
// Fails with the source's error, or (std::errc::invalid_argument) saying what to use when there is no terminal.
[[nodiscard]] Result<crypto::SecretBytes> member_passphrase(const PassphraseSource& source,
                                                            std::string_view prompt);

// The passphrase as the key-file layer takes it. Valid while `passphrase` lives.
[[nodiscard]] std::string_view as_text(const crypto::SecretBytes& passphrase) noexcept;

}  // namespace hallvote::presidium
