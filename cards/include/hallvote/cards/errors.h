// Error codes of hallvote::cards: why a card list is refused, or card issuing failed.
#pragma once

#include <system_error>

namespace hallvote::cards {

enum class CardsErrc {
  malformed = 1,  // not a card list of format hallvote-card-list/1 (the detail names the field)
  bad_signature,  // the issuer's signature does not verify: the list was changed after signing
  wrong_issuer,   // signed by another key than the issuing office's
  wrong_roster,   // names another roster than the session's (roster_hash), or not exactly its deputies
  demo_list,      // a demo list (simulated cards) where a real one is required
  issuing,        // a token could not be issued (the detail names the step and the PKCS#11 code)
};

const std::error_category& cards_category() noexcept;

inline std::error_code make_error_code(CardsErrc e) noexcept { return {static_cast<int>(e), cards_category()}; }

}  // namespace hallvote::cards

template <>
struct std::is_error_code_enum<hallvote::cards::CardsErrc> : std::true_type {};
