#include "hallvote/tlog/note.h"

#include <algorithm>

#include "base64.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/tlog/errors.h"

namespace hallvote::audit {
namespace {

constexpr std::string_view kEmDash = "\xE2\x80\x94";  // U+2014
constexpr std::size_t kEd25519Size = 64;

// Strict UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string hex8(std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
  return out;
}

Result<std::uint32_t> parse_hex8(std::string_view s) {
  if (s.size() != 8) return fail(AuditErrc::malformed, "key id: expected 8 hex digits");
  std::uint32_t v = 0;
  for (char c : s) {
    std::uint32_t d = 0;
    if (c >= '0' && c <= '9')
      d = static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = static_cast<std::uint32_t>(c - 'a' + 10);
    else
      return fail(AuditErrc::malformed, "key id: expected lower-case hex");
    v = (v << 4) | d;
  }
  return v;
}

// Splits at '+' into at most `max_parts` parts (the last part, base64, may itself contain '+').
std::vector<std::string_view> split_plus(std::string_view s, std::size_t max_parts) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t pos; out.size() + 1 < max_parts && (pos = s.find('+', start)) != std::string_view::npos;
       start = pos + 1) {
    out.push_back(s.substr(start, pos - start));
  }
  out.push_back(s.substr(start));
  return out;
}

std::string cosigned_message(std::string_view text, std::uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(text);
}

}  // namespace

bool valid_key_name(std::string_view name) {
  if (name.empty() || !valid_utf8(name)) return false;
  return std::none_of(name.begin(), name.end(),
                      [](char c) {
                        return c == '+' || c == ' ' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                      }) &&
         name.find("\xE3\x80\x80") == std::string_view::npos;  // U+3000 ideographic space
}

std::uint32_t note_key_id(std::string_view name, std::uint8_t type, const crypto::VerifyKey& key) {
  crypto::Sha256 h;
  h.update(crypto::as_bytes(name));
  h.update(std::uint8_t{'\n'});
  h.update(type);
  h.update(key.bytes());
  const auto d = h.finish();
  return (std::uint32_t{d[0]} << 24) | (std::uint32_t{d[1]} << 16) | (std::uint32_t{d[2]} << 8) | d[3];
}

std::string NoteKey::vkey() const {
  crypto::Bytes material{type};
  material.insert(material.end(), key.bytes().begin(), key.bytes().end());
  return name + "+" + hex8(id()) + "+" + base64_encode(material);
}

Result<NoteKey> NoteKey::parse(std::string_view vkey) {
  const auto parts = split_plus(vkey, 3);
  if (parts.size() != 3 || !valid_key_name(parts[0]))
    return fail(AuditErrc::malformed, "vkey: expected name+id+key");
  auto id = parse_hex8(parts[1]);
  if (!id) return forward(id.error());
  auto material = base64_decode(parts[2]);
  if (!material) return fail(AuditErrc::malformed, "vkey: key is not base64");
  if (material->size() != 33 || ((*material)[0] != kNoteEd25519 && (*material)[0] != kNoteCosignature)) {
    return fail(AuditErrc::malformed, "vkey: expected type 0x01 or 0x04 and a 32-byte Ed25519 key");
  }
  std::array<std::uint8_t, 32> pub{};
  std::copy(material->begin() + 1, material->end(), pub.begin());
  NoteKey key{std::string(parts[0]), (*material)[0], crypto::VerifyKey(pub)};
  if (key.id() != *id) return fail(AuditErrc::malformed, "vkey: key id does not match name and key");
  return key;
}

Result<NoteSigner> parse_signer_key(std::string_view skey) {
  const auto parts = split_plus(skey, 5);
  if (parts.size() != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" || !valid_key_name(parts[2])) {
    return fail(AuditErrc::malformed, "signer key: expected PRIVATE+KEY+name+id+key");
  }
  auto id = parse_hex8(parts[3]);
  if (!id) return forward(id.error());
  auto material = base64_decode(parts[4]);
  if (!material || material->size() != 33 || (*material)[0] != kNoteEd25519) {
    return fail(AuditErrc::malformed, "signer key: expected base64 of 0x01 and a 32-byte seed");
  }
  crypto::SecretArray<32> seed;
  std::copy(material->begin() + 1, material->end(), seed.mutable_bytes().begin());
  crypto::secure_wipe(*material);
  NoteSigner signer{std::string(parts[2]), crypto::SigningKey::from_seed(seed)};
  if (note_key_id(signer.name, kNoteEd25519, signer.key.verify_key()) != *id) {
    return fail(AuditErrc::malformed, "signer key: key id does not match name and key");
  }
  return signer;
}

