// The resolution records regenerated from an export bundle alone: the session definition recorded in entry 0,
// the log's entries and its checkpoints (docs/records.md). The ballot server writes its records this way from
// its own log, and the auditor regenerates them the same way to compare them byte for byte.
#pragma once

#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/records/render.h"
#include "hallvote/tlog/bundle.h"

namespace hallvote::records {

// The records of the bundle's log, sorted by name. Errors: RecordsErrc::missing_session (entry 0 does not
// record the session), the tlog error of an entry that does not decode, or collect_records()/render_records()'s
// error, unchanged. Does not verify the log: the auditor runs its checks first.
[[nodiscard]] Result<std::vector<RecordFile>> regenerate_records(const audit::Bundle& bundle,
                                                                 const RenderOptions& options = {});

}  // namespace hallvote::records
