#include "hallvote/auditor/records_check.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "hallvote/auditor/errors.h"
#include "hallvote/protocol/session_record.h"
#include "hallvote/records/collect.h"
#include "hallvote/tlog/entry.h"

namespace hallvote::vote_audit {

Result<RecordsComparison> compare_records(std::span<const records::RecordFile> expected,
                                          const std::filesystem::path& directory) {
  auto unreadable = [&](const std::string& what, const std::error_code& ec) {
    return fail(VoteAuditErrc::records_unavailable, "无法读取 / cannot read " + what + ": " + ec.message());
  };
  std::map<std::string, std::filesystem::directory_entry> present;
  std::error_code ec;
  std::filesystem::directory_iterator it(directory, ec);
  if (ec) return unreadable(directory.string(), ec);
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    present.emplace(it->path().filename().string(), *it);
  }
  if (ec) return unreadable(directory.string(), ec);

  RecordsComparison out;
  std::map<std::string, const records::RecordFile*> wanted;
  for (const auto& file : expected) wanted.emplace(file.name, &file);
  for (const auto& [name, file] : wanted) {
    auto found = present.find(name);
    if (found == present.end()) {
      out.missing.push_back(name);
      continue;
    }
    if (!found->second.is_regular_file(ec)) {
      out.different.push_back(name);
      continue;
    }
    std::ifstream in(found->second.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad() || !in.is_open()) {
      return fail(VoteAuditErrc::records_unavailable,
                  "无法读取 / cannot read " + found->second.path().string());
    }
    (bytes == file->bytes ? out.matched : out.different).push_back(name);
  }
  for (const auto& [name, entry] : present) {
    if (wanted.count(name) == 0) out.extra.push_back(name);
  }
  return out;
}

}  // namespace hallvote::vote_audit
