// The one JSON field reader: typed access to JSON object fields (log payloads, messages, records) with errors
// that name the field (ProtocolErrc::malformed).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::protocol::json_fields {

using nlohmann::json;

inline Result<const json*> field(const json& object, const std::string& name, const std::string& where) {
  if (!object.is_object()) return fail(ProtocolErrc::malformed, where + ": expected an object");
  auto it = object.find(name);
  if (it == object.end()) return fail(ProtocolErrc::malformed, where + "." + name + ": missing");
  return &*it;
}

inline Result<std::string> text(const json& object, const std::string& name, const std::string& where,
                                bool allow_empty = false) {
  auto f = field(object, name, where);
  if (!f) return forward(f.error());
  if (!(*f)->is_string() || (!allow_empty && (*f)->get_ref<const std::string&>().empty())) {
    return fail(ProtocolErrc::malformed, where + "." + name + ": expected a non-empty string");
  }
  return (*f)->get<std::string>();
}

inline Result<std::uint64_t> count(const json& object, const std::string& name, const std::string& where,
                                   std::uint64_t max = ~std::uint64_t{0}) {
  auto f = field(object, name, where);
  if (!f) return forward(f.error());
  if (!(*f)->is_number_unsigned() || (*f)->get<std::uint64_t>() > max) {
    return fail(ProtocolErrc::malformed,
                where + "." + name + ": expected an integer from 0 to " + std::to_string(max));
  }
  return (*f)->get<std::uint64_t>();
}

inline Result<bool> boolean(const json& object, const std::string& name, const std::string& where) {
  auto f = field(object, name, where);
  if (!f) return forward(f.error());
  if (!(*f)->is_boolean())
    return fail(ProtocolErrc::malformed, where + "." + name + ": expected true or false");
  return (*f)->get<bool>();
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> hex(const json& object, const std::string& name, const std::string& where) {
  auto t = text(object, name, where);
  if (!t) return forward(t.error());
  auto bytes = crypto::from_hex_fixed<N>(*t);
  if (!bytes) return fail(ProtocolErrc::malformed, where + "." + name + ": " + bytes.error().detail);
  return *bytes;
}

inline Result<crypto::Bytes> hex_bytes(const json& object, const std::string& name, const std::string& where) {
  auto t = text(object, name, where);
  if (!t) return forward(t.error());
  auto bytes = crypto::from_hex(*t);
  if (!bytes) return fail(ProtocolErrc::malformed, where + "." + name + ": " + bytes.error().detail);
  return bytes;
}

inline Result<std::uint32_t> count32(const json& object, const std::string& name, const std::string& where) {
  auto value = count(object, name, where, 0xFFFFFFFFu);
  if (!value) return forward(value.error());
  return static_cast<std::uint32_t>(*value);
}

// An array of 32-bit counts.
inline Result<std::vector<std::uint32_t>> counts(const json& object, const std::string& name,
                                                 const std::string& where) {
  auto f = field(object, name, where);
  if (!f) return forward(f.error());
  if (!(*f)->is_array()) return fail(ProtocolErrc::malformed, where + "." + name + ": expected an array");
  std::vector<std::uint32_t> out;
  for (const json& v : **f) {
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xFFFFFFFFu) {
      return fail(ProtocolErrc::malformed, where + "." + name + ": expected integers from 0 to 4294967295");
    }
    out.push_back(v.get<std::uint32_t>());
  }
  return out;
}

// An array of non-empty strings.
inline Result<std::vector<std::string>> texts(const json& object, const std::string& name,
                                              const std::string& where) {
  auto f = field(object, name, where);
  if (!f) return forward(f.error());
  if (!(*f)->is_array()) return fail(ProtocolErrc::malformed, where + "." + name + ": expected an array");
  std::vector<std::string> out;
  for (const json& v : **f) {
    if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
      return fail(ProtocolErrc::malformed, where + "." + name + ": expected non-empty strings");
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

// Every key of `object` must be one of `names` (a format version lists every field it has).
inline Status only_fields(const json& object, std::initializer_list<std::string_view> names,
                          const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (auto name : names) known = known || name == key;
    if (!known)
      return fail(ProtocolErrc::malformed, where + "." + key + ": not a field of this format version");
  }
  return {};
}

// Lenient reads for message bodies whose handlers refuse a missing field by name themselves: the string field,
// or "" when absent or not a string; the unsigned field, or `fallback` when absent or not one.
inline std::string text_or_empty(const json& object, const std::string& name) {
  auto value = text(object, name, "", /*allow_empty=*/true);
  return value ? std::move(*value) : std::string();
}

inline std::uint64_t count_or(const json& object, const std::string& name, std::uint64_t fallback) {
  auto value = count(object, name, "");
  return value ? *value : fallback;
}

// Parses a JSON text; malformed with the parser's position on failure. Never throws.
inline Result<json> parse(std::string_view text, const std::string& what) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return fail(ProtocolErrc::malformed, what + ": not valid JSON");
  return value;
}

}  // namespace hallvote::protocol::json_fields
