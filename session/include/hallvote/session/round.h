// A round of a vote: the first ballot, a run-off, or a re-vote. Every round is a new record linked to the round
// that called for it; nothing is overwritten (mission "Rules"; docs/rules.md "Rounds").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/session/definition.h"

namespace hallvote::session {

enum class RoundPurpose {
  initial,            // 第一次投票: every item of the vote
  tie_run_off,        // 票数相等再次投票: the projects tied across the N-th place, for the places left
  shortfall_run_off,  // 不足名额另行投票: the projects not adopted, for the places left
  re_vote,            // 重新投票: the same items again after a void round or one without quorum
};

struct RoundSpec {
  std::uint32_t number = 1;             // 1-based, in the order rounds are held
  std::optional<std::uint32_t> parent;  // the round that called for this one; empty for the first
  RoundPurpose purpose = RoundPurpose::initial;
  std::vector<std::string> items;  // the items on this round's ballot, in ballot order
  std::uint32_t places = 0;        // choose votes: the places this round fills; 0 for other kinds

  friend bool operator==(const RoundSpec&, const RoundSpec&) = default;
};

// The first round of `vote`: all its items and, for a choose vote, all its places.
[[nodiscard]] RoundSpec first_round(const VoteDefinition& vote);

// "第一次投票", "再次投票（票数相等）", "另行投票（不足名额）", "重新投票".
[[nodiscard]] std::string_view display_name_zh(RoundPurpose purpose) noexcept;
[[nodiscard]] std::string_view to_string(RoundPurpose purpose) noexcept;
// The inverse of to_string; false (and `out` unchanged) for any other text.
[[nodiscard]] bool parse_round_purpose(std::string_view text, RoundPurpose& out) noexcept;

}  // namespace hallvote::session
