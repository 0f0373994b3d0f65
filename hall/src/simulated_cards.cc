#include "hallvote/hall/simulated_cards.h"

#include "hallvote/hardware/simulated_card_key.h"

namespace hallvote::setup {

nlohmann::json simulated_cards_json(const session::SessionDefinition& session, std::string_view seed) {
  nlohmann::json cards = nlohmann::json::object();
  for (const auto& deputy : session.roster) {
    cards[deputy.id] = hardware::derive_simulated_card(seed, deputy.id).verify_key().hex();
  }
  return cards;
}

}  // namespace hallvote::setup
