#include "json_diff.h"

#include <set>

namespace hallvote::vote_audit::internal {

using nlohmann::json;

std::optional<Difference> first_difference(const json& expected, const json& actual, const std::string& path) {
  if (expected.is_object() && actual.is_object()) {
    std::set<std::string> keys;
    for (const auto& [key, value] : expected.items()) keys.insert(key);
    for (const auto& [key, value] : actual.items()) keys.insert(key);
    for (const auto& key : keys) {
      const std::string at = path + "." + key;
      if (!expected.contains(key)) return Difference{at, std::nullopt, actual.at(key)};
      if (!actual.contains(key)) return Difference{at, expected.at(key), std::nullopt};
      if (auto d = first_difference(expected.at(key), actual.at(key), at)) return d;
    }
    return std::nullopt;
  }
  if (expected.is_array() && actual.is_array()) {
    if (expected.size() != actual.size()) return Difference{path, expected, actual};
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (auto d = first_difference(expected[i], actual[i], path + "[" + std::to_string(i) + "]")) return d;
    }
    return std::nullopt;
  }
  if (expected == actual) return std::nullopt;
  return Difference{path, expected, actual};
}

std::string Difference::describe() const {
  if (!expected) return path + ": 多出的字段 / unexpected field (" + brief(*actual) + ")";
  if (!actual) return path + ": 缺少字段 / missing field (expected " + brief(*expected) + ")";
  return path + ": 重算为 " + brief(*expected) + "，日志记录为 " + brief(*actual) + " / recomputed " +
         brief(*expected) + ", logged " + brief(*actual);
}

std::string brief(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  constexpr std::size_t kMax = 120;
  if (text.size() <= kMax) return text;
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

}  // namespace hallvote::vote_audit::internal
