// The resolution records (决定, 公告, 满意度测评结果报告, 计票结果报告单, results.json/csv) regenerated from an
// export bundle alone — the session definition recorded in entry 0, the log's entries and checkpoints — with
// the records library (docs/records.md), and compared byte for byte with a directory of records (check
// records.match, docs/crypto.md §13.17). Used by `hallvote-audit verify --records` and `export-records`.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/records/render.h"
#include "hallvote/tlog/bundle.h"

namespace hallvote::vote_audit {

// The records of the bundle's log, sorted by name. Errors: VoteAuditErrc::missing_session (entry 0 does not
// record the session), AuditErrc::malformed (an entry does not decode), or the records library's error
// (RecordsErrc: nothing_certified, not_checkpointed, malformed_payload, …, font_unavailable, render_failed),
// unchanged. Does not verify the log: run the log-level checks first.
[[nodiscard]] Result<std::vector<records::RecordFile>> regenerate_records(
    const audit::Bundle& bundle, const records::RenderOptions& options = {});

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
