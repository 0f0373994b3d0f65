#include "hallvote/protocol/session_record.h"

#include "hallvote/crypto/signature.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::protocol {

using nlohmann::json;

namespace {

const json* member(const json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

Result<std::string> text(const json& object, const char* name, const std::string& where) {
  const json* value = member(object, name);
  if (value == nullptr || !value->is_string())
    return fail(ProtocolErrc::malformed, where + "." + name + ": expected a string");
  return value->get<std::string>();
}

Result<crypto::Point> point(const json& value, const std::string& where) {
  if (!value.is_string()) return fail(ProtocolErrc::malformed, where + ": expected 64 hex digits");
  auto bytes = crypto::from_hex(value.get<std::string>());
  if (!bytes) return fail(ProtocolErrc::malformed, where + ": " + bytes.error().detail);
  auto p = crypto::Point::decode_non_identity(*bytes);
  if (!p) return fail(ProtocolErrc::malformed, where + ": " + p.error().detail);
  return *p;
}

}  // namespace

Result<std::map<std::string, std::string>> read_key_map(const json& map, const char* what_zh,
                                                        const char* what) {
  std::map<std::string, std::string> out;
  if (map.is_null()) return out;
  if (!map.is_object()) {
    return fail(std::errc::invalid_argument,
                std::string(what_zh) + "必须是 {编号: 公钥} / " + what + " must be an object {id: hex}");
  }
  for (const auto& [id, value] : map.items()) {
    if (!value.is_string()) {
      return fail(std::errc::invalid_argument, std::string(what_zh) + " " + id + " 的公钥不是字符串 / " + what +
                                                   " " + id + ": not a string");
    }
    auto key = crypto::VerifyKey::from_hex(value.get<std::string>());
    if (!key) {
      return fail(std::errc::invalid_argument, std::string(what_zh) + " " + id + " 的公钥无效 / " + what + " " +
                                                   id + ": not a 32-byte public key in hex");
    }
    out.emplace(id, key->hex());
  }
  return out;
}

Status apply_key_overrides(session::SessionDefinition& session,
                           const std::map<std::string, std::string>& credential_keys,
                           const std::map<std::string, std::string>& official_keys) {
  for (const auto& [id, key] : credential_keys) {
    if (session.find_deputy(id) == nullptr) {
      return fail(std::errc::invalid_argument,
                  "名册中没有代表 " + id + " / no deputy '" + id + "' in the roster");
    }
    if (!crypto::VerifyKey::from_hex(key)) {
      return fail(std::errc::invalid_argument,
                  "代表 " + id + " 的公钥无效 / deputy " + id + ": not a public key in hex");
    }
  }
  for (const auto& [id, key] : official_keys) {
    if (session.find_official(id) == nullptr) {
      return fail(std::errc::invalid_argument,
                  "主席团/监票人中没有 " + id + " / no key-committee member '" + id + "'");
    }
    if (!crypto::VerifyKey::from_hex(key)) {
      return fail(std::errc::invalid_argument,
                  "成员 " + id + " 的公钥无效 / member " + id + ": not a public key in hex");
    }
  }
  for (auto& deputy : session.roster) {
    if (auto it = credential_keys.find(deputy.id); it != credential_keys.end())
      deputy.credential_key = it->second;
  }
  for (auto& official : session.key_committee.members) {
    if (auto it = official_keys.find(official.id); it != official_keys.end()) official.public_key = it->second;
  }
  return {};
}

Result<session::SessionDefinition> SessionRecord::definition() const {
  auto parsed = session::parse_session_files(files);
  if (!parsed) return forward(parsed.error());
  if (auto ok = apply_key_overrides(*parsed, credential_keys, official_keys); !ok) return forward(ok.error());
  return parsed;
}

json SessionRecord::to_json() const {
  json out = {{"files", files.contents},
              {"session_file", files.session_file},
              {"credential_keys", credential_keys},
              {"official_keys", official_keys}};
  if (!card_list.is_null()) out["card_list"] = card_list;
  if (!key_ceremony.is_null()) out["key_ceremony"] = key_ceremony;
  return out;
}

Result<SessionRecord> SessionRecord::from_json(const json& object) {
  SessionRecord record;
  auto session_file = text(object, "session_file", "session");
  if (!session_file) return forward(session_file.error());
  record.files.session_file = *session_file;
  const json* files = member(object, "files");
  if (files == nullptr || !files->is_object())
    return fail(ProtocolErrc::malformed, "session.files: expected an object");
  for (const auto& [name, contents] : files->items()) {
    if (!contents.is_string())
      return fail(ProtocolErrc::malformed, "session.files." + name + ": expected a string");
    record.files.contents.emplace(name, contents.get<std::string>());
  }
  const json empty = json::object();
  const json* credential_keys = member(object, "credential_keys");
  const json* official_keys = member(object, "official_keys");
  auto credentials =
      read_key_map(credential_keys ? *credential_keys : empty, "代表证公钥表", "session.credential_keys");
  if (!credentials) return fail(ProtocolErrc::malformed, credentials.error().detail);
  auto officials =
      read_key_map(official_keys ? *official_keys : empty, "主席团签名公钥表", "session.official_keys");
  if (!officials) return fail(ProtocolErrc::malformed, officials.error().detail);
  record.credential_keys = std::move(*credentials);
  record.official_keys = std::move(*officials);
  if (const json* card_list = member(object, "card_list")) {
    if (!card_list->is_object()) return fail(ProtocolErrc::malformed, "session.card_list: expected an object");
    record.card_list = *card_list;
  }
  if (const json* ceremony = member(object, "key_ceremony")) {
    if (!ceremony->is_object())
      return fail(ProtocolErrc::malformed, "session.key_ceremony: expected an object");
    record.key_ceremony = *ceremony;
  }
  return record;
}

json threshold_key_json(const crypto::ThresholdKey& key) {
  json trustees = json::array();
  for (const auto& x : key.trustee_keys) trustees.push_back(crypto::to_hex(x.encode()));
  return {{"k", key.params.k},
          {"n", key.params.n},
          {"ceremony_id", key.params.ceremony_id},
          {"election_key", crypto::to_hex(key.election_key.encode())},
          {"trustee_keys", trustees}};
}

Result<crypto::ThresholdKey> threshold_key_from_json(const json& object) {
  crypto::ThresholdKey key;
  const json* k = member(object, "k");
  const json* n = member(object, "n");
  if (k == nullptr || !k->is_number_unsigned() || n == nullptr || !n->is_number_unsigned()) {
    return fail(ProtocolErrc::malformed, "threshold_key.k/n: expected counts");
  }
  if (k->get<std::uint64_t>() > 255 || n->get<std::uint64_t>() > 255) {
    return fail(ProtocolErrc::malformed, "threshold_key.k/n: at most 255");
  }
  key.params.k = k->get<std::uint32_t>();
  key.params.n = n->get<std::uint32_t>();
  auto ceremony = text(object, "ceremony_id", "threshold_key");
  if (!ceremony) return forward(ceremony.error());
  key.params.ceremony_id = *ceremony;
  if (auto ok = key.params.validate(); !ok)
    return fail(ProtocolErrc::malformed, "threshold_key: " + ok.error().detail);
  const json* election = member(object, "election_key");
  if (election == nullptr) return fail(ProtocolErrc::malformed, "threshold_key.election_key: missing");
  auto election_key = point(*election, "threshold_key.election_key");
  if (!election_key) return forward(election_key.error());
  key.election_key = *election_key;
  const json* trustees = member(object, "trustee_keys");
  if (trustees == nullptr || !trustees->is_array() || trustees->size() != key.params.n) {
    return fail(ProtocolErrc::malformed,
                "threshold_key.trustee_keys: expected n = " + std::to_string(key.params.n) + " keys");
  }
  for (std::size_t j = 0; j < trustees->size(); ++j) {
    auto x = point((*trustees)[j], "threshold_key.trustee_keys[" + std::to_string(j) + "]");
    if (!x) return forward(x.error());
    key.trustee_keys.push_back(*x);
  }
  return key;
}

json session_opened_payload(const SessionRecord& record, const session::SessionDefinition& definition,
                            const std::array<std::uint8_t, 32>& election_key,
                            const crypto::VerifyKey& server_key,
                            const std::optional<crypto::ThresholdKey>& threshold_key) {
  json officials = json::array();
  for (const auto& official : definition.key_committee.members) {
    officials.push_back({{"id", official.id},
                         {"name", official.name},
                         {"key", official.public_key},
                         {"role", std::string(session::to_string(official.role))}});
  }
  json payload = {{"session_id", definition.info.id},
                  {"title", definition.info.body},
                  {"officials", officials},
                  {"quorum", definition.key_committee.quorum},
                  {"election_key", crypto::to_hex(election_key)},
                  {"server_key", server_key.hex()},
                  {"session", record.to_json()}};
  if (threshold_key) payload["threshold_key"] = threshold_key_json(*threshold_key);
  return payload;
}

Result<OpenedSession> read_session_opened(const json& payload) {
  OpenedSession opened;
  auto session_id = text(payload, "session_id", "session_opened");
  if (!session_id) return forward(session_id.error());
  opened.session_id = *session_id;
  const json* session = member(payload, "session");
  if (session == nullptr) {
    return fail(ProtocolErrc::malformed,
                "session_opened.session: missing (a log written before the session record)");
  }
  auto record = SessionRecord::from_json(*session);
  if (!record) return forward(record.error());
  auto definition = record->definition();
  if (!definition) return forward(definition.error());
  opened.definition = std::move(*definition);
  if (opened.definition.info.id != opened.session_id) {
    return fail(ProtocolErrc::malformed, "session_opened.session_id '" + opened.session_id +
                                             "' differs from the recorded session file's id '" +
                                             opened.definition.info.id + "'");
  }
  const json* officials = member(payload, "officials");
  if (officials == nullptr || !officials->is_array() ||
      officials->size() != opened.definition.key_committee.members.size()) {
    return fail(ProtocolErrc::malformed, "session_opened.officials: does not list the recorded key committee");
  }
  for (std::size_t i = 0; i < officials->size(); ++i) {
    const auto& official = opened.definition.key_committee.members[i];
    const json& listed = (*officials)[i];
    if (!listed.is_object() || listed.value("id", "") != official.id ||
        listed.value("key", "") != official.public_key) {
      return fail(ProtocolErrc::malformed, "session_opened.officials[" + std::to_string(i) +
                                               "]: differs from the recorded key committee (" + official.id +
                                               ")");
    }
  }
  auto election_key = text(payload, "election_key", "session_opened");
  if (!election_key) return forward(election_key.error());
  auto election_bytes = crypto::from_hex_fixed<32>(*election_key);
  if (!election_bytes)
    return fail(ProtocolErrc::malformed, "session_opened.election_key: " + election_bytes.error().detail);
  opened.election_key = *election_bytes;
  auto server_key_hex = text(payload, "server_key", "session_opened");
  if (!server_key_hex) return forward(server_key_hex.error());
  auto server_key = crypto::VerifyKey::from_hex(*server_key_hex);
  if (!server_key)
    return fail(ProtocolErrc::malformed, "session_opened.server_key: " + server_key.error().detail);
  opened.server_key = *server_key;
  if (const json* threshold = member(payload, "threshold_key")) {
    auto key = threshold_key_from_json(*threshold);
    if (!key) return forward(key.error());
    if (key->election_key.encode() != opened.election_key) {
      return fail(ProtocolErrc::malformed,
                  "session_opened.threshold_key.election_key differs from election_key");
    }
    if (key->params.n != opened.definition.key_committee.members.size() ||
        key->params.k != opened.definition.key_committee.quorum) {
      return fail(ProtocolErrc::malformed, "session_opened.threshold_key: k/n differ from the key committee");
    }
    opened.threshold_key = std::move(*key);
  }
  return opened;
}

}  // namespace hallvote::protocol
