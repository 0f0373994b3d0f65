#include "input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hallvote::session::detail {
namespace {

ReadRefusal os_refusal(int err) {
  switch (err) {
    case ENOENT:
      return {SessionErrc::unreadable_file, "文件不存在", "no such file"};
    case EACCES:
      return {SessionErrc::unreadable_file, "没有读取权限", "permission denied"};
    default:
      return {SessionErrc::unreadable_file, std::string("系统错误：") + std::strerror(err),
              std::string("system error: ") + std::strerror(err)};
  }
}

ReadRefusal not_regular(mode_t mode) {
  if (S_ISDIR(mode))
    return {SessionErrc::unreadable_file, "不是普通文件（是目录）", "not a regular file (a directory)"};
  if (S_ISFIFO(mode))
    return {SessionErrc::unreadable_file, "不是普通文件（是管道）", "not a regular file (a FIFO)"};
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return {SessionErrc::unreadable_file, "不是普通文件（是设备）", "not a regular file (a device)"};
  }
  return {SessionErrc::unreadable_file, "不是普通文件", "not a regular file"};
}

ReadRefusal too_large(std::size_t max_bytes) {
  const std::string limit = std::to_string(max_bytes);
  return {SessionErrc::input_limit, "文件大于上限 " + limit + " 字节",
          "file larger than the limit of " + limit + " bytes"};
}

// Closes the descriptor on every path out.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

tl::expected<std::string, ReadRefusal> read_input_file(const std::filesystem::path& path,
                                                       std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. It does not affect regular files.
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (fd.get() < 0) return tl::unexpected(os_refusal(errno));
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) return tl::unexpected(os_refusal(errno));
  if (!S_ISREG(status.st_mode)) return tl::unexpected(not_regular(status.st_mode));
  if (static_cast<std::uintmax_t>(status.st_size) > max_bytes) return tl::unexpected(too_large(max_bytes));
  std::string bytes;
  // The file may grow while it is read: read at most one byte beyond the limit, to tell.
  std::string buffer(64 * 1024, '\0');
  for (;;) {
    const std::size_t want = std::min(buffer.size(), max_bytes + 1 - bytes.size());
    const ssize_t got = ::read(fd.get(), buffer.data(), want);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return tl::unexpected(os_refusal(errno));
    if (got == 0) break;
    bytes.append(buffer.data(), static_cast<std::size_t>(got));
    if (bytes.size() > max_bytes) return tl::unexpected(too_large(max_bytes));
  }
  return bytes;
}

std::string bilingual(const ReadRefusal& refusal) { return refusal.zh + " / " + refusal.en; }

}  // namespace hallvote::session::detail
