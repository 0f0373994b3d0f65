// What a presidium member reads before signing (screens.md "Presidium and scrutineers": a member never signs
// what they have not seen): the ballot as deputies will see it with the counting rule in words, the
// 计票结果报告单 with its reconciliation, what a trustee's decryption covers, the checkpoint a cosignature
// covers; each ends with the fingerprint of exactly what is signed. Chinese first, English after; items by
// their titles, never their codes. Pure functions of the session file and what the server sent (already checked
// by the caller).
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/session/definition.h"
#include "hallvote/session/round.h"

namespace hallvote::presidium {

// The 32 bytes as 16 groups of 4 lower-case hex digits in two lines of 8, for reading aloud and comparing:
// "3f2a 9b01 … \n    … 77c0".
[[nodiscard]] std::string fingerprint_words(std::span<const std::uint8_t, 32> hash);

// The ballot of `definition` as the member approves it: session, vote title, kind
// (差额票决/逐项表决/满意度测评), round and its purpose when known, the 说明, the instruction line and every
// item by title as the seat shows them, places and limits, the counting rule and threshold in words (from
// `session`'s vote; no 通过票数 for a 满意度测评, nor for a tie run-off decided by the most votes),
// replacement, and the fingerprint of the base hash the approval signs. `purpose` is the round's (the server's
// `progress`); without it a later round's rule is the general one. Precondition: `definition` passed
// check_against_session (ballot_check.h): a vote of `session`, with at least one contest.
[[nodiscard]] std::string approval_review(const session::SessionDefinition& session,
                                          const protocol::BallotDefinition& definition,
                                          std::optional<session::RoundPurpose> purpose);

// The purpose whose Chinese name (session::display_name_zh) is `words`, as `progress` reports it; empty for any
// other text.
[[nodiscard]] std::optional<session::RoundPurpose> purpose_from_words(std::string_view words) noexcept;

// What is signed by certifying, around the report: `report` (setup::result_table's text), the reconciliation of
// `outcome`'s accounting (实到 = 收回 + 未按, 发出 ≤ 实到, 收回 = 有效 + 无效: docs/rules.md §6) said in words,
// whether it holds, and the fingerprint of the result entry's hash with the log sequence and the signer by name
// and role.
[[nodiscard]] std::string certification_review(const session::SessionDefinition& session,
                                               const session::Official& signer, const std::string& report,
                                               const nlohmann::json& outcome, std::uint64_t sequence,
                                               std::span<const std::uint8_t, 32> result_hash);

// What a trustee decrypts: the vote by title and round, the number of ballots summed and ciphertexts, that no
// single ballot is decrypted, the shares already accepted (by name) of the quorum, and the fingerprint of the
// ballot's base hash the decryption proofs are bound to. `tally` is the server's `tally` answer.
[[nodiscard]] std::string decryption_review(const session::SessionDefinition& session,
                                            const session::Official& trustee, std::uint32_t trustee_index,
                                            const std::string& vote_id, const nlohmann::json& tally,
                                            std::span<const std::uint8_t, 32> base_hash);

// What a cosignature covers: the log's origin, its size in entries and the fingerprint of its root.
[[nodiscard]] std::string cosign_review(const std::string& origin, std::uint64_t size,
                                        std::span<const std::uint8_t, 32> root);

}  // namespace hallvote::presidium