std::string NoteSignature::line() const {
  crypto::Bytes bytes;
  crypto::append_u32_be(bytes, key_id);
  bytes.insert(bytes.end(), signature.begin(), signature.end());
  return std::string(kEmDash) + " " + name + " " + base64_encode(bytes) + "\n";
}

std::string Note::format() const {
  std::string out = text + "\n";
  for (const auto& s : signatures) out += s.line();
  return out;
}

Result<Note> parse_note(std::string_view message) {
  if (!valid_utf8(message)) return fail(AuditErrc::malformed, "note: not valid UTF-8");
  for (char c : message) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n')
      return fail(AuditErrc::malformed, "note: control character");
  }
  const std::size_t split = message.rfind("\n\n");
  if (split == std::string_view::npos)
    return fail(AuditErrc::malformed, "note: no blank line before signatures");
  Note note;
  note.text = std::string(message.substr(0, split + 1));
  std::string_view sigs = message.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n')
    return fail(AuditErrc::malformed, "note: signatures must end in a newline");
  while (!sigs.empty()) {
    const std::size_t eol = sigs.find('\n');
    std::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (line.substr(0, kEmDash.size() + 1) != std::string(kEmDash) + " ") {
      return fail(AuditErrc::malformed, "note: signature line must start with \"— \"");
    }
    line.remove_prefix(kEmDash.size() + 1);
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos)
      return fail(AuditErrc::malformed, "note: signature line without signature");
    NoteSignature sig;
    sig.name = std::string(line.substr(0, space));
    if (!valid_key_name(sig.name))
      return fail(AuditErrc::malformed, "note: invalid key name in signature line");
    auto bytes = base64_decode(line.substr(space + 1));
    if (!bytes || bytes->size() < 5)
      return fail(AuditErrc::malformed, "note: signature is not base64 of id ‖ sig");
    sig.key_id = (std::uint32_t{(*bytes)[0]} << 24) | (std::uint32_t{(*bytes)[1]} << 16) |
                 (std::uint32_t{(*bytes)[2]} << 8) | (*bytes)[3];
    sig.signature.assign(bytes->begin() + 4, bytes->end());
    note.signatures.push_back(std::move(sig));
    if (note.signatures.size() > kMaxNoteSignatures)
      return fail(AuditErrc::malformed, "note: too many signatures");
  }
  return note;
}

NoteSignature sign_note(std::string_view text, std::string_view name, const crypto::SigningKey& key) {
  const auto sig = key.sign(crypto::as_bytes(text));
  return {std::string(name), note_key_id(name, kNoteEd25519, key.verify_key()),
          crypto::Bytes(sig.begin(), sig.end())};
}

NoteSignature cosign_note(std::string_view text, std::string_view name, const crypto::SigningKey& key,
                          std::uint64_t timestamp) {
  const auto sig = key.sign(crypto::as_bytes(cosigned_message(text, timestamp)));
  crypto::Bytes bytes;
  crypto::append_u64_be(bytes, timestamp);
  bytes.insert(bytes.end(), sig.begin(), sig.end());
  return {std::string(name), note_key_id(name, kNoteCosignature, key.verify_key()), std::move(bytes)};
}

Status verify_note_signature(std::string_view text, const NoteSignature& signature, const NoteKey& key) {
  if (signature.name != key.name || signature.key_id != key.id()) {
    return fail(AuditErrc::unknown_key, "signature by " + signature.name + "+" + hex8(signature.key_id));
  }
  crypto::Signature sig{};
  std::string message;
  if (key.type == kNoteEd25519) {
    if (signature.signature.size() != kEd25519Size)
      return fail(AuditErrc::invalid_signature, key.name + ": wrong length");
    std::copy(signature.signature.begin(), signature.signature.end(), sig.begin());
    message = std::string(text);
  } else {
    if (signature.signature.size() != 8 + kEd25519Size) {
      return fail(AuditErrc::invalid_signature, key.name + ": wrong cosignature length");
    }
    std::uint64_t timestamp = 0;
    for (std::size_t i = 0; i < 8; ++i) timestamp = (timestamp << 8) | signature.signature[i];
    if (timestamp > static_cast<std::uint64_t>(INT64_MAX))
      return fail(AuditErrc::invalid_signature, "timestamp ≥ 2^63");
    std::copy(signature.signature.begin() + 8, signature.signature.end(), sig.begin());
    message = cosigned_message(text, timestamp);
  }
  if (!key.key.verify(crypto::as_bytes(message), sig)) {
    return fail(AuditErrc::invalid_signature, "signature by " + key.name + " does not verify");
  }
  return {};
}

}  // namespace hallvote::audit
