// Internal: typed, validating reads of an entry payload's fields. The payload is hostile input: a missing
// field, a field of the wrong kind or out of range is a problem of the reading check (VoteAuditErrc::malformed,
// field "payload.<name>"), never an exception.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "hallvote/crypto/bytes.h"
#include "problem.h"

namespace hallvote::vote_audit::internal {

class Payload {
 public:
  // `json` must outlive the reader. `check` is the id problems are reported under; `at` names vote and round.
  Payload(const nlohmann::json& json, std::string_view check, const At& at)
      : json_(json), check_(check), at_(at) {}

  // The reader for another check of the same payload.
  [[nodiscard]] Payload under(std::string_view check) const { return Payload(json_, check, at_); }

  [[nodiscard]] const nlohmann::json* find(std::string_view name) const;
  // A non-empty string.
  [[nodiscard]] Got<std::string> text(std::string_view name) const;
  // A non-negative integer ≤ max.
  [[nodiscard]] Got<std::uint64_t> count(std::string_view name, std::uint64_t max = UINT64_MAX) const;
  [[nodiscard]] Got<std::uint32_t> count32(std::string_view name) const;
  // Lower- or upper-case hex of exactly N bytes.
  template <std::size_t N>
  [[nodiscard]] Got<std::array<std::uint8_t, N>> hex(std::string_view name) const {
    auto bytes = hex_bytes(name, N);
    if (!bytes) return tl::unexpected(bytes.error());
    if (bytes->size() != N)
      return tl::unexpected(malformed(name, "expected " + std::to_string(2 * N) + " hex digits"));
    std::array<std::uint8_t, N> out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
  }
  // Hex of at most max_size bytes.
  [[nodiscard]] Got<crypto::Bytes> hex_bytes(std::string_view name, std::size_t max_size) const;
  // An object or an array field.
  [[nodiscard]] Got<const nlohmann::json*> object(std::string_view name) const;
  [[nodiscard]] Got<const nlohmann::json*> array(std::string_view name) const;

  [[nodiscard]] Problem malformed(std::string_view name, const std::string& what) const;
  [[nodiscard]] const At& at() const { return at_; }

 private:
  const nlohmann::json& json_;
  std::string_view check_;
  const At& at_;
};

}  // namespace hallvote::vote_audit::internal
