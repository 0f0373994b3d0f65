// Where the members of a key ceremony post their messages and read everyone's (docs/crypto.md §6.5): a folder
// — shared between the members' machines, or carried between them on removable media for an air-gapped hall.
// The board only carries messages: every check is the transcript's (protocol/key_ceremony.h), so a board that
// loses, reorders, repeats or forges files cannot make a member accept a wrong key.
//
//   <folder>/call.json                       the chair's call (CeremonyCall)
//   <folder>/<N>-<step>-<member>.json        one message; N is the step's position (1 join … 7 final_key)
// Files are written whole (a temporary name, then renamed), so a reader never sees half a message.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/protocol/key_ceremony.h"

namespace hallvote::setup {

// One message file as read: its name, and the message or why it could not be read.
struct BoardFile {
  std::string name;
  Result<protocol::CeremonyMessage> message;
};

class CeremonyBoard {
 public:
  explicit CeremonyBoard(std::filesystem::path folder) : folder_(std::move(folder)) {}

  // Writes the call (creating the folder). Refuses (std::errc::file_exists) when the folder already holds a
  // call or messages: a new attempt takes a new folder.
  [[nodiscard]] Status write_call(const protocol::CeremonyCall& call) const;
  [[nodiscard]] Result<protocol::CeremonyCall> read_call() const;
  // Writes one message. Refuses (std::errc::file_exists) to replace a different message of the same step and
  // member; an identical one is left as it is.
  [[nodiscard]] Status post(const protocol::CeremonyMessage& message) const;
  // Every message file, in name order.
  [[nodiscard]] Result<std::vector<BoardFile>> read() const;

  [[nodiscard]] const std::filesystem::path& folder() const noexcept { return folder_; }

 private:
  std::filesystem::path folder_;
};

// Adds every message file of the board to `transcript` (joins first, then step by step; messages already in it
// are identical repeats and change nothing). A file is refused when it is not a regular file of at most 1 MiB,
// does not parse, is not stored under its own name (<N>-<step>-<member>.json) or is refused by the transcript.
// `strict`: the first refusal fails, naming the file (what init does: the logged transcript has no foreign
// files). Otherwise refused files are skipped and listed in `refused` (what a member does: a forged file must
// not stop an honest ceremony) — except a member's second, different message for a step
// (CeremonyErrc::equivocation), which always fails: the members may have seen different versions.
[[nodiscard]] Status read_board_into(const CeremonyBoard& board, protocol::CeremonyTranscript& transcript,
                                     bool strict, std::vector<std::string>* refused = nullptr);

// The board's call and everything read_board_into takes from it.
[[nodiscard]] Result<protocol::CeremonyTranscript> load_board(const CeremonyBoard& board, bool strict,
                                                              std::vector<std::string>* refused = nullptr);

}  // namespace hallvote::setup
