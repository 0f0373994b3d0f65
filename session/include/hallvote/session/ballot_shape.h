// The shape of one round's ballot: the contests, their 0/1 selections and the limits on how many may be chosen.
// This is what the crypto layer encrypts (one ciphertext per selection, a 0/1 proof per selection, a range
// proof per contest) and what the tally's per-selection totals are indexed by. Format: docs/session-format.md
// ("Ballot shape").
//
//   choose (差额, M选N)   one contest, M selections (the projects), min_selections <= sum <= N
//   per_item (逐项)       one contest per item, selections 赞成/反对/弃权, 0 <= sum <= 1
//   satisfaction (满意度)  one contest per project, 满意/基本满意/不满意[/弃权], 0 <= sum <= 1, and optionally
//                          an aggregate limit: the 满意 selections of all contests sum to at most k
//
// A contest left blank (sum 0) is allowed: the item is reported as 未表态 (blank) and is never counted as 弃权.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/session/definition.h"
#include "hallvote/session/round.h"

namespace hallvote::session {

// Stable selection ids of per_item and satisfaction contests (part of the ballot format).
inline constexpr std::string_view kFor = "for";                                 // 赞成
inline constexpr std::string_view kAgainst = "against";                         // 反对
inline constexpr std::string_view kAbstain = "abstain";                         // 弃权
inline constexpr std::string_view kSatisfied = "satisfied";                     // 满意
inline constexpr std::string_view kBasicallySatisfied = "basically_satisfied";  // 基本满意
inline constexpr std::string_view kDissatisfied = "dissatisfied";               // 不满意

struct Selection {
  std::string id;     // a project id (choose) or one of the stable ids above
  std::string label;  // what the terminal shows: the project title, or 赞成/反对/弃权/满意…
};

// Limits on the words a ballot carries, in bytes of UTF-8: the loader refuses a session beyond them, and the
// ballot definition's reader refuses a definition beyond them (docs/protocol.md §5).
inline constexpr std::size_t kMaxTitleBytes = 1024;        // a vote's, a project's or a motion's title; a label
inline constexpr std::size_t kMaxDescriptionBytes = 4096;  // a vote's 说明

struct Contest {
  std::string id;       // "<vote id>" for a choose vote, "<vote id>/<item id>" otherwise
  std::string item_id;  // the item voted on; empty for a choose contest (its selections are the items)
  std::string title;    // what the deputy reads: the item's title, or the vote's title for a choose contest
  std::vector<Selection> selections;
  std::uint32_t min_selected = 0;  // a valid ballot selects at least this many in this contest…
  std::uint32_t max_selected = 1;  // …and at most this many
};

// A limit across contests: the selections with id `selection_id` in all contests sum to at most `max_total`.
struct AggregateLimit {
  std::string selection_id;
  std::uint32_t max_total = 0;
};

struct BallotShape {
  std::string vote_id;
  std::uint32_t round = 1;
  std::vector<Contest> contests;
  std::optional<AggregateLimit> aggregate_limit;
};

// The ballot of `round` of `vote`. Labels come from `session`'s projects and motions. Pure and thread-safe.
// Precondition: `vote` and `round` come from a validated definition (round.items are items of the vote).
[[nodiscard]] BallotShape ballot_shape(const SessionDefinition& session, const VoteDefinition& vote,
                                       const RoundSpec& round);

}  // namespace hallvote::session
