// Reads the known-answer files under tests/vectors/: '#' comment lines and blank lines skipped, every other
// line split at spaces into fields. Test-only.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hallvote::testing {

inline std::string vector_path(const std::string& name) {
  return std::string(HALLVOTE_SOURCE_DIR) + "/tests/vectors/" + name;
}

// Each non-comment line as its space-separated fields; a line with nothing after its first field yields one
// field. Blank lines yield an empty record (callers that group records use them as separators).
inline std::vector<std::vector<std::string>> read_vector_lines(const std::string& name,
                                                               bool keep_blank = false) {
  std::ifstream in(vector_path(name));
  if (!in) throw std::runtime_error("cannot open vector file " + vector_path(name));
  std::vector<std::vector<std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    std::istringstream fields(line);
    std::vector<std::string> record;
    for (std::string field; fields >> field;) record.push_back(field);
    if (record.empty() && !keep_blank) continue;
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace hallvote::testing
