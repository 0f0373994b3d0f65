// The outcome of a round's `result` log entry (docs/audit-log.md §3.2, docs/protocol.md §4.5.4): the round's
// accounting and decrypted totals (what replay rebuilds the round from) and the rules engine's reading of them,
// as codes and numbers — never display words (session/wording.h renders those). One type for the ballot server
// that writes it, the offline verifier that recomputes it, the records and the tests. Pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/session/definition.h"
#include "hallvote/session/rules.h"

namespace hallvote::protocol {

struct ResultOutcome {
  session::RoundResult round;       // the rules engine's result of the round (spec: number, purpose, places)
  std::vector<std::string> titles;  // per item of round.items: the item's title in the session
  std::vector<std::vector<std::uint32_t>> totals;  // the decrypted totals [contest][selection]
  std::vector<std::string> adopted;                // cumulative over the vote's rounds
  bool decided = false;
  std::vector<session::Decision> decisions;
  std::vector<std::string> decrypted_by;         // official ids whose shares were combined, in order
  std::optional<session::RoundSpec> next_round;  // when another round follows (parent = round number)

  // The round tally the rules engine read (实到, the accounting, the totals): what replay rebuilds.
  [[nodiscard]] session::RoundTally tally() const;

  // The canonical JSON object (every field, docs/audit-log.md §3.2).
  [[nodiscard]] nlohmann::json to_json() const;
  // Checks every field's presence, kind and range, and the codes (ProtocolErrc::malformed naming
  // "payload.outcome.<field>"); does not re-run the rules engine.
  [[nodiscard]] static Result<ResultOutcome> from_json(const nlohmann::json& json);

  friend bool operator==(const ResultOutcome& a, const ResultOutcome& b) { return a.to_json() == b.to_json(); }
};

// The outcome of the vote's latest round. `round` is that round's tally input to the rules engine; `result`
// is the rules engine's result over every round of the vote so far, `round` last; `decrypted_by` are the
// official ids whose decryption shares were combined, in submission order. Item titles come from `session`.
// Precondition: result.rounds is not empty.
[[nodiscard]] ResultOutcome result_outcome(const session::SessionDefinition& session,
                                           const session::RoundTally& round, const session::VoteResult& result,
                                           std::span<const std::string> decrypted_by);

}  // namespace hallvote::protocol
