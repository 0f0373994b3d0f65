#include "checkpoint_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "hallvote/common/durable_file.h"
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
  if (auto failure = write_durably(path, note, 0644)) {
    return io_failure(
        failure->step == DurableWriteFailure::Step::write ? "cannot write" : "cannot sync its folder", path,
        failure->error);
  }
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
