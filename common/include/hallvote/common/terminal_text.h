// Text for terminal tables (the programs' Chinese result tables).
#pragma once

#include <cstddef>
#include <string>

namespace hallvote {

// Pads UTF-8 text with spaces to `width` terminal columns, counting a character of 3 or 4 UTF-8 bytes (CJK) as
// two columns and any other as one. Text already that wide is returned unchanged.
[[nodiscard]] std::string pad_to_columns(const std::string& text, std::size_t width);
// Text at most `width` columns wide (counted as above): unchanged when it fits, else cut at a character
// boundary and ended with "…" (so that a long project title cannot push the numbers of a table out of their
// columns).
[[nodiscard]] std::string fit_to_columns(const std::string& text, std::size_t width);

}  // namespace hallvote
