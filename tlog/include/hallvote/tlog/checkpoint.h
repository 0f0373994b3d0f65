// C2SP tlog-checkpoint note text (origin, tree size, base64 root) and C2SP tlog-proof receipts.
// Formats: docs/audit-log.md §5 and §7.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/tlog/merkle.h"
#include "hallvote/tlog/note.h"

namespace hallvote::audit {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};

  // "<origin>\n<size>\n<base64 root>\n".
  [[nodiscard]] std::string text() const;
  // Parses exactly three lines (hallvote writes no extension lines and rejects them). AuditErrc::malformed.
  [[nodiscard]] static Result<Checkpoint> parse(std::string_view text);
};

// Whether `next` extends `held` — the same log, neither rolled back nor forked: the same size and root, or a
// larger size and `proof`, the consistency proof between the two, verifying (RFC 9162 §2.1.4.2). Else
// AuditErrc::inconsistent_checkpoint, saying why in English. What a terminal checks of each receipt and a
// cosigner of each checkpoint (docs/protocol.md §4.2.5, §4.5.7).
[[nodiscard]] Status check_extends(const Checkpoint& held, const Checkpoint& next,
                                   const std::vector<Hash>& proof);

// A checkpoint note checked against the log key: parsed, every signature line by `log_key` or one of
// `cosigners` verifies, the log key's signature is present, and the origin matches. Unknown signature lines are
// rejected (a bundle carries only signatures it can check), with AuditErrc::unknown_key.
struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  Note note;
  std::vector<std::string> cosigned_by;  // names of cosigners whose signatures verified
};
[[nodiscard]] Result<VerifiedCheckpoint> verify_checkpoint_note(std::string_view note_text,
                                                                const NoteKey& log_key,
                                                                const std::vector<NoteKey>& cosigners);

// A receipt in the C2SP tlog-proof format: "c2sp.org/tlog-proof@v1", "extra <base64 canonical entry bytes>",
// "index <n>", the inclusion proof (one base64 hash per line), a blank line, the signed checkpoint note.
struct Receipt {
  crypto::Bytes entry;  // the extra data: the entry's canonical bytes (so the receipt stands alone)
  std::uint64_t index = 0;
  std::vector<Hash> proof;
  std::string checkpoint_note;

  [[nodiscard]] std::string format() const;
  [[nodiscard]] static Result<Receipt> parse(std::string_view text);
};

// Ok when the receipt's checkpoint is signed by `log_key` (cosignatures by `cosigners` also checked) and the
// inclusion proof places the entry at `index` under the checkpoint's root. Returns the verified checkpoint.
[[nodiscard]] Result<VerifiedCheckpoint> verify_receipt(const Receipt& receipt, const NoteKey& log_key,
                                                        const std::vector<NoteKey>& cosigners);

}  // namespace hallvote::audit
