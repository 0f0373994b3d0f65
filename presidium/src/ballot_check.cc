#include "hallvote/presidium/ballot_check.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "hallvote/session/round.h"

namespace hallvote::presidium {
namespace {

tl::unexpected<Error> differs(const std::string& zh, const std::string& en) {
  return fail(std::errc::invalid_argument,
              "选票与会议文件不一致：" + zh +
                  "，请勿批准并告知主持人 / the ballot differs from the session file: " + en +
                  "; do not approve it, tell the chair");
}

// The first contest or label of `got` that differs from `want`, in words; empty when none does.
std::string first_difference(const session::BallotShape& got, const session::BallotShape& want) {
  if (got.contests.size() != want.contests.size()) return "选项组数目 / the number of contests";
  for (std::size_t c = 0; c < got.contests.size(); ++c) {
    const session::Contest& g = got.contests[c];
    const session::Contest& w = want.contests[c];
    if (g.title != w.title)
      return "第 " + std::to_string(c + 1) + " 项名称“" + g.title + "”，会议文件为“" + w.title + "”";
    if (g.min_selected != w.min_selected || g.max_selected != w.max_selected) {
      return "“" + w.title + "”的可选项数 / how many may be chosen";
    }
    if (g.selections.size() != w.selections.size())
      return "“" + w.title + "”的选项数目 / the number of options";
    for (std::size_t s = 0; s < g.selections.size(); ++s) {
      if (g.selections[s].id != w.selections[s].id || g.selections[s].label != w.selections[s].label) {
        return "选项“" + g.selections[s].label + "”，会议文件为“" + w.selections[s].label + "”";
      }
    }
  }
  if (got.aggregate_limit.has_value() != want.aggregate_limit.has_value() ||
      (got.aggregate_limit && (got.aggregate_limit->selection_id != want.aggregate_limit->selection_id ||
                               got.aggregate_limit->max_total != want.aggregate_limit->max_total))) {
    return "“满意”总数限制 / the aggregate limit";
  }
  return {};
}

}  // namespace

Status check_against_session(const session::SessionDefinition& session, const protocol::BallotDefinition& d) {
  const session::VoteDefinition* vote = session.find_vote(d.shape.vote_id);
  if (vote == nullptr) return differs("会议文件中没有这项表决", "the session file has no such vote");
  if (d.session_id != session.info.id || d.session_body != session.info.body)
    return differs("会议名称", "the session");
  if (d.vote_title != vote->title) return differs("表决名称“" + d.vote_title + "”", "the vote's title");
  if (d.description != vote->description) return differs("表决说明", "the vote's description");
  if (d.kind != vote->kind) return differs("表决方式", "the kind of vote");
  if (d.replacement_allowed != vote->replacement_allowed) return differs("可否改投", "the replacement rule");
  if (d.shape.contests.empty()) return differs("选票上没有选项", "the ballot has no contest");

  session::RoundSpec spec;
  spec.number = d.shape.round;
  if (d.kind == session::VoteKind::choose) {
    for (const auto& selection : d.shape.contests.front().selections) spec.items.push_back(selection.id);
    spec.places = d.shape.contests.front().max_selected;
  } else {
    for (const auto& contest : d.shape.contests) spec.items.push_back(contest.item_id);
  }
  if (d.shape.round == 1) {
    const session::RoundSpec first = session::first_round(*vote);
    if (spec.items != first.items)
      return differs("第 1 轮的项目不是本表决的全部项目", "round 1 must hold every item");
    if (spec.places != first.places) return differs("名额", "the places");
  } else {
    const std::set<std::string> items(vote->items.begin(), vote->items.end());
    std::set<std::string> seen;
    for (const std::string& item : spec.items) {
      if (items.count(item) == 0 || !seen.insert(item).second) {
        return differs("项目“" +
                           std::string(session.item_title(item).empty() ? item : session.item_title(item)) +
                           "”不属于本表决或重复",
                       "an item not in the vote, or twice");
      }
    }
    if (spec.places > vote->places) return differs("名额多于本表决的名额", "more places than the vote has");
  }
  const protocol::BallotDefinition want =
      protocol::make_ballot_definition(session, *vote, spec, d.election_key);
  if (want.canonical_json() == d.canonical_json()) return {};
  const std::string what = first_difference(d.shape, want.shape);
  return differs(what.empty() ? "选票内容" : what, "the ballot's content");
}

}  // namespace hallvote::presidium
