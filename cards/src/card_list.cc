#include "hallvote/cards/card_list.h"

#include <algorithm>
#include <set>

#include "hallvote/cards/errors.h"
#include "hallvote/hardware/simulated_card_key.h"

namespace hallvote::cards {

using nlohmann::json;

namespace {

constexpr const char* kFields[] = {"cards", "demo", "format", "issuer", "roster_hash", "signature"};

template <std::size_t N>
Result<std::array<std::uint8_t, N>> hex_field(const json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) {
    return fail(CardsErrc::malformed, std::string("代表证清单缺少 ") + name + " / card list: " + name +
                                          ": expected " + std::to_string(2 * N) + " hex digits");
  }
  auto bytes = crypto::from_hex_fixed<N>(it->get<std::string>());
  if (!bytes || crypto::to_hex(*bytes) != it->get<std::string>()) {
    return fail(CardsErrc::malformed, std::string("代表证清单字段 ") + name + " 无效 / card list: " + name +
                                          ": expected " + std::to_string(2 * N) + " lower-case hex digits");
  }
  return *bytes;
}

}  // namespace

crypto::Sha256Digest roster_hash(const std::vector<session::Deputy>& roster) {
  std::vector<const session::Deputy*> sorted;
  for (const auto& deputy : roster) sorted.push_back(&deputy);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  crypto::HashInput input("card-roster");
  for (const auto* deputy : sorted) input.add(deputy->id).add(deputy->name);
  return input.sha256();
}

crypto::Sha256Digest CardList::digest() const {
  crypto::HashInput input("card-list");
  input.add(kCardListFormat).add(roster_hash).add_u64(demo ? 1 : 0).add_u64(cards.size());
  for (const auto& [id, key] : cards) input.add(id).add(key.bytes());  // std::map: byte order of id
  return input.sha256();
}

Status CardList::verify_signature() const {
  if (!issuer.verify(digest(), signature)) {
    return fail(CardsErrc::bad_signature, "发卡单位公钥 / issuer " + issuer.hex());
  }
  return {};
}

json CardList::to_json() const {
  json keys = json::object();
  for (const auto& [id, key] : cards) keys[id] = key.hex();
  return {{"cards", keys},
          {"demo", demo},
          {"format", kCardListFormat},
          {"issuer", issuer.hex()},
          {"roster_hash", crypto::to_hex(roster_hash)},
          {"signature", crypto::to_hex(signature)}};
}

Result<CardList> CardList::from_json(const json& object) {
  if (!object.is_object()) {
    return fail(CardsErrc::malformed,
                "代表证清单应为 JSON 对象（由 hallvote-cards list 生成）/ a card list is a "
                "JSON object (made by hallvote-cards list)");
  }
  const auto format = object.find("format");
  if (format == object.end() || *format != kCardListFormat) {
    return fail(CardsErrc::malformed, "代表证清单格式不是 " + std::string(kCardListFormat) +
                                          "（旧式公钥表不再接受）/ card list: format must be " +
                                          std::string(kCardListFormat) +
                                          " (a bare key map is no longer accepted)");
  }
  for (const auto& [name, value] : object.items()) {
    if (std::find(std::begin(kFields), std::end(kFields), name) == std::end(kFields))
      return fail(CardsErrc::malformed, "代表证清单有多余字段 / card list: unknown field " + name);
  }
  CardList list;
  HALLVOTE_TRY(roster, hex_field<32>(object, "roster_hash"));
  list.roster_hash = *roster;
  HALLVOTE_TRY(issuer, hex_field<32>(object, "issuer"));
  list.issuer = crypto::VerifyKey(*issuer);
  HALLVOTE_TRY(signature, hex_field<64>(object, "signature"));
  list.signature = *signature;
  const auto demo = object.find("demo");
  if (demo == object.end() || !demo->is_boolean())
    return fail(CardsErrc::malformed, "代表证清单缺少 demo / card list: demo: expected true or false");
  list.demo = demo->get<bool>();
  const auto cards = object.find("cards");
  if (cards == object.end() || !cards->is_object() || cards->empty())
    return fail(CardsErrc::malformed, "代表证清单没有代表证 / card list: cards: expected {deputy id: hex32}");
  for (const auto& [id, value] : cards->items()) {
    const std::string where = "cards." + id;
    if (id.empty()) return fail(CardsErrc::malformed, "代表证清单有空编号 / card list: an empty deputy id");
    if (!value.is_string())
      return fail(CardsErrc::malformed, "card list: " + where + ": expected 64 hex digits");
    auto key = crypto::from_hex_fixed<32>(value.get<std::string>());
    if (!key || crypto::to_hex(*key) != value.get<std::string>()) {
      return fail(CardsErrc::malformed,
                  "代表 " + id + " 的公钥无效 / card list: " + where + ": expected 64 lower-case hex digits");
    }
    list.cards.emplace(id, crypto::VerifyKey(*key));
  }
  return list;
}

