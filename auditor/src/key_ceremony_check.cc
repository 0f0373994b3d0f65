// session.definition, item 6 (docs/crypto.md §13.1): the election key, every trustee key and the members'
// signing keys of entry 0 are those the key ceremony's transcript makes (crypto.md §6.5), when the hall held
// the ceremony on the members' own machines.
#include "hallvote/protocol/errors.h"
#include "hallvote/protocol/key_ceremony.h"
#include "hallvote/protocol/session_record.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {

Check check_key_ceremony(Walk& walk, const json& payload, At& at) {
  constexpr std::string_view kCheck = "session.definition";
  const std::string field = "payload.session.key_ceremony";
  const json* transcript = nullptr;
  if (auto session = payload.find("session"); session != payload.end() && session->is_object()) {
    if (auto found = session->find("key_ceremony"); found != session->end()) transcript = &*found;
  }
  if (transcript == nullptr) {
    walk.report.ceremony = KeyCeremonySummary{};  // a one-process demo ceremony: reported as such
    return std::nullopt;
  }
  auto record = protocol::verify_ceremony(*transcript);
  if (!record) {
    const auto& code = record.error().code;
    const VoteAuditErrc errc = code == protocol::CeremonyErrc::bad_signature ? VoteAuditErrc::invalid_signature
                               : code == protocol::ProtocolErrc::malformed   ? VoteAuditErrc::malformed
                                                                             : VoteAuditErrc::mismatch;
    return at(
        kCheck, field, errc,
        "密钥仪式记录不成立 / the key ceremony's transcript does not verify: " + record.error().message());
  }
  const auto& session = walk.session();
  // The call fixes the session files the members confirmed: entry 0's must be those.
  auto recorded = protocol::SessionRecord::from_json(payload.at("session"));
  if (!recorded) return at(kCheck, "payload.session", VoteAuditErrc::malformed, recorded.error().message());
  if (auto ok = record->call.matches(session, recorded->files); !ok) {
    return at(kCheck, field + ".call", VoteAuditErrc::mismatch, ok.error().message());
  }
  const auto& made = record->qualification.key;
  const auto& logged = walk.opened.threshold_key;
  bool same = logged.has_value() && logged->params.k == made.params.k && logged->params.n == made.params.n &&
              logged->params.ceremony_id == made.params.ceremony_id &&
              logged->election_key == made.election_key &&
              logged->trustee_keys.size() == made.trustee_keys.size();
  for (std::size_t j = 0; same && j < made.trustee_keys.size(); ++j) {
    same = logged->trustee_keys[j] == made.trustee_keys[j];
  }
  if (!same) {
    return at(
        kCheck, "payload.threshold_key", VoteAuditErrc::mismatch,
        "首条目的选举公钥或受托人公钥不是密钥仪式记录推算的 / the election key or a trustee key of entry 0 is "
        "not the one the key ceremony's transcript makes");
  }
  for (const auto& [member, key] : record->signing_keys) {
    const session::Official* official = session.find_official(member);
    if (official == nullptr || official->public_key != key) {
      return at(kCheck, "payload.session.official_keys", VoteAuditErrc::mismatch,
                "成员 " + member + " 的签名公钥不是其在密钥仪式中报到的公钥 / member " + member +
                    ": the signing key used is not the one the member joined the key ceremony with");
    }
  }
  KeyCeremonySummary summary;
  summary.ceremony_id = record->call.ceremony_id;
  summary.absent = record->call.absent;
  summary.qualified = record->qualification.qualified;
  for (const auto& [dealer, why] : record->qualification.excluded) summary.excluded.push_back(dealer);
  summary.fingerprint = protocol::spoken_fingerprint(record->qualification.fingerprint);
  walk.report.ceremony = std::move(summary);
  return std::nullopt;
}

}  // namespace hallvote::vote_audit::internal
