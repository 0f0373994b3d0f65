#include "hallvote/hardware/simulated_card_key.h"

#include <algorithm>

#include "hallvote/crypto/hash.h"

namespace hallvote::hardware {

crypto::SigningKey derive_simulated_card(std::string_view seed, std::string_view deputy_id) {
  auto digest = crypto::HashInput("simulated-card").add(seed).add(deputy_id).sha512();
  crypto::SecretArray<32> key_seed;
  std::copy_n(digest.begin(), 32, key_seed.mutable_bytes().begin());
  crypto::secure_wipe(digest);
  return crypto::SigningKey::from_seed(key_seed);
}

}  // namespace hallvote::hardware
