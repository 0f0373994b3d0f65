// Deterministic choices for simulated deputies: a valid ballot for any vote kind, reproducible from (seed,
// deputy index, vote id), with about one ballot in 25 left blank. Never breaks a limit (it selects through the
// ballot screen, which refuses what a limit forbids). Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string_view>

#include "hallvote/terminal/ballot_screen.h"

namespace hallvote::terminal_tool {

// Makes the choices on `screen` (which must be fresh). Returns true when the ballot was left blank.
bool choose_deterministically(terminal::BallotScreen& screen, std::uint64_t seed, std::uint64_t deputy_index);

}  // namespace hallvote::terminal_tool
