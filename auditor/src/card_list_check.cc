// session.definition, item 5 (docs/crypto.md §13.1): the card keys of entry 0 are those of a card list the
// issuing office signed over this roster (docs/cards.md §4).
#include "hallvote/cards/card_list.h"
#include "hallvote/cards/errors.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {

Check check_card_list(Walk& walk, const json& payload, At& at) {
  constexpr std::string_view kCheck = "session.definition";
  const std::string field = "payload.session.card_list";
  const json* list = nullptr;
  if (auto session = payload.find("session"); session != payload.end() && session->is_object()) {
    if (auto found = session->find("card_list"); found != session->end()) list = &*found;
  }
  if (list == nullptr) {
    return at(
        kCheck, field, VoteAuditErrc::malformed,
        "首条目没有发卡单位签发的代表证清单，代表证公钥无从核对 / entry 0 records no issuer-signed card list: "
        "the card keys cannot be checked");
  }
  cards::Acceptance rules;
  rules.expected_issuer = walk.card_issuer;
  rules.allow_demo = true;  // reported as such (VoteReport::cards)
  auto accepted = cards::accept(*list, walk.session().roster, rules);
  if (!accepted) {
    const auto& code = accepted.error().code;
    const VoteAuditErrc errc = code == cards::CardsErrc::bad_signature ? VoteAuditErrc::invalid_signature
                               : code == cards::CardsErrc::malformed   ? VoteAuditErrc::malformed
                                                                       : VoteAuditErrc::mismatch;
    return at(kCheck, field, errc, accepted.error().message());
  }
  for (const auto& deputy : walk.session().roster) {
    if (accepted->cards.at(deputy.id).hex() != deputy.credential_key) {
      return at(kCheck, "payload.session.credential_keys", VoteAuditErrc::mismatch,
                "代表 " + deputy.id + " 的代表证公钥不是发卡单位签发的 / deputy " + deputy.id +
                    ": the card key used is not the one in the issuer-signed card list");
    }
  }
  walk.report.cards = CardListSummary{accepted->issuer.hex(), accepted->demo, walk.card_issuer.has_value()};
  return std::nullopt;
}

}  // namespace hallvote::vote_audit::internal
