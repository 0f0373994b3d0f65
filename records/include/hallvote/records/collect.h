// The facts the resolution records (决定, 公告, 满意度测评结果报告, 计票结果报告单) are made of, read from a
// session's audit log: per vote, each decrypted round's outcome (the `result` entry), its closing
// (`vote_closed`), the officials who certified it (`certification`), and the first checkpoint that covers the
// certifications. Which entries are read and how each field is derived: docs/records.md §2.
//
// collect_records() is pure: no clock, no I/O. It does not verify signatures, the hash chain or checkpoint
// signatures — the auditor's verifier (hallvote-audit verify) does; it checks that the facts it uses fit
// together (a certification names the round's result entry by sequence and hash, every item belongs to its
// vote, the counts add up) and rejects anything else with a RecordsErrc naming the entry sequence and field.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/records/errors.h"
#include "hallvote/session/definition.h"
#include "hallvote/session/rules.h"
#include "hallvote/tlog/entry.h"

namespace hallvote::records {

// One official's certification of a round's tally report (a `certification` entry).
struct Signer {
  std::string official_id;
  std::string name;            // from the session's key committee
  std::string role;            // "chief_scrutineer" | "scrutineer" | "presidium_member"
  std::int64_t time_ms = 0;    // the certification entry's time (ms since the Unix epoch, UTC)
  std::uint64_t sequence = 0;  // the certification entry's sequence
  std::string signature_hex;   // the Ed25519 signature as logged (128 hex digits), not verified here
  bool complete = false;       // this entry completed the round's certification
};

// One item of a round's outcome (outcome.items[i]).
struct ItemOutcome {
  std::string item_id;
  std::string title;                  // from the session definition (the project's or motion's title)
  std::vector<std::uint32_t> totals;  // choose: {votes}; per_item: {赞成, 反对, 弃权};
                                      // satisfaction: {满意, 基本满意, 不满意[, 弃权]}
  std::uint32_t blank = 0;            // 未表态 (per_item, satisfaction)
  std::uint32_t rank = 0;             // choose: 名次; else 0
  session::Verdict verdict = session::Verdict::undecided;
  std::string verdict_zh;  // session::display_name_zh(verdict): "通过", "未通过", "进入再次投票", "满意" …
  std::string reason_zh;  // session::item_reason(): the wording of the logged reason code
  std::string reason_en;
};

// The records' view of a `result` entry's outcome (protocol::ResultOutcome, decoded by protocol::decode):
// checked against the vote and worded through session/wording.h.
struct Outcome {
  std::uint32_t round = 1;
  std::uint32_t in_office = 0;  // 应到
  std::uint32_t present = 0;    // 实到
  std::uint32_t issued = 0;     // 发出
  std::uint32_t returned = 0;   // 收回
  std::uint32_t valid = 0;      // 有效
  std::uint32_t invalid = 0;    // 无效
  std::uint32_t no_ballot = 0;  // 未按
  bool quorum_met = true;
  std::uint32_t base = 0;          // the number "more than half" is taken of (0 when absent)
  std::uint32_t threshold = 0;     // floor(base/2)+1 (0 when absent)
  std::vector<ItemOutcome> items;  // ballot order
  std::string summary_zh;
  std::vector<std::string> adopted;  // cumulative over the vote's rounds, as the rules engine reports
  bool decided = false;
  std::vector<std::string> decisions_zh;
  std::vector<std::string> decrypted_by;             // official ids of the trustees whose shares were combined
  std::optional<std::string> next_round_purpose_zh;  // outcome.next_round.purpose, when another round follows
};

// One decrypted round of a vote.
struct RoundRecord {
  nlohmann::json outcome;  // the result entry's outcome object, verbatim
  Outcome parsed;          // the same, checked and typed
  std::string purpose_zh;  // "第一次投票", or the previous round's next_round.purpose ("再次投票（票数相等）"…)
  std::uint64_t result_sequence = 0;
  std::int64_t result_time_ms = 0;
  std::string result_hash_hex;  // SHA-256 of the result entry's canonical bytes
  std::uint64_t closed_sequence =
      0;  // the vote_closed entry that ended this round (the last one before the result)
  std::int64_t closed_time_ms = 0;
  std::uint64_t ballots = 0;    // vote_closed.ballots
  std::vector<Signer> signers;  // certifications of this round, in log order (may be empty for early rounds)
  std::optional<std::uint64_t> certified_sequence;  // the entry with complete = true, once certified
  std::int64_t certified_time_ms = 0;
};

// A vote whose last round is decided and certified.
struct VoteRecord {
  const session::VoteDefinition* vote = nullptr;  // points into RecordSet::session
  std::vector<RoundRecord> rounds;                // every decrypted round, round 1 first
  std::vector<Signer> signers;                    // the last round's certifications (= rounds.back().signers)
  std::uint64_t certified_sequence = 0;           // the entry completing the last round's certification
  std::int64_t certified_time_ms = 0;             // its time: the records' date of issue for this vote
  std::int64_t date_ms = 0;                       // the vote's date: the closing time of its last round
  std::uint64_t last_sequence = 0;                // the last certification entry included (any round)
};

// A vote of the session left out of the records, and why.
struct PendingVote {
  const session::VoteDefinition* vote = nullptr;
  std::string reason;     // "not_held" (no result entry), "undecided" (the last round calls for another),
                          // "not_certified" (the last round has no certification with complete = true)
  std::string reason_zh;  // "尚无计票结果", "尚未决定（需再次投票）", "计票结果尚未签署"
};

// The closing checkpoint: the first note whose tree covers every certification included.
struct CheckpointRef {
  std::string origin;
  std::uint64_t size = 0;
  std::string root_hex;         // 64 lower-case hex digits
  std::string text;             // the checkpoint text every signature signs (origin, size, root lines)
  std::string text_sha256_hex;  // SHA-256 of `text`: unlike the whole note it does not change when the
                                // key committee adds cosignatures later, so the records stay the same
  std::size_t index = 0;        // position in checkpoint_notes
};

struct RecordSet {
  const session::SessionDefinition* session = nullptr;  // must outlive the RecordSet
  std::vector<VoteRecord> votes;                        // session vote order
  std::vector<PendingVote> pending;                     // session vote order
  CheckpointRef closing;
  std::int64_t issued_time_ms = 0;  // the latest certification time among the votes recorded
};

// Reads the records' facts from `entries` (decoded log entries in increasing sequence order, normally the whole
// log) and `checkpoint_notes` (signed checkpoint notes, increasing tree size, e.g. a bundle's checkpoints).
// `session` must be the definition the log was written under and must outlive the result (RecordSet points
// into it). Entries of types other than vote_closed, result and certification are ignored.
// Errors (RecordsErrc, the detail naming the entry sequence and field): out_of_order, malformed_payload,
// unknown_vote, unknown_item, inconsistent_outcome, orphan_certification, certification_mismatch,
// unknown_official, role_mismatch, bad_checkpoint (naming the note's position), nothing_certified,
// not_checkpointed.
[[nodiscard]] Result<RecordSet> collect_records(const session::SessionDefinition& session,
                                                std::span<const audit::Entry> entries,
                                                std::span<const std::string> checkpoint_notes);

}  // namespace hallvote::records
