// A problem found in a session file or CSV import, located by file, line and field and described in Chinese and
// English. Loaders collect every problem they find instead of stopping at the first.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hallvote/session/errors.h"

namespace hallvote::session {

struct Diagnostic {
  SessionErrc code = SessionErrc::invalid_value;
  std::string file;      // as named to the loader, e.g. "county.toml" or "county-roster.csv"
  std::size_t line = 0;  // 1-based; 0 when the problem concerns the file as a whole
  std::string field;     // as written in the file: "votes[2].places" (1-based indexes) or a CSV header "预算"
  std::string zh;        // what is wrong, in Chinese
  std::string en;        // the same, in English

  // One line: "county.toml 第12行 字段“votes[2].places”：大于候选项目数 / county.toml line 12 field
  // 'votes[2].places': more than the number of candidates".
  [[nodiscard]] std::string text() const;
};

using Diagnostics = std::vector<Diagnostic>;

// Every diagnostic's text(), one per line.
[[nodiscard]] std::string join(const Diagnostics& diagnostics);

}  // namespace hallvote::session
