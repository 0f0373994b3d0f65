// Internal: the latest checkpoint the log signed, kept outside the database in `<db>.checkpoint` (session.db →
// session.checkpoint), so that a database rolled back or replaced (WAL deleted, file emptied or restored from
// an old copy) is noticed when the log is opened (docs/audit-log.md §9, "Checkpoint file").
#pragma once

#include <optional>
#include <string>

#include "hallvote/common/result.h"

namespace hallvote::audit {

// The file that keeps the checkpoint of the database at `db_path`.
[[nodiscard]] std::string checkpoint_file_of(const std::string& db_path);

// Writes `note` to `path` through a temporary file (fsync, rename, fsync of the folder). storage_failed naming
// the path and the system's reason.
[[nodiscard]] Status write_checkpoint_file(const std::string& path, const std::string& note);

// The file's text, or nullopt when there is no such file; storage_failed when it cannot be read.
[[nodiscard]] Result<std::optional<std::string>> read_checkpoint_file(const std::string& path);

}  // namespace hallvote::audit
