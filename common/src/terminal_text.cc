#include "hallvote/common/terminal_text.h"

namespace hallvote {
namespace {

// The byte length of the UTF-8 character starting with `lead`, and its width in columns.
std::size_t char_length(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4; }
std::size_t char_columns(std::size_t length) { return length >= 3 ? 2 : 1; }

std::size_t columns_of(const std::string& text) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = char_length(static_cast<unsigned char>(text[i]));
    columns += char_columns(length);
    i += length;
  }
  return columns;
}

}  // namespace

std::string pad_to_columns(const std::string& text, std::size_t width) {
  const std::size_t columns = columns_of(text);
  return text + std::string(columns < width ? width - columns : 0, ' ');
}

std::string fit_to_columns(const std::string& text, std::size_t width) {
  if (columns_of(text) <= width) return text;
  std::size_t used = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = char_length(static_cast<unsigned char>(text[i]));
    if (used + char_columns(length) + 1 > width) break;  // one column stays for "…"
    used += char_columns(length);
    i += length;
  }
  return text.substr(0, i) + "…";
}

}  // namespace hallvote
