// Simulated deputy cards for a demo or test hall: the roster's card keys derived from one seed text
// (hardware::derive_simulated_card, hallvote/hardware/simulated_card_key.h), in the shape the hall files use.
// Anyone who knows the seed can vote as any deputy: never use this for a real session.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "hallvote/session/definition.h"

namespace hallvote::setup {

// {deputy id: credential public key hex} for every deputy of the roster (the shape apply_overrides reads).
[[nodiscard]] nlohmann::json simulated_cards_json(const session::SessionDefinition& session,
                                                  std::string_view seed);

}  // namespace hallvote::setup
