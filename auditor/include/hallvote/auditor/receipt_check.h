// Checking a deputy's receipt (a c2sp.org/tlog-proof, docs/audit-log.md §7) against a bundle or session
// database in O(log n) signature and proof work: the receipt's inclusion proof under its server-signed
// checkpoint, the entry at that index in the log, and the consistency of the receipt's checkpoint with the
// log's latest signed checkpoint (from the log's leaf hashes; the entries' contents and signatures are not
// re-verified — that is `verify`). Reports what the receipt is for (deputy, vote, round, entry, confirmation
// code) and how far the checkpoint that covers it is cosigned: missing cosignatures are a status, not a
// failure; a cosignature that does not verify is a failure. Rendered for people (Chinese first, then English)
// and as JSON (docs §11).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/auditor/log_verifier.h"
#include "hallvote/tlog/bundle.h"

namespace hallvote::audit {

struct ReceiptReport {
  // What the receipt is for (when it parsed; the ballot fields only for a ballot_cast entry).
  std::optional<std::uint64_t> index;
  std::string entry_type;  // "ballot_cast", …
  std::string deputy_id;
  std::string vote_id;
  std::optional<std::uint32_t> round;
  std::string terminal_id;
  std::string confirmation_code;  // XXXX-XXXX-XXXX-XXXX, from the entry's ballot_hash (docs/protocol.md §6.8)

  std::uint64_t checkpoint_size = 0;     // the receipt's checkpoint
  std::uint64_t latest_size = 0;         // the log's latest signed checkpoint, consistent with the receipt's
  std::uint64_t cosigned_size = 0;       // the checkpoint whose cosignatures are counted (the better cosigned)
  std::vector<std::string> cosigned_by;  // cosigners whose cosignature on it verified
  std::size_t cosigners = 0;             // cosigners the log lists
  std::optional<Failure> failure;        // receipt.format, receipt.proof, receipt.entry, receipt.consistency

  [[nodiscard]] bool ok() const { return !failure.has_value(); }
  [[nodiscard]] bool fully_cosigned() const { return cosigned_by.size() == cosigners; }
};

// Checks `receipt_text` against `bundle` (docs/audit-log.md §7, §11): receipt.format (it parses); receipt.proof
// (its checkpoint is signed by the log key, any cosignature on it is by a listed cosigner and verifies, and the
// inclusion proof puts the entry at its index under the checkpoint's root); receipt.entry (the log's entry at
// that index has the same bytes); receipt.consistency (the log's latest checkpoint verifies, its size is at
// least the receipt's, the log's leaves hash to its root, and a consistency proof from the receipt's checkpoint
// to it verifies).
[[nodiscard]] ReceiptReport check_receipt(std::string_view receipt_text, const Bundle& bundle);

// Lines for people: the result, the deputy, the vote and round, the entry, the confirmation code, the
// checkpoints and the cosignature status ("尚未联署 k/n / not yet cosigned"), or the failure.
[[nodiscard]] std::string render_text(const ReceiptReport& report, const std::string& receipt_name,
                                      const std::string& input_name);
// {"receipt","input","ok","index","entry_type","deputy_id","vote_id","round","terminal_id","confirmation_code",
//  "checkpoint_size","latest_size","cosigned","cosigned_size","cosigned_by","cosigners","failure"?}.
[[nodiscard]] std::string render_json(const ReceiptReport& report, const std::string& receipt_name,
                                      const std::string& input_name);

}  // namespace hallvote::audit
