// Reading a session or CSV file from disk within the input limits (private to hallvote::session).
#pragma once

#include <filesystem>
#include <string>

#include "hallvote/common/result.h"
#include "hallvote/session/errors.h"

namespace hallvote::session::detail {

// Why a file was not read, in Chinese and English (without the file's name).
struct ReadRefusal {
  SessionErrc code = SessionErrc::unreadable_file;  // or input_limit for a file beyond kMaxInputFileBytes
  std::string zh;
  std::string en;
};

// The bytes of the regular file at `path`, at most `max_bytes` of them. Refuses, without reading or blocking,
// a directory, a FIFO, a socket or a device (/dev/zero would never end), and stops reading after `max_bytes`
// (input_limit), so that neither a special file nor a huge one can exhaust the caller's memory.
[[nodiscard]] tl::expected<std::string, ReadRefusal> read_input_file(const std::filesystem::path& path,
                                                                     std::size_t max_bytes);

// "中文 / English", for an Error's detail.
[[nodiscard]] std::string bilingual(const ReadRefusal& refusal);

}  // namespace hallvote::session::detail
