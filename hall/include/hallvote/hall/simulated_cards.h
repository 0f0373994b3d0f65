// Simulated deputy cards for a demo or test hall: the roster's card keys derived from one seed text
// (hardware::derive_simulated_card, hallvote/hardware/simulated_card_key.h), as a card list marked demo and
// signed by the demo issuer derived from the same seed (cards::simulated_card_list, docs/cards.md §4.4).
// Anyone who knows the seed can vote as any deputy: never use this for a real session.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "hallvote/session/definition.h"

namespace hallvote::setup {

// The demo card list's JSON (what hallvote-server init --cards reads).
[[nodiscard]] nlohmann::json simulated_cards_json(const session::SessionDefinition& session,
                                                  std::string_view seed);

}  // namespace hallvote::setup
