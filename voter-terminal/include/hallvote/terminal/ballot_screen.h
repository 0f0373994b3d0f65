// The ballot screen's model: what the deputy sees and may select on one ballot, the limits, and the review
// before casting. The touchscreen page and the headless CLI are thin views over it. It makes an overvote
// impossible: a selection that would break a limit is refused with the reason, in Chinese and English.
//
// Not thread-safe (one deputy, one screen).
#pragma once

#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/protocol/cast_ballot.h"

namespace hallvote::terminal {

class BallotScreen {
 public:
  explicit BallotScreen(protocol::BallotDefinition definition);

  [[nodiscard]] const protocol::BallotDefinition& definition() const noexcept { return definition_; }
  [[nodiscard]] bool selected(std::size_t contest, std::size_t selection) const;

  // Selects or clears one option. In a contest that allows one choice (赞成/反对/弃权, 满意度), selecting
  // another option replaces the previous one. Refuses (ProtocolErrc::invalid_ballot, reason in words) a
  // selection past the contest's maximum or the aggregate limit; out-of-range indices are refused too.
  [[nodiscard]] Status toggle(std::size_t contest, std::size_t selection);
  // Selects by ids (contest id, selection id), for scripted use.
  [[nodiscard]] Status select(std::string_view contest_id, std::string_view selection_id);

  // Ok when every contest meets its minimum (blank contests are allowed where the minimum is 0).
  [[nodiscard]] Status ready() const;
  // The review text shown before casting: the vote's title and 说明, then per contest its title (the item's
  // name, its code in brackets after it; "选择" for a choose vote's one contest) and the chosen options or
  // 未表态 (blank).
  [[nodiscard]] std::string review() const;
  [[nodiscard]] const protocol::Choices& choices() const noexcept { return choices_; }

 private:
  [[nodiscard]] std::uint32_t aggregate_count() const;
  protocol::BallotDefinition definition_;
  protocol::Choices choices_;
};

}  // namespace hallvote::terminal
