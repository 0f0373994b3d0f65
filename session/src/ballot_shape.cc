#include "hallvote/session/ballot_shape.h"

#include <algorithm>

namespace hallvote::session {
namespace {

std::vector<Selection> per_item_selections() {
  return {{std::string(kFor), "赞成"}, {std::string(kAgainst), "反对"}, {std::string(kAbstain), "弃权"}};
}

std::vector<Selection> satisfaction_selections(bool allow_abstain) {
  std::vector<Selection> selections = {{std::string(kSatisfied), "满意"},
                                       {std::string(kBasicallySatisfied), "基本满意"},
                                       {std::string(kDissatisfied), "不满意"}};
  if (allow_abstain) selections.push_back({std::string(kAbstain), "弃权"});
  return selections;
}

}  // namespace

BallotShape ballot_shape(const SessionDefinition& session, const VoteDefinition& vote, const RoundSpec& round) {
  BallotShape shape{vote.id, round.number, {}, std::nullopt};
  if (vote.kind == VoteKind::choose) {
    Contest contest{vote.id, {}, vote.title, {}, std::min(vote.min_selections, round.places), round.places};
    for (const std::string& item : round.items) {
      contest.selections.push_back({item, std::string(session.item_title(item))});
    }
    shape.contests.push_back(std::move(contest));
    return shape;
  }
  for (const std::string& item : round.items) {
    shape.contests.push_back(
        {vote.id + "/" + item, item, std::string(session.item_title(item)),
         vote.kind == VoteKind::per_item ? per_item_selections() : satisfaction_selections(vote.allow_abstain),
         0, 1});
  }
  if (vote.kind == VoteKind::satisfaction && vote.max_satisfied) {
    shape.aggregate_limit = AggregateLimit{std::string(kSatisfied), *vote.max_satisfied};
  }
  return shape;
}

}  // namespace hallvote::session
