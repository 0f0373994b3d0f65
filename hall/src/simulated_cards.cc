#include "hallvote/hall/simulated_cards.h"

#include "hallvote/cards/card_list.h"

namespace hallvote::setup {

nlohmann::json simulated_cards_json(const session::SessionDefinition& session, std::string_view seed) {
  return cards::simulated_card_list(session.roster, seed).to_json();
}

}  // namespace hallvote::setup
