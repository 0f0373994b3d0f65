#include "hallvote/session/record_wording.h"

#include <algorithm>

namespace hallvote::session {

std::vector<std::string_view> record_placeholders(std::string_view field) {
  if (field == "decision_basis" || field == "decision_opening" || field == "decision_none" ||
      field == "decision_operative") {
    return {"body", "date", "year", "count", "subject", "title", "government", "standing_committee"};
  }
  if (field == "announcement_opening" || field == "announcement_none" || field == "announcement_closing") {
    return {"body", "date", "year", "count"};
  }
  return {};
}

std::string fill_template(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const std::size_t close = text.find('}', i);
      out += values.at(std::string(text.substr(i + 1, close - i - 1)));
      i = close;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string unknown_placeholder(std::string_view text, const std::vector<std::string_view>& allowed) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') return "unbalanced '}'";
    if (text[i] != '{') continue;
    const std::size_t close = text.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || text[close] != '}') return "unbalanced '{'";
    const std::string_view name = text.substr(i + 1, close - i - 1);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) return "{" + std::string(name) + "}";
    i = close;
  }
  return {};
}

}  // namespace hallvote::session
