// Process set-up shared by the hall programs.
#pragma once

#include <cstdint>

namespace hallvote::setup {

// Raises the soft RLIMIT_NOFILE to the hard limit (3,000 terminals need ~3,000 sockets) and returns the soft
// limit now in force.
std::uint64_t raise_open_file_limit() noexcept;

}  // namespace hallvote::setup
