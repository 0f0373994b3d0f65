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

Result<std::vector<records::RecordFile>> regenerate_records(const audit::Bundle& bundle,
                                                            const records::RenderOptions& options) {
  std::vector<audit::Entry> entries;
  entries.reserve(bundle.entries.size());
  for (std::size_t i = 0; i < bundle.entries.size(); ++i) {
    auto entry = audit::decode(bundle.entries[i]);
    if (!entry) return fail(entry.error().code, "entry " + std::to_string(i) + ": " + entry.error().detail);
    entries.push_back(std::move(*entry));
  }
  if (entries.empty() || entries[0].type != audit::EntryType::session_opened) {
    return fail(VoteAuditErrc::missing_session, "首条目不是 session_opened / entry 0 is not session_opened");
  }
  const auto payload = nlohmann::json::parse(entries[0].payload, nullptr, false);
  auto opened = protocol::read_session_opened(payload);
  if (!opened) return fail(VoteAuditErrc::missing_session, opened.error().message());
  auto set = records::collect_records(opened->definition, entries, bundle.checkpoints);
  if (!set) return forward(set.error());
  return records::render_records(*set, options);
}

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
