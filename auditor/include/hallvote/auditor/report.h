// What the vote-level verifier found: the checks of docs/crypto.md §13 (stable ids and numbers), per vote and
// round what was verified and recounted, and the first failure. Rendered for people (Chinese first, then
// English) and for machines (the "votes" part of `hallvote-audit verify --json`, docs/audit-log.md §11).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"

namespace hallvote::vote_audit {

// One vote-level check: its stable id ("ballot.proofs"), its number in docs/crypto.md §13 ("13.7") and its
// name.
struct CheckInfo {
  std::string_view id;
  std::string_view number;
  std::string_view name_zh;
  std::string_view name_en;
};

// Every check, in the order of docs/crypto.md §13.
[[nodiscard]] std::span<const CheckInfo> vote_checks() noexcept;
// The check with this id, or nullptr.
[[nodiscard]] const CheckInfo* find_check(std::string_view id) noexcept;

// The first check that failed, where, and why.
struct VoteFailure {
  std::string check;                   // stable id, e.g. "ballot.proofs"
  std::string number;                  // its number in docs/crypto.md §13, e.g. "13.7"
  std::optional<std::uint64_t> entry;  // sequence of the entry that failed, when the failure is in an entry
  std::string vote_id;                 // the vote, when the failure is in one
  std::optional<std::uint32_t> round;  // its round, when known
  std::string field;  // e.g. "payload.ballot", "payload.outcome.totals[0][2]", a record file name
  Error error;
};

// One round as the verifier recounted it. Counts are the verifier's own (from the entries), not the server's.
struct RoundSummary {
  std::uint32_t number = 1;
  std::string state;            // the last state reached: drafted, approved, open, held, closed, tallied,
                                // decrypted or certified (session/lifecycle.h names)
  std::uint32_t approvals = 0;  // distinct key-committee approvals of the ballot definition
  std::uint32_t in_office = 0;  // 应到
  std::uint32_t present = 0;    // 实到 when the round closed (0 before)
  std::uint32_t issued = 0;     // 发出: deputies issued this round's ballot
  std::uint32_t returned = 0;   // 收回: deputies with a counted ballot
  std::uint32_t valid = 0;      // 有效: counted ballots whose signature and proofs verified
  std::uint32_t invalid = 0;    // 无效
  std::uint32_t no_ballot = 0;  // 未按 = 发出 − 收回
  std::uint64_t ballots_verified = 0;  // ballot_cast entries verified (replaced ballots included)
  std::uint64_t rejected = 0;          // cast_rejected entries (informative: refusals the server logged)
  std::uint64_t challenged = 0;        // ballot_challenged entries verified (核验, never counted)
  bool tallied = false;                // the tally entry was recomputed
  std::vector<std::string> shares;     // trustees (official ids) whose decryption shares verified, in log order
  std::vector<std::string> decrypted_by;  // the trustees whose shares were combined
  std::vector<std::vector<std::uint32_t>>
      totals;                             // the verifier's decrypted counts, per contest, per selection
  bool result_checked = false;            // the result entry was recomputed with the rules engine
  std::vector<std::string> certified_by;  // officials whose certification verified, in log order
  bool certified = false;
};

struct VoteSummary {
  std::string vote_id;
  std::string title;
  std::string kind;  // "choose", "per_item", "satisfaction"
  std::vector<RoundSummary> rounds;
};

// The records comparison of check records.match (docs/crypto.md §13).
struct RecordsSummary {
  std::string directory;
  std::vector<std::string> matched;  // file names equal byte for byte
};

// Entry 0's card list (docs/cards.md §4), as checked.
struct CardListSummary {
  std::string issuer;         // the issuing office's public key, hex
  bool demo = false;          // simulated cards from a seed: a demo or test hall, not a real session
  bool issuer_given = false;  // the issuer was compared with --card-issuer (else only its signature checked)
};

// Entry 0's key ceremony transcript (docs/crypto.md §6.5), as checked. Empty ceremony_id: entry 0 has none (the
// key came from a one-process demo ceremony, which an auditor cannot check).
struct KeyCeremonySummary {
  std::string ceremony_id;
  std::vector<std::string> absent;     // members the call left out
  std::vector<std::string> qualified;  // dealers whose polynomials make the key
  std::vector<std::string> excluded;   // dealers excluded (a bad reveal, a complaint not answered)
  std::string fingerprint;             // the key fingerprint every member signed, as read aloud
};

struct VoteReport {
  std::string session_id;
  std::optional<CardListSummary> cards;        // set once entry 0's card list verified
  std::optional<KeyCeremonySummary> ceremony;  // set once entry 0's key ceremony was checked (or found absent)
  std::vector<VoteSummary> votes;              // every vote of the session, in session order
  std::uint64_t entries = 0;                   // entries read
  std::uint64_t sign_ins = 0;                  // deputy_signed_in entries whose card signature verified
  std::uint64_t definitions = 0;               // ballot definitions rebuilt and matched
  std::uint64_t approvals = 0;                 // approval signatures verified
  std::uint64_t ballots = 0;                   // ballot_cast entries verified (proofs, card signature, hash)
  std::uint64_t shares = 0;                    // decryption shares verified
  std::uint64_t results = 0;                   // result entries recomputed
  std::uint64_t certifications = 0;            // certification signatures verified
  std::uint64_t refusal_summaries = 0;    // casts_refused_summary entries (informative, like cast_rejected)
  std::uint64_t refusals_summarised = 0;  // the refused casts they count (the sum of their `refused`)
  std::uint64_t challenged = 0;           // ballot_challenged entries verified (ballot.challenge)
  std::optional<RecordsSummary> records;  // set when the records were compared
  std::optional<VoteFailure> failure;
  [[nodiscard]] bool ok() const { return !failure.has_value(); }
};

// A few lines per vote (轮次, 应到/实到/发出/收回/有效/无效, ballots, shares, certification signers), then the
// result or the first failure with its check id and number, entry, vote, round, field and reason.
[[nodiscard]] std::string render_text(const VoteReport& report);
// {"ok", "session_id", "entries", "sign_ins", "definitions", "approvals", "ballots", "shares", "results",
//  "certifications", "refusal_summaries", "refusals_summarised", "challenged", "votes":
//  [{"vote_id","title","kind","rounds":[…]}], "records"?: {"directory","matched"}, "failure"?:
//  {"check","number","entry","vote_id","round","field","code","category","message"}}.
[[nodiscard]] nlohmann::json to_json(const VoteReport& report);

}  // namespace hallvote::vote_audit
