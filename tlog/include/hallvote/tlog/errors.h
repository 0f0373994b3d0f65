// Error codes of hallvote::audit. Each is a normal, named rejection (of a tampered bundle, a bad proof, a
// failed disk); misuse by our own code aborts instead.
#pragma once

#include <system_error>

namespace hallvote::audit {

enum class AuditErrc {
  malformed = 1,        // bytes or text that do not parse in their documented format (docs/audit-log.md)
  unsupported_version,  // a format version this build does not read
  invalid_proof,        // an inclusion or consistency proof that does not verify
  root_mismatch,        // a stored or signed Merkle root that differs from the one computed from the entries
  chain_broken,         // an entry whose previous-entry hash or sequence number does not follow its predecessor
  invalid_signature,    // an entry signature, checkpoint signature or cosignature that does not verify
  unknown_key,          // a signature by a key (name, key ID) the verifier was not given
  unauthorized_actor,   // an entry signed by a key that was never enrolled for that actor
  invalid_payload,      // an entry payload missing a required field, of the wrong kind, or not canonical JSON
  inconsistent_checkpoint,  // a checkpoint that is not an extension of an earlier one (a fork)
  storage_failed,  // SQLite reported an error (I/O error, disk full, corruption); writing stops until a retry
                   // succeeds
  writer_stopped,  // an append while writing is stopped (an earlier storage failure, retry failed)
  not_found,       // an index or size beyond the log, or nothing stored yet (no key, no checkpoint)
};

const std::error_category& audit_category() noexcept;

inline std::error_code make_error_code(AuditErrc e) noexcept { return {static_cast<int>(e), audit_category()}; }

}  // namespace hallvote::audit

template <>
struct std::is_error_code_enum<hallvote::audit::AuditErrc> : std::true_type {};
