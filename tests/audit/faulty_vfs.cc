#include "faulty_vfs.h"

#include "forwarding_vfs.h"

namespace hallvote::audit::testing {
namespace {

FaultPlan plan;
sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs faulty;

bool inject(bool applies) {
  if (!applies || !plan.armed.load()) return false;
  if (plan.countdown.fetch_sub(1) > 0) return false;
  ++plan.injected;
  return true;
}

int x_close(sqlite3_file* f) { return real_file(f)->pMethods->xClose(real_file(f)); }
int x_write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  if (inject(plan.fail_writes.load())) return plan.disk_full.load() ? SQLITE_FULL : SQLITE_IOERR_WRITE;
  return real_file(f)->pMethods->xWrite(real_file(f), b, n, o);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 s) { return real_file(f)->pMethods->xTruncate(real_file(f), s); }
int x_sync(sqlite3_file* f, int flags) {
  if (inject(plan.fail_syncs.load())) return SQLITE_IOERR_FSYNC;
  return real_file(f)->pMethods->xSync(real_file(f), flags);
}

const sqlite3_io_methods kMethods = forwarding_methods({x_close, x_write, x_truncate, x_sync});

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  if (plan.read_only.load())
    flags = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_READONLY;
  return open_forwarding(real_vfs, &kMethods, name, f, sizeof(ForwardingFile), flags, out_flags);
}

}  // namespace

FaultPlan& faulty_vfs() {
  if (real_vfs == nullptr) real_vfs = register_shim(faulty, "faulty", sizeof(ForwardingFile), x_open);
  return plan;
}

}  // namespace hallvote::audit::testing
