#include "hallvote/protocol/certification.h"

#include <algorithm>
#include <set>

#include "hallvote/crypto/hash.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/protocol/json_fields.h"

namespace hallvote::protocol {
namespace {

namespace jf = json_fields;
using nlohmann::json;

bool is_scrutineer(const session::Official& official) {
  return official.role == session::OfficialRole::chief_scrutineer ||
         official.role == session::OfficialRole::scrutineer;
}

const session::Official* member(const session::KeyCommittee& committee, std::string_view id) {
  for (const auto& official : committee.members) {
    if (official.id == id) return &official;
  }
  return nullptr;
}

std::uint32_t presidium_needed(const session::KeyCommittee& committee) {
  const auto presidium =
      static_cast<std::uint32_t>(std::count_if(committee.members.begin(), committee.members.end(),
                                               [](const session::Official& o) { return !is_scrutineer(o); }));
  return std::min(committee.quorum, presidium);
}

}  // namespace

crypto::Bytes certification_message(std::string_view session_id, std::string_view vote_id, std::uint32_t round,
                                    std::uint64_t result_sequence, const ResultHash& result_hash,
                                    std::string_view official_id, std::string_view role) {
  return crypto::HashInput("certification")
      .add(session_id)
      .add(vote_id)
      .add_u64(round)
      .add_u64(result_sequence)
      .add(crypto::ByteView(result_hash.data(), result_hash.size()))
      .add(official_id)
      .add(role)
      .bytes();
}

json CertificationProgress::to_json() const {
  return {{"complete", complete},
          {"signed", signed_ids},
          {"missing", missing_scrutineers},
          {"presidium_signed", presidium_signed},
          {"presidium_needed", presidium_needed}};
}

CertificationProgress certification_progress(const session::KeyCommittee& committee,
                                             std::span<const std::string> signer_ids_in_order) {
  CertificationProgress progress;
  progress.signed_ids.assign(signer_ids_in_order.begin(), signer_ids_in_order.end());
  progress.presidium_needed = presidium_needed(committee);
  std::set<std::string> scrutineers_missing;
  for (const auto& official : committee.members) {
    if (is_scrutineer(official)) scrutineers_missing.insert(official.id);
  }
  std::set<std::string> presidium;
  for (const std::string& id : signer_ids_in_order) {
    const session::Official* official = member(committee, id);
    if (official == nullptr) continue;
    if (is_scrutineer(*official)) {
      scrutineers_missing.erase(id);
    } else if (scrutineers_missing.empty()) {
      presidium.insert(id);
    }
  }
  for (const auto& official : committee.members) {
    if (scrutineers_missing.count(official.id) != 0) progress.missing_scrutineers.push_back(official.id);
  }
  progress.presidium_signed = static_cast<std::uint32_t>(presidium.size());
  progress.complete =
      progress.missing_scrutineers.empty() && progress.presidium_signed >= progress.presidium_needed;
  return progress;
}

Status check_next_certifier(const session::KeyCommittee& committee,
                            std::span<const std::string> signer_ids_in_order, std::string_view official_id) {
  const std::string id(official_id);
  const session::Official* official = member(committee, official_id);
  if (official == nullptr) {
    return fail(ProtocolErrc::invalid_certification,
                "'" + id + "' 不是主席团/监票人成员 / not a key committee member");
  }
  const CertificationProgress progress = certification_progress(committee, signer_ids_in_order);
  if (progress.complete) {
    return fail(ProtocolErrc::invalid_certification,
                "本轮计票结果已确认，签名已齐 / this round is already certified");
  }
  if (std::find(signer_ids_in_order.begin(), signer_ids_in_order.end(), official_id) !=
      signer_ids_in_order.end()) {
    return fail(ProtocolErrc::invalid_certification, official->name + "（" + id + "）已签署本轮计票结果 / " +
                                                         id + " has already certified this round");
  }
  if (!is_scrutineer(*official) && !progress.missing_scrutineers.empty()) {
    std::string missing;
    for (const auto& m : progress.missing_scrutineers) missing += (missing.empty() ? "" : ", ") + m;
    return fail(ProtocolErrc::invalid_certification, "总监票人、监票人尚未全部签名（尚缺 " + missing +
                                                         "），主席团成员不能先签 / every scrutineer signs "
                                                         "before the presidium; missing: " +
                                                         missing);
  }
  return {};
}

json Certification::to_payload() const {
  return {{"vote_id", vote_id},
          {"round", round},
          {"result_sequence", result_sequence},
          {"result_hash", crypto::to_hex(result_hash)},
          {"certifier", certifier},
          {"name", name},
          {"role", role},
          {"signature", crypto::to_hex(signature)},
          {"complete", complete}};
}

Result<Certification> Certification::from_payload(const json& payload) {
  const std::string where = "payload";
  Certification out;
  auto vote_id = jf::text(payload, "vote_id", where);
  if (!vote_id) return forward(vote_id.error());
  out.vote_id = std::move(*vote_id);
  auto round = jf::count(payload, "round", where, 0xFFFFFFFFu);
  if (!round) return forward(round.error());
  if (*round == 0) return fail(ProtocolErrc::malformed, where + ".round: rounds are numbered from 1");
  out.round = static_cast<std::uint32_t>(*round);
  auto sequence = jf::count(payload, "result_sequence", where);
  if (!sequence) return forward(sequence.error());
  out.result_sequence = *sequence;
  auto hash = jf::hex<32>(payload, "result_hash", where);
  if (!hash) return forward(hash.error());
  out.result_hash = *hash;
  auto certifier = jf::text(payload, "certifier", where);
  if (!certifier) return forward(certifier.error());
  out.certifier = std::move(*certifier);
  auto name = jf::text(payload, "name", where);
  if (!name) return forward(name.error());
  out.name = std::move(*name);
  auto role = jf::text(payload, "role", where);
  if (!role) return forward(role.error());
  session::OfficialRole parsed{};
  if (!session::parse_official_role(*role, parsed)) {
    return fail(ProtocolErrc::malformed, where + ".role: '" + *role + "' is not an official's role");
  }
  out.role = std::move(*role);
  auto signature = jf::hex<64>(payload, "signature", where);
  if (!signature) return forward(signature.error());
  out.signature = *signature;
  auto complete = jf::boolean(payload, "complete", where);
  if (!complete) return forward(complete.error());
  out.complete = *complete;
  return out;
}

Status verify_certification(const session::KeyCommittee& committee, std::string_view session_id,
                            std::string_view vote_id, std::uint32_t round, std::uint64_t result_sequence,
                            const ResultHash& result_hash, std::string_view official_id,
                            const crypto::Signature& signature) {
  const session::Official* official = member(committee, official_id);
  if (official == nullptr) {
    return fail(ProtocolErrc::invalid_certification,
                "'" + std::string(official_id) + "' 不是主席团/监票人成员 / not a key committee member");
  }
  const auto message = certification_message(session_id, vote_id, round, result_sequence, result_hash,
                                             official_id, session::to_string(official->role));
  auto key = crypto::VerifyKey::from_hex(official->public_key);
  if (!key || !key->verify(message, signature)) {
    return fail(ProtocolErrc::invalid_certification, official->name +
                                                         " 的确认签名无效 / the certification signature of " +
                                                         official->id + " does not verify");
  }
  return {};
}

}  // namespace hallvote::protocol
