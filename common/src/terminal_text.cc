#include "hallvote/common/terminal_text.h"

namespace hallvote {

std::string pad_to_columns(const std::string& text, std::size_t width) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    columns += length >= 3 ? 2 : 1;
    i += length;
  }
  return text + std::string(columns < width ? width - columns : 0, ' ');
}

}  // namespace hallvote
