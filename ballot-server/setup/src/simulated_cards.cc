#include "hallvote/setup/simulated_cards.h"

#include <algorithm>

#include "hallvote/crypto/hash.h"

namespace hallvote::setup {

crypto::SigningKey derive_simulated_card(std::string_view seed, std::string_view deputy_id) {
  auto digest = crypto::HashInput("simulated-card").add(seed).add(deputy_id).sha512();
  crypto::SecretArray<32> key_seed;
  std::copy_n(digest.begin(), 32, key_seed.mutable_bytes().begin());
  crypto::secure_wipe(digest);
  return crypto::SigningKey::from_seed(key_seed);
}

nlohmann::json simulated_cards_json(const session::SessionDefinition& session, std::string_view seed) {
  nlohmann::json cards = nlohmann::json::object();
  for (const auto& deputy : session.roster) {
    cards[deputy.id] = derive_simulated_card(seed, deputy.id).verify_key().hex();
  }
  return cards;
}

}  // namespace hallvote::setup
