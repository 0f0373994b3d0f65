// Replacing a file so that a crash or a power cut leaves either its old content or the whole new content.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string_view>

namespace hallvote {

// Which step of a durable write failed, and its errno.
struct DurableWriteFailure {
  enum class Step { write, sync_folder } step = Step::write;
  int error = 0;
};

// Writes `bytes` to "<path>.tmp" with `permissions`, fsyncs it, renames it over `path` and fsyncs the folder.
// On failure nothing of the new content is left under `path` (the temporary file is removed; a failed folder
// sync leaves the renamed file, whose durability is then unknown).
[[nodiscard]] std::optional<DurableWriteFailure> write_durably(const std::filesystem::path& path,
                                                               std::string_view bytes, mode_t permissions);

// Makes a rename or unlink in `path`'s folder durable; the errno on failure.
[[nodiscard]] std::optional<int> sync_folder_of(const std::filesystem::path& path);

}  // namespace hallvote
