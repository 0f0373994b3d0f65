// The outcome object of a round's `result` log entry (docs/protocol.md §4.5.4, docs/audit-log.md §3): the
// round's accounting and decrypted totals (what replay rebuilds the round from) and the rules engine's reading
// of them. One definition for the ballot server that writes it, the offline verifier that recomputes it field
// by field, and the tests that synthesize logs. Pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "hallvote/session/definition.h"
#include "hallvote/session/rules.h"

namespace hallvote::protocol {

// The outcome of the vote's latest round. `round` is that round's tally input to the rules engine (实到, the
// accounting, the totals per contest and selection); `result` is the rules engine's result over every round of
// the vote so far, `round` last; `decrypted_by` are the official ids whose decryption shares were combined, in
// submission order. Item titles come from `session`. Precondition: result.rounds is not empty.
// Returns the JSON object of §4.5.4 with every field; `next_round` only when result.next_round is set.
[[nodiscard]] nlohmann::json result_outcome(const session::SessionDefinition& session,
                                            const session::RoundTally& round, const session::VoteResult& result,
                                            std::span<const std::string> decrypted_by);

}  // namespace hallvote::protocol
