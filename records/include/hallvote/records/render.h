// The resolution records as files: results.json, results.csv and the PDFs (主席团公告, 决定,
// 满意度测评结果报告, 计票结果报告单). Names, contents, wording and layout are specified in docs/records.md
// ("records format", kRecordsFormatVersion).
//
// Rendering is deterministic: the same RecordSet gives the same bytes in any process, at any time, on any
// machine with the same library and font versions (PDF dates come from the log, fonts are loaded from fixed
// files into a private fontconfig configuration, hinting is off). The auditor's tool regenerates the records
// from an exported log and compares bytes (hallvote-audit export-records).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/records/collect.h"
#include "hallvote/records/errors.h"

namespace hallvote::records {

inline constexpr int kRecordsFormatVersion = 3;

struct RecordFile {
  std::string name;        // e.g. "decision-V3.pdf"; no directory part
  std::string media_type;  // "application/pdf", "application/json", "text/csv; charset=utf-8"
  std::string bytes;
};

// The font files the PDFs are typeset with (docs/records.md §4.1). Empty paths take the Debian defaults:
// `fangsong` FandolFang Regular (the 仿宋 of the body text), `title` FandolSong Bold (the 小标宋-like face of
// titles) and `kaiti` FandolKai Regular (the 楷体 of a 决定's 题注 and a 公告's number), all from Debian
// texlive-lang-chinese at their fixed paths under /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/;
// `sans_regular`/`sans_bold` "Noto Sans CJK SC" Regular/Bold (黑体 of headings and table headers; its
// collection also holds the monospaced face of hashes), looked up through the system's fontconfig (Debian
// fonts-noto-cjk). Only these files are visible to the typesetter, whatever else is installed.
struct FontFiles {
  std::filesystem::path fangsong;
  std::filesystem::path title;
  std::filesystem::path kaiti;
  std::filesystem::path sans_regular;
  std::filesystem::path sans_bold;
};

struct RenderOptions {
  FontFiles fonts;
};

// Renders every record of `set`, sorted by name (byte order). Each PDF's date metadata is the certification
// time of its vote (UTC+8), so no clock is read. Calls may run on different threads (each has its own font
// map); `set` and its session must not change during the call.
// Errors: font_unavailable (a font file missing or not the expected family), render_failed (Cairo, Pango or
// libqrencode failed; the detail names the file).
[[nodiscard]] Result<std::vector<RecordFile>> render_records(const RecordSet& set,
                                                             const RenderOptions& options = {});

// Writes each file into `directory` (created with its parents if missing): written to a temporary file in the
// same directory, fsync'd, renamed over the final name, then the directory fsync'd — a crash leaves each file
// either absent, the old version or the new one, never torn. Errors: invalid_file_name, io_error (naming the
// path and the system error). Files already written stay written when a later one fails.
[[nodiscard]] Status write_records(const std::vector<RecordFile>& files,
                                   const std::filesystem::path& directory);

}  // namespace hallvote::records
