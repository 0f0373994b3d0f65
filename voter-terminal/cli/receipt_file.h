// A deputy's receipt kept as a file, for checking later with `hallvote-audit receipt <file> <bundle>`
// (docs/guide-deputies.md): the terminal has already verified it (the entry is this ballot, under a checkpoint
// signed by the log key).
#pragma once

#include <filesystem>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/terminal/seat_terminal.h"

namespace hallvote::terminal_tool {

// Writes the receipt's c2sp tlog-proof text to <directory>/<deputy>-<vote>-r<round>.receipt (atomically; the
// directory is created) and returns that path.
[[nodiscard]] Result<std::filesystem::path> save_receipt(const std::filesystem::path& directory,
                                                         std::string_view deputy_id, std::string_view vote_id,
                                                         std::uint32_t round,
                                                         const terminal::CastReceipt& receipt);

}  // namespace hallvote::terminal_tool
