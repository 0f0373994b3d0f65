// The card list: {deputy id: card public key} for one roster, signed by the card-issuing office
// (人大常委会办公厅) with its Ed25519 key. Format, digest and checks: docs/cards.md §4. `hallvote-server init`
// accepts a hall's card keys only as such a list, entry 0 of the audit log records it (session.card_list,
// docs/audit-log.md §3.1) and the auditor checks it again.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/session/definition.h"

namespace hallvote::cards {

inline constexpr std::string_view kCardListFormat = "hallvote-card-list/1";

// The roster a list names: SHA-256 of ⟨"card-roster"; text(id), text(name) for each deputy of the roster, in
// byte order of id⟩ (docs/cards.md §4.1). Only ids and names: seats and delegations may change without
// reissuing.
[[nodiscard]] crypto::Sha256Digest roster_hash(const std::vector<session::Deputy>& roster);

struct CardList {
  crypto::Sha256Digest roster_hash{};
  std::map<std::string, crypto::VerifyKey> cards;  // deputy id → the card's Ed25519 public key
  bool demo = false;  // simulated cards derived from a seed: demo and test halls only
  crypto::VerifyKey issuer{{}};
  crypto::Signature signature{};

  // What the issuer signs (32 bytes): SHA-256 of ⟨"card-list"; text(format), roster_hash, u64(demo),
  // u64(number of cards), then text(id), key for each card in byte order of id⟩.
  [[nodiscard]] crypto::Sha256Digest digest() const;
  // Ok, or bad_signature.
  [[nodiscard]] Status verify_signature() const;
  // {"cards": {id: hex32}, "demo": bool, "format", "issuer": hex32, "roster_hash": hex32, "signature": hex64}
  // (nlohmann's sorted-key dump is the canonical form).
  [[nodiscard]] nlohmann::json to_json() const;
  // Exactly those fields, each of its kind (malformed naming the field); does not check the signature.
  [[nodiscard]] static Result<CardList> from_json(const nlohmann::json& json);
  // {id: hex} (the credential keys applied to a session).
  [[nodiscard]] std::map<std::string, std::string> key_map() const;
};

// Fills issuer and signature: signs digest() with `issuer`.
void sign(CardList& list, const crypto::SigningKey& issuer);

// What init requires before it uses a list for `roster` (and the auditor again): the shape, the signature
// (bad_signature), the issuer (wrong_issuer when `expected_issuer` is set and differs; demo_list for a demo
// list when demos are not allowed), the roster (wrong_roster: another roster_hash, or not exactly the roster's
// deputies).
struct Acceptance {
  std::optional<crypto::VerifyKey> expected_issuer;  // the issuing office's key, as published
  bool allow_demo = false;
};
[[nodiscard]] Result<CardList> accept(const nlohmann::json& json, const std::vector<session::Deputy>& roster,
                                      const Acceptance& rules);

// The demo list of a session's simulated cards (hardware::derive_simulated_card with `seed`), signed by the
// demo issuer derived from the same seed (SHA-512 of ⟨"simulated-card-issuer"; seed⟩, first 32 bytes as the
// Ed25519 seed) and marked demo. Anyone who knows the seed can vote as any deputy.
[[nodiscard]] CardList simulated_card_list(const std::vector<session::Deputy>& roster, std::string_view seed);

}  // namespace hallvote::cards
