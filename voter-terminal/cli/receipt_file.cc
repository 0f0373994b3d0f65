#include "receipt_file.h"

#include <string>

#include "hallvote/hall/files.h"

namespace hallvote::terminal_tool {

Result<std::filesystem::path> save_receipt(const std::filesystem::path& directory, std::string_view deputy_id,
                                           std::string_view vote_id, std::uint32_t round,
                                           const terminal::CastReceipt& receipt) {
  std::error_code created;
  std::filesystem::create_directories(directory, created);
  if (created) {
    return fail(created, "回执目录 / receipt folder " + directory.string());
  }
  const auto path = directory / (std::string(deputy_id) + "-" + std::string(vote_id) + "-r" +
                                 std::to_string(round) + ".receipt");
  if (auto ok = setup::write_file(path, receipt.receipt, setup::FileMode::plain); !ok)
    return forward(ok.error());
  return path;
}

}  // namespace hallvote::terminal_tool
