// Text for terminal tables (the programs' Chinese result tables).
#pragma once

#include <cstddef>
#include <string>

namespace hallvote {

// Pads UTF-8 text with spaces to `width` terminal columns, counting a character of 3 or 4 UTF-8 bytes (CJK) as
// two columns and any other as one. Text already that wide is returned unchanged.
[[nodiscard]] std::string pad_to_columns(const std::string& text, std::size_t width);

}  // namespace hallvote
