// A decision of the presidium (主席团决定) about a vote's round: what a presidium member signs, how many
// signatures make it take effect, and the `presidium_decision` log entry. Shared by the server, the members'
// tool, the records and the offline verifier. Formats: docs/protocol.md §4.5.9 (the `decide` message and its
// checks), docs/crypto.md §2 (the signed bytes), docs/audit-log.md §3 (the entry), docs/rules.md §9.
//
// A decision names the result entry it was made on (sequence and entry hash), so that a member signs what
// they were shown. It takes effect on the entry that brings q distinct presidium members' signatures over the
// identical decision, q = min(key committee quorum, number of presidium members) — the certification rule's
// presidium part; scrutineers do not sign decisions. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/protocol/certification.h"
#include "hallvote/session/definition.h"
#include "hallvote/session/rules.h"

namespace hallvote::protocol {

// What is decided. The first four are the rules engine's session::PresidiumAction; `announce` (公告) moves a
// certified, decided vote to 已公告 under a notice number.
enum class DecisionKind { declare_invalid, hold_further_vote, defer_further_vote, accept_fewer, announce };

inline constexpr std::size_t kMaxDecisionReasonBytes = 200;

struct PresidiumDecision {
  DecisionKind kind = DecisionKind::declare_invalid;
  std::string vote_id;
  std::uint32_t round = 0;            // the round decided about (≥ 1)
  std::uint64_t result_sequence = 0;  // the result entry it was made on
  ResultHash result_hash{};           // that entry's hash
  std::uint32_t sitting = 0;          // the sitting (第 N 次全体会议) it belongs to (≥ 1)
  std::vector<std::string> items;     // hold_further_vote: the items standing (non-empty); otherwise empty
  std::string reason;                 // declare_invalid: why, 1–200 bytes of UTF-8; otherwise empty
  std::uint32_t notice_number = 0;    // announce: 公告 第 N 号 (≥ 1); otherwise 0

  // {"items","kind","notice_number","reason","result_hash","result_sequence","round","sitting","vote_id"}
  [[nodiscard]] nlohmann::json to_json() const;
  // Every field's presence, kind and range, and the per-kind rules above (ProtocolErrc::malformed naming
  // "<where>.<field>"); fields beyond the list are refused.
  [[nodiscard]] static Result<PresidiumDecision> from_json(const nlohmann::json& json,
                                                           const std::string& where);
  // The rules engine's input, or nullopt for `announce`.
  [[nodiscard]] std::optional<session::PresidiumDecision> rules_decision() const;

  friend bool operator==(const PresidiumDecision& a, const PresidiumDecision& b) {
    return a.to_json() == b.to_json();
  }
};

// "declare_invalid", "hold_further_vote", "defer_further_vote", "accept_fewer", "announce", and back.
[[nodiscard]] std::string_view to_string(DecisionKind kind) noexcept;
[[nodiscard]] bool parse_decision_kind(std::string_view text, DecisionKind& out) noexcept;

// The bytes a member signs (Ed25519, the key listed for them in the key committee), not hashed:
//   HashInput("presidium-decision").add(session_id).add(decision.to_json().dump()).add(official_id).bytes()
[[nodiscard]] crypto::Bytes decision_message(std::string_view session_id, const PresidiumDecision& decision,
                                             std::string_view official_id);

// q for decisions: min(committee.quorum, number of presidium members).
[[nodiscard]] std::uint32_t decision_signatures_needed(const session::KeyCommittee& committee);

// Checks that `official_id` is a presidium member of `committee` whose signature over decision_message()
// verifies. invalid_approval (bilingual, naming the official) otherwise: not a member, a scrutineer, or a bad
// signature.
[[nodiscard]] Status verify_decision(const session::KeyCommittee& committee, std::string_view session_id,
                                     const PresidiumDecision& decision, std::string_view official_id,
                                     const crypto::Signature& signature);

// What the decision says, in Chinese, for the member who signs it and for the records ("主席团决定：对第1轮
// 未通过的项目中的 2 个另行投票：…"). Titles come from `session`.
[[nodiscard]] std::string decision_text_zh(const session::SessionDefinition& session,
                                           const PresidiumDecision& decision);

}  // namespace hallvote::protocol
