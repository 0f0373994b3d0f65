// The export bundle: a self-contained text file holding the log's public keys, every entry up to the latest
// signed checkpoint, and every checkpoint with its cosignatures. Format: docs/audit-log.md §8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/tlog/note.h"

namespace hallvote::audit {

inline constexpr std::string_view kBundleHeader = "hallvote-audit-bundle/v2";

struct Bundle {
  NoteKey log_key;                       // the server's checkpoint key; its name is the log origin
  std::vector<NoteKey> cosigners;        // presidium members' and scrutineers' cosigning keys (type 0x04)
  std::vector<crypto::Bytes> entries;    // canonical entry bytes, sequence 0 first
  std::vector<std::string> checkpoints;  // signed checkpoint notes, strictly increasing size

  [[nodiscard]] std::string serialize() const;
};

// Where a bundle failed to parse: the 1-based line and what was expected there.
struct BundleParseError {
  std::uint64_t line = 0;
  Error error;
};

// Parses strictly (every byte has one meaning: canonical base64, exact counts, no trailing data).
[[nodiscard]] tl::expected<Bundle, BundleParseError> parse_bundle(std::string_view text);

}  // namespace hallvote::audit
