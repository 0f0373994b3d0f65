#include "hallvote/tlog/checkpoint.h"

#include <algorithm>

#include "base64.h"
#include "hallvote/tlog/errors.h"

namespace hallvote::audit {
namespace {

constexpr std::string_view kProofHeader = "c2sp.org/tlog-proof@v1";

// Splits "a\nb\n" into {"a","b"}; fails unless the text ends in a newline.
Result<std::vector<std::string_view>> lines_of(std::string_view text, std::string_view what) {
  if (text.empty() || text.back() != '\n')
    return fail(AuditErrc::malformed, std::string(what) + ": must end in a newline");
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    out.push_back(text.substr(0, eol));
    text.remove_prefix(eol + 1);
  }
  return out;
}

Result<std::uint64_t> parse_decimal(std::string_view s, std::string_view what) {
  if (s.empty() || s.size() > 19 || (s.size() > 1 && s[0] == '0') ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return fail(AuditErrc::malformed, std::string(what) + ": expected a decimal number without leading zeros");
  }
  return std::stoull(std::string(s));
}

Result<Hash> parse_hash(std::string_view s, std::string_view what) {
  auto bytes = base64_decode(s);
  if (!bytes || bytes->size() != 32)
    return fail(AuditErrc::malformed, std::string(what) + ": expected base64 of 32 bytes");
  Hash h{};
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

}  // namespace

std::string Checkpoint::text() const {
  return origin + "\n" + std::to_string(size) + "\n" + base64_encode(root) + "\n";
}

Result<Checkpoint> Checkpoint::parse(std::string_view text) {
  auto lines = lines_of(text, "checkpoint");
  if (!lines) return forward(lines.error());
  if (lines->size() != 3)
    return fail(AuditErrc::malformed, "checkpoint: expected origin, size and root lines only");
  Checkpoint c;
  c.origin = std::string((*lines)[0]);
  if (c.origin.empty()) return fail(AuditErrc::malformed, "checkpoint origin: empty");
  auto size = parse_decimal((*lines)[1], "checkpoint size");
  if (!size) return forward(size.error());
  c.size = *size;
  auto root = parse_hash((*lines)[2], "checkpoint root");
  if (!root) return forward(root.error());
  c.root = *root;
  return c;
}

Result<VerifiedCheckpoint> verify_checkpoint_note(std::string_view note_text, const NoteKey& log_key,
                                                  const std::vector<NoteKey>& cosigners) {
  auto note = parse_note(note_text);
  if (!note) return forward(note.error());
  auto checkpoint = Checkpoint::parse(note->text);
  if (!checkpoint) return forward(checkpoint.error());
  if (checkpoint->origin != log_key.name) {
    return fail(AuditErrc::malformed, "checkpoint origin \"" + checkpoint->origin + "\" is not the log's");
  }
  VerifiedCheckpoint out{*checkpoint, *note, {}};
  bool log_signed = false;
  for (const NoteSignature& sig : note->signatures) {
    const NoteKey* key = nullptr;
    if (sig.name == log_key.name && sig.key_id == log_key.id()) key = &log_key;
    for (const NoteKey& c : cosigners) {
      if (sig.name == c.name && sig.key_id == c.id()) key = &c;
    }
    if (key == nullptr)
      return fail(AuditErrc::unknown_key, "checkpoint signature line by unknown key " + sig.name);
    if (auto ok = verify_note_signature(note->text, sig, *key); !ok) return forward(ok.error());
    if (key == &log_key) {
      if (log_signed) return fail(AuditErrc::malformed, "checkpoint signed twice by the log key");
      log_signed = true;
    } else {
      if (std::find(out.cosigned_by.begin(), out.cosigned_by.end(), key->name) != out.cosigned_by.end()) {
        return fail(AuditErrc::malformed, "checkpoint cosigned twice by " + key->name);
      }
      out.cosigned_by.push_back(key->name);
    }
  }
  if (!log_signed) return fail(AuditErrc::invalid_signature, "checkpoint lacks the log's signature");
  return out;
}

std::string Receipt::format() const {
  std::string out =
      std::string(kProofHeader) + "\nextra " + base64_encode(entry) + "\nindex " + std::to_string(index) + "\n";
  for (const Hash& h : proof) out += base64_encode(h) + "\n";
  return out + "\n" + checkpoint_note;
}

Result<Receipt> Receipt::parse(std::string_view text) {
  Receipt r;
  const std::size_t blank = text.find("\n\n");
  if (blank == std::string_view::npos)
    return fail(AuditErrc::malformed, "receipt: no blank line before the checkpoint");
  auto lines = lines_of(text.substr(0, blank + 1), "receipt");
  if (!lines) return forward(lines.error());
  r.checkpoint_note = std::string(text.substr(blank + 2));
  if (lines->size() < 3 || (*lines)[0] != kProofHeader)
    return fail(AuditErrc::malformed, "receipt: expected c2sp.org/tlog-proof@v1");
  if ((*lines)[1].substr(0, 6) != "extra ")
    return fail(AuditErrc::malformed, "receipt: expected the extra line (entry bytes)");
  auto entry = base64_decode((*lines)[1].substr(6));
  if (!entry) return fail(AuditErrc::malformed, "receipt extra: not base64");
  r.entry = std::move(*entry);
  if ((*lines)[2].substr(0, 6) != "index ")
    return fail(AuditErrc::malformed, "receipt: expected the index line");
  auto index = parse_decimal((*lines)[2].substr(6), "receipt index");
  if (!index) return forward(index.error());
  r.index = *index;
  for (std::size_t i = 3; i < lines->size(); ++i) {
    auto h = parse_hash((*lines)[i], "receipt proof line " + std::to_string(i - 2));
    if (!h) return forward(h.error());
    r.proof.push_back(*h);
  }
  return r;
}

Result<VerifiedCheckpoint> verify_receipt(const Receipt& receipt, const NoteKey& log_key,
                                          const std::vector<NoteKey>& cosigners) {
  auto checkpoint = verify_checkpoint_note(receipt.checkpoint_note, log_key, cosigners);
  if (!checkpoint) return forward(checkpoint.error());
  if (auto ok = verify_inclusion(leaf_hash(receipt.entry), receipt.index, checkpoint->checkpoint.size,
                                 receipt.proof, checkpoint->checkpoint.root);
      !ok) {
    return forward(ok.error());
  }
  return checkpoint;
}

Status check_extends(const Checkpoint& held, const Checkpoint& next, const std::vector<Hash>& proof) {
  if (next.origin != held.origin)
    return fail(AuditErrc::inconsistent_checkpoint, "another log: " + next.origin);
  if (next.size < held.size) {
    return fail(AuditErrc::inconsistent_checkpoint, "the new checkpoint has " + std::to_string(next.size) +
                                                        " entries, fewer than " + std::to_string(held.size));
  }
  if (next.size == held.size) {
    if (next.root != held.root) return fail(AuditErrc::inconsistent_checkpoint, "same size, another root");
    return {};
  }
  if (auto ok = verify_consistency(held.size, next.size, held.root, next.root, proof); !ok) {
    return fail(AuditErrc::inconsistent_checkpoint,
                "the consistency proof does not verify: " + ok.error().message());
  }
  return {};
}

}  // namespace hallvote::audit