std::map<std::string, std::string> CardList::key_map() const {
  std::map<std::string, std::string> out;
  for (const auto& [id, key] : cards) out.emplace(id, key.hex());
  return out;
}

void sign(CardList& list, const crypto::SigningKey& issuer) {
  list.issuer = issuer.verify_key();
  list.signature = issuer.sign(list.digest());
}

Result<CardList> accept(const json& json_list, const std::vector<session::Deputy>& roster,
                        const Acceptance& rules) {
  HALLVOTE_TRY(list, CardList::from_json(json_list));
  if (auto ok = list->verify_signature(); !ok) return forward(ok.error());
  if (list->demo && !rules.allow_demo) {
    return fail(CardsErrc::demo_list, "真实会场不接受模拟代表证 / a real hall does not accept simulated cards");
  }
  if (rules.expected_issuer && !(list->issuer == *rules.expected_issuer)) {
    return fail(CardsErrc::wrong_issuer, "清单签名公钥 " + list->issuer.hex() + "，发卡单位公钥 " +
                                             rules.expected_issuer->hex() + " / signed by " +
                                             list->issuer.hex() + ", the issuing office's key is " +
                                             rules.expected_issuer->hex());
  }
  if (list->roster_hash != roster_hash(roster)) {
    return fail(CardsErrc::wrong_roster, "清单所指名册摘要 " + crypto::to_hex(list->roster_hash) +
                                             "，本次会议名册摘要 " + crypto::to_hex(roster_hash(roster)) +
                                             " / roster_hash differs from this session's roster");
  }
  std::set<std::string> ids;
  for (const auto& deputy : roster) ids.insert(deputy.id);
  for (const auto& id : ids) {
    if (!list->cards.contains(id))
      return fail(CardsErrc::wrong_roster, "清单中没有代表 " + id + " 的代表证 / no card for deputy " + id);
  }
  for (const auto& [id, key] : list->cards) {
    if (!ids.contains(id))
      return fail(CardsErrc::wrong_roster,
                  "名册中没有代表 " + id + " / card for " + id + ", not in the roster");
  }
  return list;
}

CardList simulated_card_list(const std::vector<session::Deputy>& roster, std::string_view seed) {
  CardList list;
  list.roster_hash = roster_hash(roster);
  list.demo = true;
  for (const auto& deputy : roster) {
    list.cards.emplace(deputy.id, hardware::derive_simulated_card(seed, deputy.id).verify_key());
  }
  auto digest = crypto::HashInput("simulated-card-issuer").add(seed).sha512();
  crypto::SecretArray<32> issuer_seed;
  std::copy_n(digest.begin(), 32, issuer_seed.mutable_bytes().begin());
  crypto::secure_wipe(digest);
  sign(list, crypto::SigningKey::from_seed(issuer_seed));
  return list;
}

}  // namespace hallvote::cards
