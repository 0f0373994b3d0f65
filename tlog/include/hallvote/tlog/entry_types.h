// The registry of audit-log entry types and the payload schema of each (docs/audit-log.md §3).
// Payloads are canonical JSON objects: UTF-8, no insignificant whitespace, keys sorted by byte value, integers
// only, exactly as nlohmann::json::dump() writes an object parsed from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "hallvote/common/result.h"

namespace hallvote::audit {

// Wire values are part of format version 1 and never change meaning.
enum class EntryType : std::uint16_t {
  session_opened = 1,
  terminal_enrolled = 2,
  deputy_signed_in = 3,
  vote_opened = 4,
  ballot_approved = 5,
  ballot_issued = 6,
  ballot_cast = 7,
  cast_rejected = 8,
  vote_held = 9,
  vote_resumed = 10,
  vote_closed = 11,
  tally = 12,
  decryption_share = 13,
  result = 14,
  certification = 15,
  checkpoint_cosigned = 16,
  session_closed = 17,
  sign_in_opened = 18,
  session_started = 19,
  ballot_prepared = 20,
};

inline constexpr std::uint16_t kFirstEntryType = 1;
inline constexpr std::uint16_t kLastEntryType = 20;

// The registry name ("ballot_cast"), or nullopt for a value outside the registry.
[[nodiscard]] std::optional<std::string_view> entry_type_name(std::uint16_t wire_value);

// Ok when `payload` is canonical JSON holding every required field of `type` with the right kind; otherwise
// AuditErrc::invalid_payload naming the field ("payload.ballot_hash: expected 64 lower-case hex digits").
// Fields beyond the required ones are allowed (later format revisions add them).
[[nodiscard]] Status check_payload(EntryType type, std::string_view payload);

}  // namespace hallvote::audit
