#include "hallvote/session/diagnostics.h"

namespace hallvote::session {

std::string Diagnostic::text() const {
  std::string zh_where = file;
  std::string en_where = file;
  if (line != 0) {
    zh_where += " 第" + std::to_string(line) + "行";
    en_where += " line " + std::to_string(line);
  }
  if (!field.empty()) {
    zh_where += " 字段“" + field + "”";
    en_where += " field '" + field + "'";
  }
  return zh_where + "：" + zh + " / " + en_where + ": " + en;
}

std::string join(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.text();
  }
  return out;
}

}  // namespace hallvote::session
