#include "text_checks.h"

#include <cctype>

namespace hallvote::session::detail {

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0U) == 0xC0U) {
      length = 2;
      code_point = byte & 0x1FU;
    } else if ((byte & 0xF0U) == 0xE0U) {
      length = 3;
      code_point = byte & 0x0FU;
    } else if ((byte & 0xF8U) == 0xF0U) {
      length = 4;
      code_point = byte & 0x07U;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0U) != 0x80U) return false;
      code_point = (code_point << 6U) | (next & 0x3FU);
    }
    const std::uint32_t smallest = length == 2 ? 0x80U : length == 3 ? 0x800U : 0x10000U;
    if (code_point < smallest || code_point > 0x10FFFFU || (code_point >= 0xD800U && code_point <= 0xDFFFU)) {
      return false;
    }
    i += length;
  }
  return true;
}

bool check_utf8_lines(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  bool all_valid = true;
  std::size_t line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view content = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (!is_valid_utf8(content)) {
      all_valid = false;
      diagnostics.push_back({SessionErrc::invalid_utf8,
                             file,
                             line,
                             {},
                             "不是有效的UTF-8编码，请以UTF-8保存文件",
                             "not valid UTF-8; save the file as UTF-8"});
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
    ++line;
  }
  return all_valid;
}

KeyCheck check_public_key(std::string_view hex, std::string& normalized) {
  hex = trim(hex);
  if (hex.empty()) return KeyCheck::missing;
  if (hex.size() != 64) return KeyCheck::invalid;
  normalized.clear();
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return KeyCheck::invalid;
    normalized += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return KeyCheck::ok;
}

std::optional<std::int64_t> parse_budget_wan(std::string_view text) {
  text = trim(text);
  constexpr std::int64_t kYuanPerWan = 10000;
  constexpr std::int64_t kMaxWan = 1'000'000'000'000;
  std::int64_t whole = 0;
  std::int64_t fraction = 0;
  std::int64_t fraction_scale = kYuanPerWan;
  bool seen_digit = false;
  bool in_fraction = false;
  for (char c : text) {
    if (c == ',' && !in_fraction) continue;
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    const std::int64_t digit = c - '0';
    if (in_fraction) {
      if (fraction_scale == 1) return std::nullopt;
      fraction_scale /= 10;
      fraction += digit * fraction_scale;
    } else {
      whole = whole * 10 + digit;
      if (whole > kMaxWan) return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  return whole * kYuanPerWan + fraction;
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

}  // namespace hallvote::session::detail
