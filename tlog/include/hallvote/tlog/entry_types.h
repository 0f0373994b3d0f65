// The log's entry types and their payload check. The vocabulary itself — one typed event per entry type, with
// its encoder and decoder — is protocol/events.h; the log names it here so that log code reads as log code.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/protocol/events.h"

namespace hallvote::audit {

using protocol::entry_type_name;
using protocol::EntryType;
using protocol::kFirstEntryType;
using protocol::kLastEntryType;

// Ok when `payload` decodes as an event of `type` (protocol::decode: canonical JSON, every field of the
// type's list present with the right kind, no other field); otherwise AuditErrc::invalid_payload naming the
// field ("payload.ballot_hash: expected 64 hex digits").
[[nodiscard]] Status check_payload(EntryType type, std::string_view payload);

}  // namespace hallvote::audit
