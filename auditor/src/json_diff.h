// Internal: where two JSON values first differ, for naming the field a recomputed value disagrees with.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace hallvote::vote_audit::internal {

struct Difference {
  std::string path;                        // e.g. "payload.outcome.items[2].rank"
  std::optional<nlohmann::json> expected;  // absent: the key is not expected
  std::optional<nlohmann::json> actual;    // absent: the key is missing
  // "expected X, logged Y" in Chinese and English.
  [[nodiscard]] std::string describe() const;
};

// nullopt when equal; otherwise the first difference below `path`: objects compared key by key in byte order (a
// key on one side only is a difference at that key), arrays by length then element by element, numbers by
// value.
[[nodiscard]] std::optional<Difference> first_difference(const nlohmann::json& expected,
                                                         const nlohmann::json& actual, const std::string& path);

// A short rendering of a value for an error message (at most ~120 bytes, cut at a UTF-8 boundary).
[[nodiscard]] std::string brief(const nlohmann::json& value);

}  // namespace hallvote::vote_audit::internal
