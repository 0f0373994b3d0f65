// An SQLite VFS shim for fault injection: forwards to the default VFS, but once armed fails the n-th following
// write or fsync and every one after it (until disarmed) with an I/O error or SQLITE_FULL; with read_only,
// opens every file read-only (as a read-only file or disk would, also when the tests run as root). Register
// once; open logs with vfs "faulty".
#pragma once

#include <atomic>

namespace hallvote::audit::testing {

struct FaultPlan {
  std::atomic<bool> armed{false};
  std::atomic<int> countdown{0};  // operations (writes + syncs) to let through before failing
  std::atomic<bool> fail_syncs{true};
  std::atomic<bool> fail_writes{true};
  std::atomic<bool> disk_full{false};  // SQLITE_FULL instead of SQLITE_IOERR_*
  std::atomic<int> injected{0};        // faults injected so far
  std::atomic<bool> read_only{false};  // files opened from now on are read-only (independent of armed)
};

// Registers the "faulty" VFS (idempotent) and returns its plan.
FaultPlan& faulty_vfs();

}  // namespace hallvote::audit::testing
