// Error codes of hallvote::vote_audit: why a vote-level check (docs/crypto.md §13) rejected a bundle. Each is a
// normal, named rejection of hostile or inconsistent input; misuse by our own code aborts instead. The detail
// names the entry, the field and the values compared, Chinese first, then English.
#pragma once

#include <system_error>

namespace hallvote::vote_audit {

enum class VoteAuditErrc {
  missing_session = 1,  // entry 0 is not a session_opened entry carrying the session record (an older log), or
                        // the record does not read back as a session definition
  malformed,            // a payload field a check reads is missing, of the wrong kind or out of its range
  unknown_name,         // a vote, deputy, official or trustee that the session does not have
  out_of_order,         // an entry that the session's or the round's state does not allow at that point
  invalid_signature,    // a card, approval or certification signature that does not verify
  invalid_proof,        // ballot proofs or decryption-share proofs that do not verify
  mismatch,             // a value the verifier recomputes differs from the value the log records
  duplicate,            // a second ballot, issue, share or certification where only one is allowed
  records_differ,       // the records regenerated from the log differ from the files given
  records_unavailable,  // the records cannot be regenerated from the log, or the directory cannot be read
};

const std::error_category& vote_audit_category() noexcept;

inline std::error_code make_error_code(VoteAuditErrc e) noexcept {
  return {static_cast<int>(e), vote_audit_category()};
}

}  // namespace hallvote::vote_audit

template <>
struct std::is_error_code_enum<hallvote::vote_audit::VoteAuditErrc> : std::true_type {};
