#include "hallvote/session/round.h"

namespace hallvote::session {

RoundSpec first_round(const VoteDefinition& vote) {
  return RoundSpec{1, std::nullopt, RoundPurpose::initial, vote.items,
                   vote.kind == VoteKind::choose ? vote.places : 0};
}

std::string_view display_name_zh(RoundPurpose purpose) noexcept {
  switch (purpose) {
    case RoundPurpose::initial:
      return "第一次投票";
    case RoundPurpose::tie_run_off:
      return "再次投票（票数相等）";
    case RoundPurpose::shortfall_run_off:
      return "另行投票（不足名额）";
    case RoundPurpose::re_vote:
      return "重新投票";
  }
  return "第一次投票";
}

std::string_view to_string(RoundPurpose purpose) noexcept {
  switch (purpose) {
    case RoundPurpose::initial:
      return "initial";
    case RoundPurpose::tie_run_off:
      return "tie_run_off";
    case RoundPurpose::shortfall_run_off:
      return "shortfall_run_off";
    case RoundPurpose::re_vote:
      return "re_vote";
  }
  return "initial";
}

bool parse_round_purpose(std::string_view text, RoundPurpose& out) noexcept {
  for (auto purpose : {RoundPurpose::initial, RoundPurpose::tie_run_off, RoundPurpose::shortfall_run_off,
                       RoundPurpose::re_vote}) {
    if (to_string(purpose) == text) {
      out = purpose;
      return true;
    }
  }
  return false;
}

}  // namespace hallvote::session
