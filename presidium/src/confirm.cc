#include "hallvote/presidium/confirm.h"

#include <string>

namespace hallvote::presidium {

bool is_yes(std::string_view line) noexcept {
  constexpr std::string_view kBlanks = " \t\r";
  const auto first = line.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return false;
  line = line.substr(first, line.find_last_not_of(kBlanks) - first + 1);
  return line == "是" || line == "y" || line == "Y" || line == "yes" || line == "YES";
}

bool confirm(std::istream& in, std::ostream& out, std::string_view question, bool preconfirmed) {
  out << question << "\n";
  if (preconfirmed) {
    out << "已由 --yes 确认 / confirmed by --yes\n";
    return true;
  }
  out << "确认请输入“是”（或 y），输入其他任何内容都将取消 / type 是 (or y) to confirm; anything else cancels: "
      << std::flush;
  std::string line;
  if (std::getline(in, line) && is_yes(line)) return true;
  const bool ended = in.eof() && line.empty();
  out << "\n" << kNotSigned << "\n";
  if (ended) {
    out << "没有读到回答；非交互运行请加 --yes / no answer was read: a non-interactive run needs --yes\n";
  }
  return false;
}

}  // namespace hallvote::presidium
