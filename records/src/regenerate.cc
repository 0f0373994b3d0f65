#include "hallvote/records/regenerate.h"

#include "hallvote/protocol/events.h"
#include "hallvote/protocol/session_record.h"
#include "hallvote/records/collect.h"
#include "hallvote/tlog/entry.h"

namespace hallvote::records {

Result<std::vector<RecordFile>> regenerate_records(const audit::Bundle& bundle, const RenderOptions& options) {
  std::vector<audit::Entry> entries;
  entries.reserve(bundle.entries.size());
  for (std::size_t i = 0; i < bundle.entries.size(); ++i) {
    auto entry = audit::decode(bundle.entries[i]);
    if (!entry) return fail(entry.error().code, "entry " + std::to_string(i) + ": " + entry.error().detail);
    entries.push_back(std::move(*entry));
  }
  if (entries.empty()) return fail(RecordsErrc::missing_session, "日志为空 / the log is empty");
  auto opening = protocol::decode_as<protocol::SessionOpened>(entries[0].type, entries[0].payload);
  if (!opening) return fail(RecordsErrc::missing_session, "entry 0: " + opening.error().detail);
  auto opened = protocol::read_session_opened(opening->record);
  if (!opened) return fail(RecordsErrc::missing_session, opened.error().message());
  auto set = collect_records(opened->definition, entries, bundle.checkpoints);
  if (!set) return forward(set.error());
  return render_records(*set, options);
}

}  // namespace hallvote::records
