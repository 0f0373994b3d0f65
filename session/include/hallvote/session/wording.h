// The words of the rules engine's results: every item reason, round summary and decision, in Chinese and
// English, rendered from the codes and numbers the rules engine computes (rules.h) and the log records. The
// one place these words are made: the server's console, the records and the verifier all render through here,
// and none compares them. The templates are specified in docs/rules.md §11. Pure and thread-safe.
#pragma once

#include <string>

#include "hallvote/session/rules.h"

namespace hallvote::session {

struct Wording {
  std::string zh;
  std::string en;
};

// Why `item` of `round` got its verdict, e.g. "得票 200 票，达到全体代表过半数 124 票，排名第 9，在应选 10
// 个名额内，通过".
[[nodiscard]] Wording item_reason(const RoundResult& round, const ItemResult& item);

// The round's accounting in one sentence, or why the round did not count.
[[nodiscard]] Wording round_summary(const RoundResult& round);

// A decision under the shortfall policy.
[[nodiscard]] Wording decision_words(const Decision& decision);

}  // namespace hallvote::session
