#include "hallvote/hall/hall_dir.h"

#include "hallvote/hall/files.h"
#include "hallvote/hall/overrides.h"
#include "hallvote/session/loader.h"

namespace hallvote::setup {

nlohmann::json HallRecord::to_json() const {
  return {{"format", 1},
          {"session", session_path.string()},
          {"origin", origin},
          {"server_key", server_key_hex},
          {"ca_fingerprint", ca_fingerprint},
          {"cards", cards},
          {"officials", officials},
          {"election", election},
          {"key_ceremony", key_ceremony}};
}

Result<HallRecord> HallRecord::from_json(const nlohmann::json& json) {
  HallRecord out;
  for (const char* field : {"session", "origin", "server_key", "ca_fingerprint"}) {
    if (!json.is_object() || !json.contains(field) || !json[field].is_string()) {
      return fail(std::errc::invalid_argument,
                  std::string("hall.json 缺少字段 ") + field + " / hall.json: missing " + field);
    }
  }
  out.session_path = json["session"].get<std::string>();
  out.origin = json["origin"].get<std::string>();
  out.server_key_hex = json["server_key"].get<std::string>();
  out.ca_fingerprint = json["ca_fingerprint"].get<std::string>();
  out.cards = json.value("cards", nlohmann::json());
  out.officials = json.value("officials", nlohmann::json());
  out.election = json.value("election", nlohmann::json());
  out.key_ceremony = json.value("key_ceremony", nlohmann::json());
  return out;
}

std::string log_origin(std::string_view session_id) { return "hallvote.local/" + std::string(session_id); }

audit::NoteKey Hall::log_key() const { return {record.origin, audit::kNoteEd25519, server_key}; }

std::vector<audit::NoteKey> Hall::cosigners() const {
  std::vector<audit::NoteKey> keys;
  for (const auto& member : session.key_committee.members) {
    auto key = crypto::VerifyKey::from_hex(member.public_key);
    if (key) keys.push_back({record.origin + "/" + member.id, audit::kNoteCosignature, *key});
  }
  return keys;
}

Result<nlohmann::json> read_json(const std::filesystem::path& path) {
  auto text = read_text(path);
  if (!text) return forward(text.error());
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded()) {
    return fail(std::errc::invalid_argument,
                "不是有效的 JSON：" + path.string() + " / not valid JSON: " + path.string());
  }
  return json;
}

Result<Hall> load_hall(const std::filesystem::path& dir) {
  Hall hall;
  hall.paths.dir = dir;
  if (!std::filesystem::exists(hall.paths.hall_json())) {
    return fail(std::errc::no_such_file_or_directory,
                "会场目录 " + dir.string() + " 尚未初始化，请先运行 hallvote-server init / no hall in " +
                    dir.string() + ": run hallvote-server init first");
  }
  auto json = read_json(hall.paths.hall_json());
  if (!json) return forward(json.error());
  auto record = HallRecord::from_json(*json);
  if (!record) return forward(record.error());
  hall.record = std::move(*record);
  auto loaded = session::load_session_with_files(hall.record.session_path);
  if (!loaded) return forward(loaded.error());
  auto overrides = read_overrides(hall.record.cards, hall.record.officials);
  if (!overrides) return forward(overrides.error());
  hall.session_record = {std::move(loaded->files), std::move(overrides->credential_keys),
                         std::move(overrides->official_keys), hall.record.cards, hall.record.key_ceremony};
  hall.session = std::move(loaded->definition);
  if (auto ok = protocol::apply_key_overrides(hall.session, hall.session_record.credential_keys,
                                              hall.session_record.official_keys);
      !ok) {
    return forward(ok.error());
  }
  auto server_key = crypto::VerifyKey::from_hex(hall.record.server_key_hex);
  if (!server_key) return fail(std::errc::invalid_argument, "hall.json: server_key");
  hall.server_key = *server_key;
  if (!hall.record.election.is_null()) {
    auto election = ElectionRecord::from_json(hall.record.election);
    if (!election) return forward(election.error());
    if (auto ok = election->matches(hall.session.key_committee); !ok) return forward(ok.error());
    hall.election = std::move(*election);
  }
  auto ca = read_text(hall.paths.ca_cert());
  if (!ca) return forward(ca.error());
  hall.ca_cert_pem = std::move(*ca);
  return hall;
}

}  // namespace hallvote::setup
