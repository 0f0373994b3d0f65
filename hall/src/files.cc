#include "hallvote/hall/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace hallvote::setup {
namespace {

Status io_failure(const std::filesystem::path& path, const char* zh, const char* en, int error) {
  return fail(
      std::error_code(error, std::generic_category()),
      std::string(zh) + " " + path.string() + " / " + en + " " + path.string() + ": " + std::strerror(error));
}

// Makes a rename or unlink in `path`'s folder durable.
Status sync_folder_of(const std::filesystem::path& path) {
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_failure(folder, "无法同步目录", "cannot sync folder", errno);
  const bool ok = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) return io_failure(folder, "无法同步目录", "cannot sync folder", error);
  return {};
}

}  // namespace

Result<crypto::Bytes> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    auto failure = io_failure(path, "无法读取", "cannot read", errno != 0 ? errno : ENOENT);
    return forward(failure.error());
  }
  return crypto::Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Result<std::string> read_text(const std::filesystem::path& path) {
  auto bytes = read_bytes(path);
  if (!bytes) return forward(bytes.error());
  return std::string(bytes->begin(), bytes->end());
}

Status write_file(const std::filesystem::path& path, crypto::ByteView bytes, FileMode mode) {
  const std::filesystem::path temp = path.string() + ".tmp";
  const mode_t permissions = mode == FileMode::secret ? 0600 : 0644;
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions);
  if (fd < 0) return io_failure(path, "无法写入", "cannot write", errno);
  bool ok = ::fchmod(fd, permissions) == 0;
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
    return io_failure(path, "无法写入", "cannot write", cause);
  }
  return sync_folder_of(path);
}

Status remove_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return {};
    return io_failure(path, "无法删除", "cannot remove", errno);
  }
  return sync_folder_of(path);
}

Result<std::string> hall_passphrase(const std::optional<std::string>& given) {
  if (given && !given->empty()) return *given;
  if (const char* env = std::getenv(kPassphraseEnv); env != nullptr && *env != '\0') return std::string(env);
  return fail(std::errc::invalid_argument,
              "需要口令：请用 --passphrase 或环境变量 HALLVOTE_PASSPHRASE 提供 / a passphrase is needed: give "
              "--passphrase or set HALLVOTE_PASSPHRASE");
}

crypto::KdfParams kdf_params(bool insecure_fast) {
  return insecure_fast ? crypto::KdfParams::minimal() : crypto::KdfParams::moderate();
}

Status write_sealed(const std::filesystem::path& path, std::string_view kind, crypto::ByteView secret,
                    std::string_view passphrase, const crypto::KdfParams& params) {
  const crypto::Bytes file = crypto::seal_key_file(kind, secret, passphrase, params);
  return write_file(path, file, FileMode::secret);
}

Result<crypto::SecretBytes> read_sealed(const std::filesystem::path& path, std::string_view kind,
                                        std::string_view passphrase) {
  auto file = read_bytes(path);
  if (!file) return forward(file.error());
  auto secret = crypto::open_key_file(*file, kind, passphrase);
  if (!secret) {
    return fail(secret.error().code, "无法打开密钥文件 " + path.string() + " / cannot open key file " +
                                         path.string() + ": " + secret.error().message());
  }
  return secret;
}

}  // namespace hallvote::setup
