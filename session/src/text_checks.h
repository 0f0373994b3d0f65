// Small text checks shared by the TOML and CSV readers (private to hallvote::session).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hallvote/session/diagnostics.h"

namespace hallvote::session::detail {

// True if `text` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

// Appends an invalid_utf8 diagnostic for every line of `text` that is not valid UTF-8; true if none.
[[nodiscard]] bool check_utf8_lines(std::string_view text, const std::string& file, Diagnostics& diagnostics);

enum class KeyCheck { ok, missing, invalid };

// Checks a public key written as hex: 64 hex digits (either case). On ok, `normalized` is the lower-case form.
[[nodiscard]] KeyCheck check_public_key(std::string_view hex, std::string& normalized);

// Parses a budget in 万元 written as a decimal ("2500", "2,500.5", "0.0001") into 元. Empty on a malformed,
// negative or too precise (more than 4 decimals) value, or one beyond 10^12 万元.
[[nodiscard]] std::optional<std::int64_t> parse_budget_wan(std::string_view text);

// Strips spaces, tabs and a trailing CR from both ends.
[[nodiscard]] std::string_view trim(std::string_view text) noexcept;

}  // namespace hallvote::session::detail
