#include "hallvote/hall/overrides.h"

#include "hallvote/protocol/session_record.h"

namespace hallvote::setup {

Result<OverrideMaps> read_overrides(const nlohmann::json& cards, const nlohmann::json& officials) {
  auto card_keys = protocol::read_key_map(cards, "代表证公钥表", "card map");
  if (!card_keys) return forward(card_keys.error());
  auto official_keys = protocol::read_key_map(officials, "主席团签名公钥表", "officials map");
  if (!official_keys) return forward(official_keys.error());
  return OverrideMaps{std::move(*card_keys), std::move(*official_keys)};
}

Status apply_overrides(session::SessionDefinition& session, const nlohmann::json& cards,
                       const nlohmann::json& officials) {
  auto maps = read_overrides(cards, officials);
  if (!maps) return forward(maps.error());
  return protocol::apply_key_overrides(session, maps->credential_keys, maps->official_keys);
}

}  // namespace hallvote::setup
