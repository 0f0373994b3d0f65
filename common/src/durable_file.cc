#include "hallvote/common/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace hallvote {

std::optional<int> sync_folder_of(const std::filesystem::path& path) {
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  const bool ok = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) return error;
  return std::nullopt;
}

std::optional<DurableWriteFailure> write_durably(const std::filesystem::path& path, std::string_view bytes,
                                                 mode_t permissions) {
  using Step = DurableWriteFailure::Step;
  const std::filesystem::path temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions);
  if (fd < 0) return DurableWriteFailure{Step::write, errno};
  bool ok = ::fchmod(fd, permissions) == 0;  // the umask does not narrow or the old file's mode widen it
  std::size_t done = 0;
  while (ok && done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ok = false;
    else
      done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    const int cause = ok ? errno : error;
    ::unlink(temp.c_str());
    return DurableWriteFailure{Step::write, cause};
  }
  if (const std::optional<int> folder = sync_folder_of(path))
    return DurableWriteFailure{Step::sync_folder, *folder};
  return std::nullopt;
}

}  // namespace hallvote
