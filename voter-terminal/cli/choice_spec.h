// The headless terminal's choice specification (hallvote-terminal --choices). A SPEC is clauses separated by
// ';':
//   CONTEST=SEL[,SEL…]    CONTEST is a contest id of the ballot: the vote id for a choose vote ("V1"), or
//                         "<vote id>/<item id>" for per-item and satisfaction votes ("V2/JC2025-05")
//   CONTEST:SEL[,SEL…]    the same (e.g. "V1:JC2025-01,JC2025-03")
//   CONTEST=              (nothing chosen) leaves the contest blank: 未表态, never counted as 弃权
//   V1#2:SEL…, V3#2/ITEM=SEL   a clause for one round only (a run-off): round 2's ballot uses the clauses of
//                         "V1#2" when there are any, else those of "V1"
// SEL is a selection id: a project id in a choose vote; for/against/abstain in per-item votes; satisfied/
// basically_satisfied/dissatisfied/abstain in satisfaction votes. The Chinese words
// 赞成/反对/弃权/满意/基本满意/ 不满意 are accepted for them. Examples:
//   "V1:JC2025-01,JC2025-03"
//   "V2/JC2025-05=for;V2/JC2025-06=against"
//   "V1=JC2025-02;V2/JC2025-05=赞成;V2/JC2025-06="
// A vote is cast when the SPEC names at least one of its contests; contests of that vote not named stay blank.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/terminal/ballot_screen.h"

namespace hallvote::terminal_tool {

struct ChoiceSpec {
  // vote id, or "vote id#round" → (contest id, selection ids) in SPEC order.
  std::map<std::string, std::vector<std::pair<std::string, std::vector<std::string>>>> votes;

  // Parses a SPEC; fails (std::errc::invalid_argument) naming the clause that does not parse.
  [[nodiscard]] static Result<ChoiceSpec> parse(std::string_view text);
  // Selects this SPEC's choices for the screen's vote. Fails with the screen's refusal (an unknown contest or
  // option, or a limit broken), naming it.
  [[nodiscard]] Status apply(terminal::BallotScreen& screen) const;
};

}  // namespace hallvote::terminal_tool
