#include "hallvote/hall/files.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "hallvote/common/durable_file.h"

namespace hallvote::setup {
namespace {

Status io_failure(const std::filesystem::path& path, const char* zh, const char* en, int error) {
  return fail(
      std::error_code(error, std::generic_category()),
      std::string(zh) + " " + path.string() + " / " + en + " " + path.string() + ": " + std::strerror(error));
}

// The bilingual error of a durable write (common/durable_file.h).
Status durable_failure(const std::filesystem::path& path, const DurableWriteFailure& failure) {
  if (failure.step == DurableWriteFailure::Step::sync_folder) {
    return io_failure(path.has_parent_path() ? path.parent_path() : ".", "无法同步目录", "cannot sync folder",
                      failure.error);
  }
  return io_failure(path, "无法写入", "cannot write", failure.error);
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
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (auto failure = write_durably(path, text, mode == FileMode::secret ? 0600 : 0644))
    return durable_failure(path, *failure);
  return {};
}

Status remove_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return {};
    return io_failure(path, "无法删除", "cannot remove", errno);
  }
  if (const std::optional<int> error = sync_folder_of(path))
    return durable_failure(path, {DurableWriteFailure::Step::sync_folder, *error});
  return {};
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
