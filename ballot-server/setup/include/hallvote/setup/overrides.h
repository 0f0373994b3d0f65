// Replacing the placeholder public keys of a session file with the hall's real ones: the deputies' card keys
// (from card issuing, or simulated_cards_json for a demo) and the key committee's approval signing keys (from the
// key ceremony, officials.json). Both maps are {id: 64 hex chars}; null or {} leaves the keys as they are.
#pragma once

#include <nlohmann/json.hpp>

#include "hallvote/common/result.h"
#include "hallvote/session/definition.h"

namespace hallvote::setup {

// Fails (std::errc::invalid_argument, naming the id, in Chinese and English) when a map is not an object, names
// an id the session does not have, or holds a value that is not an Ed25519 public key in hex; on failure
// `session` is unchanged.
[[nodiscard]] Status apply_overrides(session::SessionDefinition& session, const nlohmann::json& cards,
                                     const nlohmann::json& officials);

}  // namespace hallvote::setup
