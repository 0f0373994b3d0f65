#include "hallvote/presidium/passphrase.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace hallvote::presidium {
namespace {

// The longest passphrase line read; a longer line is refused rather than cut.
constexpr std::size_t kMaxPassphraseBytes = 1024;

// Reads `fd` byte by byte up to the first newline or its end (so that nothing after the line is consumed) into
// a secret; "\r\n" counts as the line ending. `what` names the source in errors.
Result<crypto::SecretBytes> read_line(int fd, const std::string& what) {
  crypto::Bytes line;
  line.reserve(kMaxPassphraseBytes + 1);  // no reallocation, so no unwiped copy is left behind
  for (;;) {
    std::uint8_t byte = 0;
    const ssize_t got = ::read(fd, &byte, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error = errno;
      crypto::secure_wipe(line);
      return fail(std::error_code(error, std::generic_category()),
                  "无法读取口令 / cannot read the passphrase from " + what);
    }
    if (got == 0 || byte == '\n') break;
    if (line.size() == kMaxPassphraseBytes) {
      crypto::secure_wipe(line);
      return fail(std::errc::invalid_argument, what + "：口令过长 / the passphrase is longer than " +
                                                   std::to_string(kMaxPassphraseBytes) + " bytes");
    }
    line.push_back(byte);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    return fail(std::errc::invalid_argument, what + "：口令为空 / the passphrase is empty");
  }
  return crypto::SecretBytes::take(line);
}

}  // namespace

std::string_view passphrase_argument(std::span<const std::string_view> args) noexcept {
  for (const std::string_view arg : args) {
    for (const std::string_view option :
         {std::string_view("--passphrase"), std::string_view("--passphrase-prefix")}) {
      if (arg == option ||
          (arg.starts_with(option) && arg.size() > option.size() && arg[option.size()] == '=')) {
        return option;
      }
    }
  }
  return {};
}

std::string command_line_refusal(std::string_view option) {
  return std::string(option) +
         " 已停用：口令不能写在命令行上（本机其他用户可在进程列表中看到）。请不带此选项运行，按提示输入口令；脚"
         "本中用 "
         "--passphrase-file 文件（仅本人可读，权限 0600）或 --passphrase-fd 描述符 / " +
         std::string(option) +
         " is no longer accepted: a passphrase on the command line "
         "is visible to other users of the machine (ps): run without it and type the passphrase when asked, or "
         "in "
         "a script use --passphrase-file FILE (readable only by you, mode 0600) or --passphrase-fd N";
}

Result<crypto::SecretBytes> read_passphrase_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return fail(std::error_code(errno, std::generic_category()),
                "无法打开口令文件 / cannot open the passphrase file " + name);
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return fail(std::errc::permission_denied,
                "口令文件不是普通文件 / the passphrase file is not a regular file: " + name);
  }
  if ((info.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return fail(std::errc::permission_denied, "口令文件 " + name + " 的权限为 " + mode +
                                                  "，他人可读写，拒绝使用；请执行 chmod 600 " + name +
                                                  " / the passphrase file " + name + " has mode " + mode +
                                                  ", open to others: refused (chmod 600 it)");
  }
  auto passphrase = read_line(fd, name);
  ::close(fd);
  return passphrase;
}

Result<crypto::SecretBytes> read_passphrase_fd(int fd) {
  return read_line(fd, "文件描述符 / file descriptor " + std::to_string(fd));
}

Result<crypto::SecretBytes> read_passphrase_tty(std::string_view prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return fail(std::errc::no_such_device, "没有终端 / no terminal");
  struct termios saved {};
  const bool is_terminal = ::tcgetattr(fd, &saved) == 0;
  if (is_terminal) {
    struct termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  [[maybe_unused]] const ssize_t shown = ::write(fd, prompt.data(), prompt.size());
  auto passphrase = read_line(fd, "终端 / the terminal");
  if (is_terminal) ::tcsetattr(fd, TCSAFLUSH, &saved);
  ::close(fd);
  return passphrase;
}

Result<crypto::SecretBytes> member_passphrase(const PassphraseSource& source, std::string_view prompt) {
  if (source.file) return read_passphrase_file(*source.file);
  if (source.fd) return read_passphrase_fd(*source.fd);
  if (const char* env = std::getenv(kMemberPassphraseEnv); env != nullptr && *env != '\0') {
    crypto::Bytes bytes(env, env + std::strlen(env));
    return crypto::SecretBytes::take(bytes);
  }
  auto typed = read_passphrase_tty(prompt);
  if (typed || typed.error().code != std::make_error_code(std::errc::no_such_device)) return typed;
  return fail(
      std::errc::invalid_argument,
      "需要密钥口令，但没有终端可以询问：请在终端中运行，或用 --passphrase-file 文件 / --passphrase-fd "
      "描述符提供 / the key passphrase is needed and there is no terminal to ask on: run in a terminal, or "
      "give --passphrase-file FILE or --passphrase-fd N");
}

std::string_view as_text(const crypto::SecretBytes& passphrase) noexcept {
  const auto bytes = passphrase.reveal();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace hallvote::presidium
