// Reads the known-answer files in tests/vectors/ (their format is described at the top of each file).
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace hallvote::audit::testing {

inline std::string vector_path(const std::string& name) {
  return std::string(HALLVOTE_SOURCE_DIR) + "/tests/vectors/" + name;
}

// Non-comment lines of a vectors file, split on spaces.
inline std::vector<std::vector<std::string>> vector_lines(const std::string& name) {
  std::ifstream in(vector_path(name));
  std::vector<std::vector<std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::vector<std::string> row;
    for (std::string f; fields >> f;) row.push_back(f);
    out.push_back(row);
  }
  return out;
}

// The "begin <name> ... end <name>" blocks of a vectors file (content includes its final newline).
inline std::map<std::string, std::string> vector_blocks(const std::string& name) {
  std::ifstream in(vector_path(name));
  std::map<std::string, std::string> out;
  std::string line;
  std::string current;
  std::string body;
  while (std::getline(in, line)) {
    if (current.empty()) {
      if (line.rfind("begin ", 0) == 0) {
        current = line.substr(6);
        body.clear();
      }
    } else if (line == "end " + current) {
      out[current] = body;
      current.clear();
    } else {
      body += line + "\n";
    }
  }
  return out;
}

}  // namespace hallvote::audit::testing
