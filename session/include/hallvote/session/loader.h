// Loading a session definition from its TOML file (format version 1, docs/session-format.md) and the CSV files
// it names. The loader checks everything it can without cryptography and reports EVERY problem it finds, each
// located by file, line and field, in Chinese and English.
//
// Thread safety: the functions are reentrant; a FileReader is called only from the calling thread.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/session/definition.h"
#include "hallvote/session/diagnostics.h"

namespace hallvote::session {

// The format version this build reads and writes.
inline constexpr std::uint32_t kSessionFormatVersion = 1;

// Input limits (docs/session-format.md "Limits"), checked before the TOML library sees a file: a hostile file
// (in a hand-made audit bundle, say) must not exhaust memory or the TOML library's stack, which recurses once
// per nested table. Each is far above what a real session needs (an NPC-size roster CSV of 3,000 deputies is
// about 0.5 MB; real keys have at most 3 parts and real files nest about 4 levels deep). Beyond one:
// SessionErrc::input_limit, naming the limit and where it was passed.
inline constexpr std::size_t kMaxInputFileBytes = std::size_t{16} << 20U;  // a session file or a CSV file
inline constexpr std::size_t kMaxTomlLineBytes = std::size_t{64} << 10U;   // one line of a session file
inline constexpr std::size_t kMaxTomlKeyParts = 32;                        // `a.b.c` has 3 parts
// Levels of tables, arrays and inline tables above a value: each part of the header in force and of the key,
// one more for an array of tables `[[…]]`, and one for each array or inline table the value is inside.
inline constexpr std::size_t kMaxTomlNesting = 64;

// Returns the contents of a file named (relative to the session file's folder) inside the session file, or an
// error (SessionErrc::unreadable_file). The loader's only access to the filesystem; tests pass in-memory files.
using FileReader = std::function<Result<std::string>(const std::string& relative_path)>;

// Reads files from `directory` (the session file's folder). Refuses absolute paths, paths containing "..",
// anything but a regular file (a directory, a FIFO, a device such as /dev/zero) and a file larger than
// kMaxInputFileBytes (SessionErrc::input_limit; reading stops there).
[[nodiscard]] FileReader directory_reader(std::filesystem::path directory);

struct LoadReport {
  std::optional<SessionDefinition> definition;  // set exactly when `diagnostics` is empty
  Diagnostics diagnostics;                      // every problem found, in file order per file
};

// Parses and validates a session file given as text. `file_name` names it in diagnostics; CSV files it refers
// to are fetched through `read_file`.
[[nodiscard]] LoadReport parse_session(std::string_view toml_text, const std::string& file_name,
                                       const FileReader& read_file);

// Reads `path` and the CSV files beside it, then parse_session(). An unreadable session file (as
// directory_reader() refuses it) is one diagnostic saying why.
[[nodiscard]] LoadReport load_session_report(const std::filesystem::path& path);

// As load_session_report(), folded into a Result: on failure the Error's code is
// SessionErrc::invalid_definition and its detail lists every diagnostic, one per line.
[[nodiscard]] Result<SessionDefinition> load_session(const std::filesystem::path& path);

// The session file and every file it named, exactly as read. The audit log records them so that an auditor
// re-reads the very definition the server used, with the same loader.
struct SessionFiles {
  std::string session_file;                     // the TOML file's name (a key of `contents`)
  std::map<std::string, std::string> contents;  // file name (as written in the session file) → its bytes
};

// A FileReader over in-memory files; a name it does not hold is SessionErrc::unreadable_file.
[[nodiscard]] FileReader memory_reader(std::map<std::string, std::string> files);

struct LoadedSession {
  SessionDefinition definition;
  SessionFiles files;
};

// As load_session(), also returning the files it read.
[[nodiscard]] Result<LoadedSession> load_session_with_files(const std::filesystem::path& path);

// Parses files recorded by load_session_with_files() (e.g. from the audit log). Errors as load_session().
[[nodiscard]] Result<SessionDefinition> parse_session_files(const SessionFiles& files);

}  // namespace hallvote::session
