#include "hallvote/setup/overrides.h"

#include <map>
#include <string>

#include "hallvote/crypto/signature.h"

namespace hallvote::setup {
namespace {

Result<std::map<std::string, std::string>> read_map(const nlohmann::json& map, const char* what_zh, const char* what) {
  std::map<std::string, std::string> out;
  if (map.is_null()) return out;
  if (!map.is_object()) {
    return fail(std::errc::invalid_argument, std::string(what_zh) + "必须是 {编号: 公钥} / " + what + " must be an object {id: hex}");
  }
  for (const auto& [id, value] : map.items()) {
    if (!value.is_string()) {
      return fail(std::errc::invalid_argument, std::string(what_zh) + " " + id + " 的公钥不是字符串 / " + what + " " + id + ": not a string");
    }
    auto key = crypto::VerifyKey::from_hex(value.get<std::string>());
    if (!key) {
      return fail(std::errc::invalid_argument, std::string(what_zh) + " " + id + " 的公钥无效 / " + what + " " + id +
                                                   ": not a 32-byte public key in hex");
    }
    out.emplace(id, key->hex());
  }
  return out;
}

}  // namespace

Status apply_overrides(session::SessionDefinition& session, const nlohmann::json& cards, const nlohmann::json& officials) {
  auto card_keys = read_map(cards, "代表证公钥表", "card map");
  if (!card_keys) return forward(card_keys.error());
  auto official_keys = read_map(officials, "主席团签名公钥表", "officials map");
  if (!official_keys) return forward(official_keys.error());
  for (const auto& [id, key] : *card_keys) {
    if (session.find_deputy(id) == nullptr) {
      return fail(std::errc::invalid_argument, "名册中没有代表 " + id + " / no deputy '" + id + "' in the roster");
    }
  }
  for (const auto& [id, key] : *official_keys) {
    if (session.find_official(id) == nullptr) {
      return fail(std::errc::invalid_argument, "主席团/监票人中没有 " + id + " / no key-committee member '" + id + "'");
    }
  }
  for (auto& deputy : session.roster) {
    if (auto it = card_keys->find(deputy.id); it != card_keys->end()) deputy.credential_key = it->second;
  }
  for (auto& member : session.key_committee.members) {
    if (auto it = official_keys->find(member.id); it != official_keys->end()) member.public_key = it->second;
  }
  return {};
}

}  // namespace hallvote::setup
