#include "power_loss_vfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "forwarding_vfs.h"

namespace hallvote::audit::testing {
namespace {

// One write or truncation after the file's last sync, with what it replaced.
struct Change {
  sqlite3_int64 offset = 0;              // where the write began, or the size a truncation cut to
  sqlite3_int64 size_before = 0;         // the file's size before the change
  std::vector<unsigned char> old_bytes;  // the bytes at `offset` the change overwrote or cut off
  std::vector<unsigned char> new_bytes;  // what a write wrote (empty for a truncation)
};

struct History {
  std::vector<Change> unsynced;
  bool main_db = false;  // its "-shm" wal-index goes with the power
};

std::mutex mutex;
std::map<std::string, History> files;  // by path, for the current run
std::atomic<bool> frozen{false};
sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs shim;
PowerLossVfs controller;

struct ShimFile {
  ForwardingFile file;
  std::string* path;  // null for SQLite's nameless temporary files, which are not tracked
};

ShimFile* shim_of(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f); }

// The bytes in [offset, offset + length) that exist in a file of `size` bytes.
std::vector<unsigned char> existing_bytes(sqlite3_file* real, sqlite3_int64 size, sqlite3_int64 offset,
                                          sqlite3_int64 length) {
  const sqlite3_int64 end = std::min(size, offset + length);
  if (end <= offset) return {};
  std::vector<unsigned char> bytes(static_cast<std::size_t>(end - offset));
  if (real->pMethods->xRead(real, bytes.data(), static_cast<int>(bytes.size()), offset) != SQLITE_OK)
    throw std::runtime_error("power_loss_vfs: cannot read back the bytes a write replaces");
  return bytes;
}

int x_close(sqlite3_file* f) {
  const int rc = real_file(f)->pMethods->xClose(real_file(f));
  delete shim_of(f)->path;
  return rc;
}
int x_write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  if (frozen) return SQLITE_IOERR_WRITE;
  sqlite3_file* real = real_file(f);
  if (shim_of(f)->path == nullptr) return real->pMethods->xWrite(real, b, n, o);
  std::lock_guard lock(mutex);
  Change change;
  change.offset = o;
  if (const int rc = real->pMethods->xFileSize(real, &change.size_before); rc != SQLITE_OK) return rc;
  change.old_bytes = existing_bytes(real, change.size_before, o, n);
  const auto* bytes = static_cast<const unsigned char*>(b);
  change.new_bytes.assign(bytes, bytes + n);
  const int rc = real->pMethods->xWrite(real, b, n, o);
  if (rc == SQLITE_OK) files[*shim_of(f)->path].unsynced.push_back(std::move(change));
  return rc;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 s) {
  if (frozen) return SQLITE_IOERR_TRUNCATE;
  sqlite3_file* real = real_file(f);
  if (shim_of(f)->path == nullptr) return real->pMethods->xTruncate(real, s);
  std::lock_guard lock(mutex);
  Change change;
  change.offset = s;
  if (const int rc = real->pMethods->xFileSize(real, &change.size_before); rc != SQLITE_OK) return rc;
  change.old_bytes = existing_bytes(real, change.size_before, s, change.size_before - s);
  const int rc = real->pMethods->xTruncate(real, s);
  if (rc == SQLITE_OK) files[*shim_of(f)->path].unsynced.push_back(std::move(change));
  return rc;
}
// A sync is durable only if it returned before the power went: one still running at the cut fails, and its
// writes stay unsynced (the disk may have written some of them, which the random survival models).
int x_sync(sqlite3_file* f, int flags) {
  if (frozen) return SQLITE_IOERR_FSYNC;
  const int rc = real_file(f)->pMethods->xSync(real_file(f), flags);
  if (rc != SQLITE_OK || shim_of(f)->path == nullptr) return rc;
  std::lock_guard lock(mutex);
  if (frozen) return SQLITE_IOERR_FSYNC;
  files[*shim_of(f)->path].unsynced.clear();
  return rc;
}

const sqlite3_io_methods kMethods = forwarding_methods({x_close, x_write, x_truncate, x_sync});

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  shim_of(f)->path = nullptr;
  const int rc = open_forwarding(real_vfs, &kMethods, name, f, sizeof(ShimFile), flags, out_flags);
  if (f->pMethods == nullptr || name == nullptr) return rc;
  shim_of(f)->path = new std::string(name);
  std::lock_guard lock(mutex);
  History& history = files[*shim_of(f)->path];  // what the file holds now counts as synced
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0) history.main_db = true;
  return rc;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  if (frozen) return SQLITE_IOERR_DELETE;
  const int rc = real_vfs->xDelete(real_vfs, name, sync_dir);
  if (rc == SQLITE_OK) {
    std::lock_guard lock(mutex);
    files.erase(name);
  }
  return rc;
}

void write_all(int fd, const std::vector<unsigned char>& bytes, sqlite3_int64 offset, std::size_t length) {
  if (length == 0) return;
  if (pwrite(fd, bytes.data(), length, offset) != static_cast<ssize_t>(length))
    throw std::runtime_error("power_loss_vfs: pwrite failed while rolling a file back");
}

}  // namespace

void PowerLossVfs::reset() {
  std::lock_guard lock(mutex);
  files.clear();
  frozen = false;
}

void PowerLossVfs::cut_power() { frozen = true; }

std::size_t PowerLossVfs::lose_unsynced_writes(Survival survival, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lock_guard lock(mutex);
  std::size_t undone = 0;
  for (auto& [path, history] : files) {
    std::vector<Change>& changes = history.unsynced;
    const std::size_t kept = survival == Survival::none ? 0 : rng() % (changes.size() + 1);
    if (kept < changes.size()) {
      const int fd = ::open(path.c_str(), O_RDWR);
      if (fd < 0) throw std::runtime_error("power_loss_vfs: cannot open " + path);
      for (std::size_t i = changes.size(); i-- > kept;) {
        const Change& c = changes[i];
        if (ftruncate(fd, c.size_before) != 0) throw std::runtime_error("power_loss_vfs: ftruncate failed");
        write_all(fd, c.old_bytes, c.offset, c.old_bytes.size());
        ++undone;
      }
      // The write the power cut interrupted may have reached the disk in part: whole sectors of its beginning.
      const Change& cut = changes[kept];
      if (survival == Survival::random && cut.new_bytes.size() > 512 && rng() % 2 == 0) {
        const std::size_t sectors = (cut.new_bytes.size() - 1) / 512;
        write_all(fd, cut.new_bytes, cut.offset, 512 * (1 + rng() % sectors));
      }
      fsync(fd);
      ::close(fd);
    }
    if (history.main_db) ::unlink((path + "-shm").c_str());
  }
  files.clear();
  return undone;
}

PowerLossVfs& power_loss_vfs() {
  if (real_vfs == nullptr) {
    real_vfs = register_shim(shim, "powerloss", sizeof(ShimFile), x_open);
    shim.xDelete = x_delete;
  }
  return controller;
}

}  // namespace hallvote::audit::testing
