// C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures (type 0x01), and C2SP tlog-cosignature
// Ed25519 cosignatures (type 0x04). Byte-compatible with Go's golang.org/x/mod/sumdb/note.
// Formats: docs/audit-log.md §5–§6.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/signature.h"

namespace hallvote::audit {

inline constexpr std::uint8_t kNoteEd25519 = 0x01;      // signed-note Ed25519 signature over the note text
inline constexpr std::uint8_t kNoteCosignature = 0x04;  // tlog-cosignature/v1 (timestamped Ed25519)
inline constexpr std::size_t kMaxNoteSignatures = 100;  // as Go's note.Open

// key ID = first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ type ‖ 32-byte public key).
[[nodiscard]] std::uint32_t note_key_id(std::string_view name, std::uint8_t type, const crypto::VerifyKey& key);

// A verifier key: a name, a signature type and an Ed25519 public key.
struct NoteKey {
  std::string name;
  std::uint8_t type = kNoteEd25519;
  crypto::VerifyKey key{{}};

  [[nodiscard]] std::uint32_t id() const { return note_key_id(name, type, key); }
  // "<name>+<8 hex digits of id>+<base64(type ‖ public key)>", as Go's note.NewVerifier reads.
  [[nodiscard]] std::string vkey() const;
  // Parses a vkey, checking the name, the type (0x01 or 0x04), the key length and that the id matches.
  // AuditErrc::malformed otherwise.
  [[nodiscard]] static Result<NoteKey> parse(std::string_view vkey);
};

// A valid key name: non-empty UTF-8 without spaces, '+' or control characters.
[[nodiscard]] bool valid_key_name(std::string_view name);

// A signing key in Go's "PRIVATE+KEY+<name>+<id hex>+<base64(0x01 ‖ seed)>" form (used for known answers).
struct NoteSigner {
  std::string name;
  crypto::SigningKey key;
};
[[nodiscard]] Result<NoteSigner> parse_signer_key(std::string_view skey);

// One signature line: "— <name> base64(key id ‖ signature)\n".
struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  crypto::Bytes signature;  // after the key id: 64 bytes (0x01) or 8-byte timestamp ‖ 64 bytes (0x04)
  [[nodiscard]] std::string line() const;
};

struct Note {
  std::string text;  // ends in a newline
  std::vector<NoteSignature> signatures;
  // text ‖ "\n" ‖ each signature line.
  [[nodiscard]] std::string format() const;
};

// Parses a signed note: valid UTF-8, no control characters but newline, text split at the last blank line, at
// least one and at most kMaxNoteSignatures well-formed signature lines. Verifies nothing. AuditErrc::malformed.
[[nodiscard]] Result<Note> parse_note(std::string_view message);

// A type 0x01 signature by `key` under `name` over `text`.
[[nodiscard]] NoteSignature sign_note(std::string_view text, std::string_view name,
                                      const crypto::SigningKey& key);
// A tlog-cosignature/v1 by `key` under `name` over checkpoint `text` at `timestamp` (POSIX seconds).
[[nodiscard]] NoteSignature cosign_note(std::string_view text, std::string_view name,
                                        const crypto::SigningKey& key, std::uint64_t timestamp);

// Ok when `signature` is by `key` (same name and id) and verifies over `text` for the key's type;
// AuditErrc::unknown_key when name or id differ, AuditErrc::invalid_signature when it does not verify.
[[nodiscard]] Status verify_note_signature(std::string_view text, const NoteSignature& signature,
                                           const NoteKey& key);

}  // namespace hallvote::audit
