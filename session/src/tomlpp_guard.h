// The guard against a toml++ 3.3 defect (private to hallvote::session): a pre-scan of every session file before
// toml++ parses it (tomlpp_guard.cc explains the defect).
#pragma once

#include <string>
#include <string_view>

#include "hallvote/session/diagnostics.h"

namespace hallvote::session::detail {

// Checks a session file (valid UTF-8) before the TOML library sees it (tomlpp_guard.cc): TOML allows non-ASCII
// characters only inside strings and comments, and toml++ 3.3 has undefined behaviour on some of them
// elsewhere. Appends a toml_syntax diagnostic (line, column and code point) for each line with a non-ASCII
// character outside a string or comment, a backslash before a non-ASCII character, or a line-ending backslash
// in a multi-line string whose continuation begins with a character toml++ mishandles; and, if the file stops
// being TOML at a point after which non-ASCII characters remain, for that point. True if none: toml++ may parse
// it.
[[nodiscard]] bool check_toml_characters(std::string_view text, const std::string& file,
                                         Diagnostics& diagnostics);

}  // namespace hallvote::session::detail
