// An SQLite VFS shim that simulates losing power at the storage layer ("powerloss").
//
// Every write reaches the real file at once, so the running process reads what it wrote, as it would from the
// page cache; the shim also remembers, per file, every write and truncation since that file's last successful
// xSync. cut_power() then models the machine dying: the storage freezes (every later write, sync, truncation
// or deletion fails, so nothing the process does afterwards counts), and once the process has let go of the
// files, lose_unsynced_writes() rolls each file back to what a disk could hold after the power cut — the state
// at its last sync plus a prefix of the later writes, in order, the last of them possibly torn at a 512-byte
// sector boundary — and deletes the `-shm` wal-index files, which are shared memory, not storage.
//
// Contract: register with power_loss_vfs(), call reset() before opening files for a new run, open the
// database with vfs "powerloss", cut_power(), close everything that has the files open, then
// lose_unsynced_writes(seed). Content a file held when it was first opened in a run counts as synced.
#pragma once

#include <cstdint>
#include <string>

namespace hallvote::audit::testing {

class PowerLossVfs {
 public:
  // How much of the unsynced writes a disk kept when the power went.
  enum class Survival {
    none,    // every write after the last sync is lost
    random,  // a random prefix of them survives, the write at the cut possibly torn
  };

  void reset();      // forgets every file's history; the storage is live again
  void cut_power();  // freezes the storage: from now on writes, syncs, truncations and deletions fail
  // Rolls the files back as the power cut left them; `seed` picks the surviving prefix and the tear.
  // Returns the number of unsynced writes that were undone (wholly or in part).
  std::size_t lose_unsynced_writes(Survival survival, std::uint64_t seed = 0);
};

// Registers the "powerloss" VFS (idempotent) and returns its controller.
PowerLossVfs& power_loss_vfs();

}  // namespace hallvote::audit::testing
