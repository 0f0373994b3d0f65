// The key of a simulated deputy card for a demo or test hall. A real hall gets each deputy's credential public
// key from the card-issuing step (the key is generated on the card and never leaves it); a demo derives every
// card's key from one seed text instead, so that the server's roster and the simulated terminals agree without
// exchanging keys. Anyone who knows the seed can vote as any deputy: never use this for a real session.
#pragma once

#include <string_view>

#include "hallvote/crypto/signature.h"

namespace hallvote::hardware {

// The PIN every simulated card is issued with (a demo hall's cards; real cards get each deputy's own PIN when
// they are issued). The card checks what the deputy types against it and locks after three wrong tries.
inline constexpr std::string_view kSimulatedCardPin = "123456";

// The card key of `deputy_id`: Ed25519 seed = the first 32 bytes of
// SHA-512(HashInput("simulated-card").add(seed).add(deputy_id)). Deterministic; thread-safe.
[[nodiscard]] crypto::SigningKey derive_simulated_card(std::string_view seed, std::string_view deputy_id);

}  // namespace hallvote::hardware
