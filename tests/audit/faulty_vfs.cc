#include "faulty_vfs.h"

#include <sqlite3.h>

#include <cstring>

namespace hallvote::audit::testing {
namespace {

FaultPlan plan;
sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs faulty;

struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real;  // points just after this struct
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f)->real; }

bool inject(bool applies) {
  if (!applies || !plan.armed.load()) return false;
  if (plan.countdown.fetch_sub(1) > 0) return false;
  ++plan.injected;
  return true;
}

int x_close(sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); }
int x_read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
  return real_of(f)->pMethods->xRead(real_of(f), b, n, o);
}
int x_write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  if (inject(plan.fail_writes.load())) return plan.disk_full.load() ? SQLITE_FULL : SQLITE_IOERR_WRITE;
  return real_of(f)->pMethods->xWrite(real_of(f), b, n, o);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 s) { return real_of(f)->pMethods->xTruncate(real_of(f), s); }
int x_sync(sqlite3_file* f, int flags) {
  if (inject(plan.fail_syncs.load())) return SQLITE_IOERR_FSYNC;
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* s) { return real_of(f)->pMethods->xFileSize(real_of(f), s); }
int x_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int x_check(sqlite3_file* f, int* r) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), r); }
int x_control(sqlite3_file* f, int op, void* a) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, a);
}
int x_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int i, int s, int e, void volatile** p) {
  return real_of(f)->pMethods->xShmMap(real_of(f), i, s, e, p);
}
int x_shm_lock(sqlite3_file* f, int o, int n, int fl) {
  return real_of(f)->pMethods->xShmLock(real_of(f), o, n, fl);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int d) { return real_of(f)->pMethods->xShmUnmap(real_of(f), d); }

const sqlite3_io_methods kMethods = {2,           x_close,   x_read,     x_write,       x_truncate,  x_sync,
                                     x_file_size, x_lock,    x_unlock,   x_check,       x_control,   x_sector,
                                     x_device,    x_shm_map, x_shm_lock, x_shm_barrier, x_shm_unmap, nullptr,
                                     nullptr};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* file = reinterpret_cast<FaultyFile*>(f);
  file->real = reinterpret_cast<sqlite3_file*>(file + 1);
  const int rc = real_vfs->xOpen(real_vfs, name, file->real, flags, out_flags);
  file->base.pMethods = file->real->pMethods != nullptr ? &kMethods : nullptr;
  return rc;
}

}  // namespace

FaultPlan& faulty_vfs() {
  if (real_vfs == nullptr) {
    real_vfs = sqlite3_vfs_find(nullptr);
    std::memcpy(&faulty, real_vfs, sizeof faulty);
    faulty.zName = "faulty";
    faulty.szOsFile = static_cast<int>(sizeof(FaultyFile)) + real_vfs->szOsFile;
    faulty.xOpen = x_open;
    faulty.pNext = nullptr;
    sqlite3_vfs_register(&faulty, 0);
  }
  return plan;
}

}  // namespace hallvote::audit::testing
