// The state machines of a session and of a vote's rounds (docs/rules.md "State machines").
//
//   session: prepared → sign_in_open → in_progress → closed
//   vote round: drafted → approved → open ⇄ held → closed → tallied → decrypted → certified → announced
//
// A run-off or re-vote is a new round appended after a certified (or announced) round and linked to it; earlier
// rounds are never changed. An illegal transition returns SessionErrc::illegal_transition (or the named
// precondition error) and changes nothing.
//
// Thread safety: none; the owner (the ballot server's session actor) serializes calls. Both classes are plain
// values: copy them to snapshot, and rebuild them by replaying the audit log's transitions in order.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/session/definition.h"
#include "hallvote/session/errors.h"
#include "hallvote/session/round.h"

namespace hallvote::session {

enum class SessionState { prepared, sign_in_open, in_progress, closed };

enum class VoteState { drafted, approved, open, held, closed, tallied, decrypted, certified, announced };

// "准备中", "签到中", "会议进行中", "已闭会"; "已起草", "已批准", "投票中", "暂停", "已截止", "已计票",
// "已解密", "已确认", "已公告".
[[nodiscard]] std::string_view display_name_zh(SessionState state) noexcept;
[[nodiscard]] std::string_view display_name_zh(VoteState state) noexcept;
[[nodiscard]] std::string_view to_string(SessionState state) noexcept;
[[nodiscard]] std::string_view to_string(VoteState state) noexcept;

class SessionLifecycle {
 public:
  [[nodiscard]] SessionState state() const noexcept { return state_; }

  // prepared → sign_in_open.
  [[nodiscard]] Status open_sign_in();
  // sign_in_open → in_progress, if `present` meets the quorum of `in_office` (else quorum_not_met).
  [[nodiscard]] Status start(std::uint32_t present, std::uint32_t in_office, Fraction quorum);
  // in_progress → closed.
  [[nodiscard]] Status close();

 private:
  SessionState state_ = SessionState::prepared;
};

struct RoundRecord {
  RoundSpec spec;
  VoteState state = VoteState::drafted;
  std::vector<std::string> approvals;  // key committee member ids that approved this round's ballot
};

class VoteLifecycle {
 public:
  // Round 1 of `vote`, drafted.
  explicit VoteLifecycle(const VoteDefinition& vote);

  [[nodiscard]] const std::string& vote_id() const noexcept { return vote_id_; }
  // Every round so far, oldest first; never empty.
  [[nodiscard]] const std::vector<RoundRecord>& rounds() const noexcept { return rounds_; }
  [[nodiscard]] const RoundRecord& current() const noexcept { return rounds_.back(); }

  // drafted → approved, given the ids of the committee members who signed the ballot definition (the signatures
  // are verified by the caller). Errors: unknown_signer (an id not on `committee`), not_enough_approvals (fewer
  // than committee.quorum distinct members), illegal_transition.
  [[nodiscard]] Status approve(const KeyCommittee& committee, std::span<const std::string> signer_ids);
  // approved → open, or held → open (resume). Only while the session is in progress.
  [[nodiscard]] Status open(SessionState session);
  // open → held (suspend: no ballots accepted).
  [[nodiscard]] Status hold();
  // open or held → closed.
  [[nodiscard]] Status close();
  // closed → tallied → decrypted → certified → announced, one step each.
  [[nodiscard]] Status mark_tallied();
  [[nodiscard]] Status mark_decrypted();
  [[nodiscard]] Status certify();
  [[nodiscard]] Status announce();
  // Appends round `next` (drafted) after a certified or announced current round. `next` must be the round the
  // rules engine asked for: number = current number + 1 and parent = current number (else illegal_transition).
  [[nodiscard]] Status start_round(RoundSpec next);

 private:
  [[nodiscard]] Status step(std::initializer_list<VoteState> from, VoteState to);

  std::string vote_id_;
  std::vector<RoundRecord> rounds_;
};

}  // namespace hallvote::session
