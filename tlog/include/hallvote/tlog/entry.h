// One audit-log entry and its exact canonical bytes (format version 2, docs/audit-log.md §2). What is signed
// and hashed is what is stored: the bytes, never a re-encoding.
#pragma once

#include <cstdint>
#include <string>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/tlog/entry_types.h"
#include "hallvote/tlog/merkle.h"

namespace hallvote::audit {

inline constexpr std::uint8_t kEntryFormatVersion = 2;
inline constexpr std::size_t kMaxActorSize = 255;
inline constexpr std::size_t kMaxPayloadSize = 1u << 20;

struct Entry {
  EntryType type = EntryType::session_opened;
  std::uint64_t sequence = 0;       // 0-based position in the log (= Merkle leaf index)
  std::int64_t time_ms = 0;         // milliseconds since the Unix epoch (UTC), from the log's injected clock
  std::string actor;                // who appended it: "server", "terminal/<id>", an official's name
  crypto::VerifyKey actor_key{{}};  // the actor's Ed25519 key; it signs the entry
  std::string payload;              // canonical JSON (entry_types.h)
  Hash previous{};                  // entry_hash() of the entry before; all zero for sequence 0
  crypto::Signature signature{};    // actor's signature over signed_part(encode(entry))
};

// The canonical bytes. Aborts (misuse) if actor or payload exceed their limits.
[[nodiscard]] crypto::Bytes encode(const Entry& entry);
// The bytes the actor signs: all of the canonical bytes except the final 64-byte signature.
[[nodiscard]] crypto::ByteView signed_part(crypto::ByteView canonical);
// Parses canonical bytes, checking lengths and field encodings (not the signature, chain or payload schema).
// AuditErrc::malformed or unsupported_version, naming the field ("actor: length 300 exceeds 255").
[[nodiscard]] Result<Entry> decode(crypto::ByteView canonical);
// The chain hash: SHA-256 of the canonical bytes (entry n+1 stores it as `previous`).
[[nodiscard]] Hash entry_hash(crypto::ByteView canonical);
// Fills in `signature` by signing with `key` (whose public key must be entry.actor_key).
void sign_entry(Entry& entry, const crypto::SigningKey& key);

}  // namespace hallvote::audit
