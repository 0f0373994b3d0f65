// Error codes of hallvote::records. Each is a normal, named rejection of a log that cannot yield the resolution
// records (a malformed result entry, a certification of nothing, no covering checkpoint) or a failure to write
// them; misuse by our own code aborts instead. The detail of every error names the entry sequence and field
// ("entry 812 (result): payload.outcome.items[3].totals: expected an array of counts").
// Messages are Chinese first, then English. Format of the records: docs/records.md.
#pragma once

#include <system_error>

namespace hallvote::records {

enum class RecordsErrc {
  malformed_payload = 1,   // a result, vote_closed or certification payload that is not JSON, lacks a field or
                           // holds a field of the wrong kind
  out_of_order,            // log entries not in strictly increasing sequence order
  unknown_vote,            // a vote id that the session definition does not have
  unknown_item,            // an item id (in an outcome's items or adopted list) that is not an item of the vote
  unknown_official,        // a certifier that is not a member of the key committee
  role_mismatch,           // a certification whose role differs from the certifier's role in the session
  inconsistent_outcome,    // an outcome that does not fit its vote (wrong number of totals, valid + invalid ≠
                           // returned, a round number out of sequence, a round with no closing entry)
  orphan_certification,    // a certification for a round that has no result entry before it
  certification_mismatch,  // a certification whose result_sequence or result_hash is not that of the round's
                           // result
  bad_checkpoint,     // a checkpoint note that does not parse (c2sp signed note, three-line checkpoint text)
  not_checkpointed,   // no checkpoint note covers the last certification included in the records
  nothing_certified,  // no vote is both decided and certified: there is nothing to record
  font_unavailable,   // a record font is missing (Fandol: texlive-lang-chinese; Noto Sans: fonts-noto-cjk)
  render_failed,      // Cairo, Pango or libqrencode reported an error while typesetting a PDF
  invalid_file_name,  // a record file name that is empty, has a '/' or is "." or ".."
  io_error,           // a record file or its directory could not be created, written, synced or renamed
  missing_session,    // entry 0 of the log is not a session_opened the session definition can be rebuilt from
};

const std::error_category& records_category() noexcept;

inline std::error_code make_error_code(RecordsErrc e) noexcept {
  return {static_cast<int>(e), records_category()};
}

}  // namespace hallvote::records

template <>
struct std::is_error_code_enum<hallvote::records::RecordsErrc> : std::true_type {};
