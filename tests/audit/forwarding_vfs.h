// The common part of the test VFS shims (faulty_vfs, power_loss_vfs): a file that forwards to the default
// VFS's file, and a VFS registered under another name whose files forward everything but the calls a shim
// overrides. A shim's file type starts with ForwardingFile; SQLite allocates szOsFile bytes for it, the real
// file living right after the shim's own struct.
#pragma once

#include <sqlite3.h>

#include <cstring>

namespace hallvote::audit::testing {

struct ForwardingFile {
  sqlite3_file base;
  sqlite3_file* real;
};

inline sqlite3_file* real_file(sqlite3_file* f) { return reinterpret_cast<ForwardingFile*>(f)->real; }

// The calls a shim may override; the others always forward.
struct FileOverrides {
  int (*close)(sqlite3_file*);
  int (*write)(sqlite3_file*, const void*, int, sqlite3_int64);
  int (*truncate)(sqlite3_file*, sqlite3_int64);
  int (*sync)(sqlite3_file*, int);
};

namespace forwarding {
inline int read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
  return real_file(f)->pMethods->xRead(real_file(f), b, n, o);
}
inline int file_size(sqlite3_file* f, sqlite3_int64* s) {
  return real_file(f)->pMethods->xFileSize(real_file(f), s);
}
inline int lock(sqlite3_file* f, int l) { return real_file(f)->pMethods->xLock(real_file(f), l); }
inline int unlock(sqlite3_file* f, int l) { return real_file(f)->pMethods->xUnlock(real_file(f), l); }
inline int check(sqlite3_file* f, int* r) {
  return real_file(f)->pMethods->xCheckReservedLock(real_file(f), r);
}
inline int control(sqlite3_file* f, int op, void* a) {
  return real_file(f)->pMethods->xFileControl(real_file(f), op, a);
}
inline int sector(sqlite3_file* f) { return real_file(f)->pMethods->xSectorSize(real_file(f)); }
inline int device(sqlite3_file* f) { return real_file(f)->pMethods->xDeviceCharacteristics(real_file(f)); }
inline int shm_map(sqlite3_file* f, int i, int s, int e, void volatile** p) {
  return real_file(f)->pMethods->xShmMap(real_file(f), i, s, e, p);
}
inline int shm_lock(sqlite3_file* f, int o, int n, int fl) {
  return real_file(f)->pMethods->xShmLock(real_file(f), o, n, fl);
}
inline void shm_barrier(sqlite3_file* f) { real_file(f)->pMethods->xShmBarrier(real_file(f)); }
inline int shm_unmap(sqlite3_file* f, int d) { return real_file(f)->pMethods->xShmUnmap(real_file(f), d); }
}  // namespace forwarding

// Version 2 methods (no xFetch: SQLite never maps the file, so every write goes through the shim).
inline sqlite3_io_methods forwarding_methods(const FileOverrides& o) {
  using namespace forwarding;
  return {2,       o.close, read,   o.write, o.truncate, o.sync,      file_size, lock,    unlock, check,
          control, sector,  device, shm_map, shm_lock,   shm_barrier, shm_unmap, nullptr, nullptr};
}

// Opens the real file behind `f` and gives `f` the shim's methods (none when the open failed).
inline int open_forwarding(sqlite3_vfs* real_vfs, const sqlite3_io_methods* methods, sqlite3_filename name,
                           sqlite3_file* f, std::size_t shim_size, int flags, int* out_flags) {
  auto* file = reinterpret_cast<ForwardingFile*>(f);
  file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + shim_size);
  const int rc = real_vfs->xOpen(real_vfs, name, file->real, flags, out_flags);
  file->base.pMethods = file->real->pMethods != nullptr ? methods : nullptr;
  return rc;
}

// Registers `shim` (not as the default) as a copy of the default VFS named `name`, whose files are
// `shim_size` bytes followed by the real file, opened by `open`. Returns the default (real) VFS.
inline sqlite3_vfs* register_shim(sqlite3_vfs& shim, const char* name, std::size_t shim_size,
                                  int (*open)(sqlite3_vfs*, sqlite3_filename, sqlite3_file*, int, int*)) {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  std::memcpy(&shim, real, sizeof shim);
  shim.zName = name;
  shim.szOsFile = static_cast<int>(shim_size) + real->szOsFile;
  shim.xOpen = open;
  shim.pNext = nullptr;
  sqlite3_vfs_register(&shim, 0);
  return real;
}

}  // namespace hallvote::audit::testing
