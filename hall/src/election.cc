#include "hallvote/hall/election.h"

#include "hallvote/crypto/bytes.h"

namespace hallvote::setup {
namespace {

tl::unexpected<Error> bad(const std::string& field) {
  return fail(std::errc::invalid_argument,
              "election.json 字段 " + field + " 无效 / election.json: bad field " + field);
}

}  // namespace

nlohmann::json ElectionRecord::to_json() const {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& key : trustee_keys) keys.push_back(crypto::to_hex(key));
  return {{"ceremony_id", ceremony_id},
          {"k", k},
          {"n", n},
          {"election_key", crypto::to_hex(election_key)},
          {"trustee_ids", trustee_ids},
          {"trustee_keys", keys}};
}

Result<ElectionRecord> ElectionRecord::from_json(const nlohmann::json& json) {
  ElectionRecord out;
  if (!json.is_object()) return bad("(not an object)");
  if (!json.contains("ceremony_id") || !json["ceremony_id"].is_string()) return bad("ceremony_id");
  out.ceremony_id = json["ceremony_id"].get<std::string>();
  if (!json.contains("k") || !json["k"].is_number_unsigned()) return bad("k");
  if (!json.contains("n") || !json["n"].is_number_unsigned()) return bad("n");
  out.k = json["k"].get<std::uint32_t>();
  out.n = json["n"].get<std::uint32_t>();
  if (out.k == 0 || out.k > out.n) return bad("k");
  if (!json.contains("election_key") || !json["election_key"].is_string()) return bad("election_key");
  auto key = crypto::from_hex_fixed<32>(json["election_key"].get<std::string>());
  if (!key) return bad("election_key");
  out.election_key = *key;
  if (!json.contains("trustee_keys") || !json["trustee_keys"].is_array() ||
      json["trustee_keys"].size() != out.n) {
    return bad("trustee_keys");
  }
  for (const auto& item : json["trustee_keys"]) {
    auto trustee = item.is_string() ? crypto::from_hex_fixed<32>(item.get<std::string>())
                                    : Result<std::array<std::uint8_t, 32>>(bad("trustee_keys"));
    if (!trustee) return bad("trustee_keys");
    out.trustee_keys.push_back(*trustee);
  }
  if (json.contains("trustee_ids")) {
    if (!json["trustee_ids"].is_array() || json["trustee_ids"].size() != out.n) return bad("trustee_ids");
    for (const auto& id : json["trustee_ids"]) {
      if (!id.is_string()) return bad("trustee_ids");
      out.trustee_ids.push_back(id.get<std::string>());
    }
  }
  return out;
}

Status ElectionRecord::matches(const session::KeyCommittee& committee) const {
  if (k != committee.quorum || n != committee.members.size()) {
    return fail(std::errc::invalid_argument,
                "选举公钥的门限 " + std::to_string(k) + "/" + std::to_string(n) + " 与会议的主席团设置 " +
                    std::to_string(committee.quorum) + "/" + std::to_string(committee.members.size()) +
                    " 不符 / the election key's k/n does not match the session's key committee");
  }
  for (std::size_t j = 0; j < trustee_ids.size(); ++j) {
    if (trustee_ids[j] != committee.members[j].id) {
      return fail(std::errc::invalid_argument,
                  "受托人 " + std::to_string(j + 1) + " 应为 " + committee.members[j].id + " / trustee " +
                      std::to_string(j + 1) + " must be " + committee.members[j].id);
    }
  }
  return {};
}

Result<crypto::ThresholdKey> ElectionRecord::threshold_key() const {
  crypto::ThresholdKey key;
  key.params = {k, n, ceremony_id};
  auto joint = crypto::Point::decode_non_identity(election_key);
  if (!joint) return fail(joint.error().code, "election.json election_key: " + joint.error().detail);
  key.election_key = *joint;
  for (std::size_t j = 0; j < trustee_keys.size(); ++j) {
    auto point = crypto::Point::decode_non_identity(trustee_keys[j]);
    if (!point) return fail(point.error().code, "election.json trustee_keys[" + std::to_string(j) + "]");
    key.trustee_keys.push_back(*point);
  }
  return key;
}

}  // namespace hallvote::setup
