// Replacing the placeholder public keys of a session file with the hall's real ones: the deputies' card keys
// (the cards of an issuer-signed card list, docs/cards.md §4: from card issuing, or simulated_cards_json for a
// demo) and the key committee's approval signing keys (from the key ceremony, officials.json, {id: 64 hex
// chars}); null leaves the keys as they are. The card list's signature is checked by init (cards::accept), not
// here.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "hallvote/common/result.h"
#include "hallvote/session/definition.h"

namespace hallvote::setup {

struct OverrideMaps {
  std::map<std::string, std::string> credential_keys;
  std::map<std::string, std::string> official_keys;
};

// Reads the card list's keys (CardsErrc::malformed) and the officials map (std::errc::invalid_argument naming
// the id when it is not an object or a value is not an Ed25519 public key in hex).
[[nodiscard]] Result<OverrideMaps> read_overrides(const nlohmann::json& card_list,
                                                  const nlohmann::json& officials);

// Reads and applies both maps; also fails when a map names an id the session does not have. On failure
// `session` is unchanged.
[[nodiscard]] Status apply_overrides(session::SessionDefinition& session, const nlohmann::json& card_list,
                                     const nlohmann::json& officials);

}  // namespace hallvote::setup
