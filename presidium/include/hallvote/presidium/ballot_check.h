// What a member's tool checks of a ballot definition against the session file before showing it for approval
// (docs/protocol.md §4.3.5, "before approving"): the ballot is the one the session file makes for this round,
// so that what the member reads — titles, labels, places, limits — is what the session decided, not only what
// the server sent. Round 1 must equal the session's first round exactly; a later round (a run-off or re-vote,
// whose items and places follow from earlier results) must hold only items of the vote, at most its places, and
// be exactly the ballot the session file makes for those items and places.
#pragma once

#include "hallvote/common/result.h"
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/session/definition.h"

namespace hallvote::presidium {

// Fails (std::errc::invalid_argument) naming the first difference in words: the session, title, 说明, kind or
// replacement rule, an item not in the vote, too many places, or the contest or label that differs.
[[nodiscard]] Status check_against_session(const session::SessionDefinition& session,
                                           const protocol::BallotDefinition& definition);

}  // namespace hallvote::presidium
