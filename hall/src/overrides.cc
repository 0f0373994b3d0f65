#include "hallvote/hall/overrides.h"

#include "hallvote/cards/card_list.h"
#include "hallvote/protocol/session_record.h"

namespace hallvote::setup {

Result<OverrideMaps> read_overrides(const nlohmann::json& card_list, const nlohmann::json& officials) {
  std::map<std::string, std::string> card_keys;
  if (!card_list.is_null()) {
    auto list = cards::CardList::from_json(card_list);
    if (!list) return forward(list.error());
    card_keys = list->key_map();
  }
  auto official_keys = protocol::read_key_map(officials, "主席团签名公钥表", "officials map");
  if (!official_keys) return forward(official_keys.error());
  return OverrideMaps{std::move(card_keys), std::move(*official_keys)};
}

Status apply_overrides(session::SessionDefinition& session, const nlohmann::json& card_list,
                       const nlohmann::json& officials) {
  auto maps = read_overrides(card_list, officials);
  if (!maps) return forward(maps.error());
  return protocol::apply_key_overrides(session, maps->credential_keys, maps->official_keys);
}

}  // namespace hallvote::setup
