// The guard against toml++ 3.3's defects (private to hallvote::session): a pre-scan of every session file
// before toml++ parses it (tomlpp_guard.cc explains the defects), within the input limits of loader.h.
#pragma once

#include <string>
#include <string_view>

#include "hallvote/session/diagnostics.h"

namespace hallvote::session::detail {

// Checks the size of a session file before anything else reads it: at most kMaxInputFileBytes (one input_limit
// diagnostic for the file, line 0) and no line longer than kMaxTomlLineBytes (one input_limit diagnostic for
// the first such line). True if within both.
[[nodiscard]] bool check_toml_size(std::string_view text, const std::string& file, Diagnostics& diagnostics);

// Checks a session file (valid UTF-8, within check_toml_size) before the TOML library sees it
// (tomlpp_guard.cc):
//
// - TOML allows non-ASCII characters only inside strings and comments, and toml++ 3.3 has undefined behaviour
//   on some of them elsewhere. Appends a toml_syntax diagnostic (line, column and code point) for each line
//   with a non-ASCII character outside a string or comment, a backslash before a non-ASCII character, or a
//   line-ending backslash in a multi-line string whose continuation begins with a character toml++ mishandles.
// - toml++ recurses once per level of nested tables without a bound of its own for dotted keys and table
//   headers, so a key of tens of thousands of parts overflows the stack. Appends an input_limit diagnostic
//   (line and column) for the first key of more than kMaxTomlKeyParts parts or value nested more than
//   kMaxTomlNesting levels deep, and stops there.
// - If the file stops being TOML at a point after which non-ASCII characters, or text that might nest beyond
//   those limits, remain, appends a toml_syntax diagnostic for that point (the structure after it is unknown).
//
// True if none: toml++ may parse it.
[[nodiscard]] bool check_toml_text(std::string_view text, const std::string& file, Diagnostics& diagnostics);

}  // namespace hallvote::session::detail
