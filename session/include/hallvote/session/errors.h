// Error codes of hallvote::session. Each is a normal, named rejection of bad input (a session file, a CSV
// import, a tally that does not fit its ballot) or of a command in the wrong state; misuse aborts instead.
// The category's messages are Chinese first, then English ("会议定义有误 / invalid session definition").
#pragma once

#include <system_error>

namespace hallvote::session {

enum class SessionErrc {
  // --- loading a session definition (docs/session-format.md) ---
  unreadable_file = 1,         // a session or CSV file that cannot be opened or read
  invalid_utf8,                // a line that is not valid UTF-8
  toml_syntax,                 // the TOML parser rejected the file
  input_limit,                 // a file, line, dotted key or nesting beyond the loader's limits (loader.h)
  unsupported_format_version,  // format_version missing or not one this build reads (1)
  missing_field,               // a required field is absent or empty
  wrong_type,                  // a field of the wrong TOML type (e.g. a string where a number belongs)
  unknown_field,               // a field this format does not define (usually a typo)
  invalid_value,               // a value outside its domain (unknown kind, negative budget, bad fraction…)
  duplicate_id,                // two deputies, officials, projects, motions or votes share an id
  unknown_reference,           // an id that names nothing (a vote item, an official's deputy id)
  invalid_limit,               // N > M, N = 0, minimum > N, "at most k 满意" > number of projects
  missing_credential_key,      // a deputy or official without a public key
  invalid_credential_key,      // a public key that is not 64 hex characters (32 bytes)
  duplicate_credential_key,    // two holders share one public key
  impossible_quorum,           // key committee quorum k = 0 or k > n
  empty_list,                  // a roster, committee, item list… that must not be empty
  csv_syntax,                  // a CSV line that does not parse (unterminated quote, wrong field count)
  csv_missing_column,          // a required column is absent from the CSV header
  csv_unknown_column,          // a CSV header this import does not know
  invalid_definition,          // summary of a failed load: the detail lists every problem found
  // --- state machines ---
  illegal_transition,    // a state change the machine does not allow; nothing changed
  quorum_not_met,        // the session cannot start: fewer present than the quorum
  not_enough_approvals,  // a ballot definition approved by fewer than k distinct presidium members
  unknown_signer,        // an approval by someone who is not on the key committee
  // --- results ---
  unknown_vote,         // a vote id not in the session definition
  inconsistent_counts,  // a tally that cannot be right (valid + void ≠ returned, a total > valid…)
  unexpected_round,     // a tally for a round the rules do not call for (the vote is already decided)
  invalid_decision,     // a presidium decision that does not fit the round it names (rules.h)
};

const std::error_category& session_category() noexcept;

inline std::error_code make_error_code(SessionErrc e) noexcept {
  return {static_cast<int>(e), session_category()};
}

}  // namespace hallvote::session

template <>
struct std::is_error_code_enum<hallvote::session::SessionErrc> : std::true_type {};
