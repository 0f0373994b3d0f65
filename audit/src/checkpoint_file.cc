#include "checkpoint_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "hallvote/tlog/errors.h"

namespace hallvote::audit {

namespace {

constexpr std::size_t kMaxNote = 64 * 1024;  // a checkpoint note with every cosignature is far smaller

tl::unexpected<Error> io_failure(const std::string& what, const std::string& path, int error) {
  return fail(AuditErrc::storage_failed, "检查点文件 " + path + " " + what + " / checkpoint file " + path +
                                             ": " + what + ": " + std::strerror(error));
}

}  // namespace

std::string checkpoint_file_of(const std::string& db_path) {
  return std::filesystem::path(db_path).replace_extension(".checkpoint").string();
}

Status write_checkpoint_file(const std::string& path, const std::string& note) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_failure("cannot write", path, errno);
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < note.size()) {
    const ssize_t n = ::write(fd, note.data() + done, note.size() - done);
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
    return io_failure("cannot write", path, cause);
  }
  const std::filesystem::path folder = std::filesystem::path(path).has_parent_path()
                                           ? std::filesystem::path(path).parent_path()
                                           : std::filesystem::path(".");
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return io_failure("cannot sync its folder", path, errno);
  const bool synced = ::fsync(dir) == 0;
  const int sync_error = errno;
  ::close(dir);
  if (!synced) return io_failure("cannot sync its folder", path, sync_error);
  return {};
}

Result<std::optional<std::string>> read_checkpoint_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (error) return io_failure("cannot read", path, error.value());
    return std::optional<std::string>();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_failure("cannot read", path, errno != 0 ? errno : EIO);
  std::string text;
  text.resize(kMaxNote + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxNote) return io_failure("larger than any checkpoint note", path, EFBIG);
  return std::optional<std::string>(std::move(text));
}

}  // namespace hallvote::audit
