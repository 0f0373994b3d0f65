// The resolution records (决定, 公告, 满意度测评结果报告, 计票结果报告单, results.json/csv) as regenerated from
// an export bundle by records::regenerate_records(), compared byte for byte with a directory of records (check
// records.match, docs/crypto.md §13.17). Used by `hallvote-audit verify --records`.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/records/render.h"

namespace hallvote::vote_audit {

struct RecordsComparison {
  std::vector<std::string> matched;    // equal byte for byte
  std::vector<std::string> missing;    // regenerated, absent from the directory
  std::vector<std::string> extra;      // in the directory, not regenerated (any entry: file, link or directory)
  std::vector<std::string> different;  // present in both, with different bytes (or not a regular file)
  [[nodiscard]] bool equal() const { return missing.empty() && extra.empty() && different.empty(); }
};

// Compares `expected` with the entries of `directory` (not recursive); each list is sorted by name.
// Errors: VoteAuditErrc::records_unavailable when the directory or one of its files cannot be read.
[[nodiscard]] Result<RecordsComparison> compare_records(std::span<const records::RecordFile> expected,
                                                        const std::filesystem::path& directory);

}  // namespace hallvote::vote_audit
