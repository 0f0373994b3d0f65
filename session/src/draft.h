// A session definition being loaded, with where each record came from (private to hallvote::session).
#pragma once

#include <string>
#include <vector>

#include "hallvote/session/definition.h"
#include "hallvote/session/diagnostics.h"

namespace hallvote::session::detail {

// Where a record was written: a TOML table ("roster.deputies[3]") or a CSV row (empty path).
struct Where {
  std::string file;
  std::size_t line = 0;
  std::string path;

  // The name of one of the record's fields for a diagnostic: "roster.deputies[3].id", or "id" for a CSV row.
  [[nodiscard]] std::string field(std::string_view key) const {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
};

struct Draft {
  SessionDefinition definition;
  std::vector<Where> deputies;   // parallel to definition.roster
  std::vector<Where> officials;  // parallel to definition.key_committee.members
  std::vector<Where> projects;
  std::vector<Where> motions;
  std::vector<Where> votes;
  Where committee;
  std::string session_file;
};

// Checks across records: duplicate ids and keys, unknown references, selection limits, the quorum k of n.
void cross_check(const Draft& draft, Diagnostics& diagnostics);

}  // namespace hallvote::session::detail
