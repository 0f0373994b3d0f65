// A small, deterministic typesetter for the records' PDFs in the format of GB/T 9704-2012 (A4, type area
// 156 × 225 mm, 22 lines of 仿宋 三号 on a fixed grid): paragraphs that wrap and break across pages, tables
// whose columns are sized to their content and whose header repeats on every page, and a verification block
// with a QR code drawn as filled rectangles. Text is laid out by Pango (HarfBuzz shaping, line breaking for
// Chinese) and drawn by Cairo's PDF surface, which embeds subsets of the fonts. Nothing here reads the clock or
// the environment: the font map sees only the FontSet's files, hinting is off, glyph positions are not rounded,
// and the PDF dates come from the caller.
//
// Line breaking (docs/records.md §4.1): a line may break only where Pango allows it and never inside
//  - a span marked with keep() (titles mark their phrases, lists their project names),
//  - a number with its unit or sign ("81.1%", "160票", "第2轮", "2025年1月9日"),
//  - the last three characters of a paragraph or cell (no line holds a single character of a name).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/records/render.h"

namespace hallvote::records::internal {

// The fonts of one render_records() call: a private fontconfig configuration holding only the record fonts,
// and a Pango font map over it. Not thread-safe; one per call.
class FontSet {
 public:
  // Finds the files (options' paths, else the Debian defaults) and loads them. font_unavailable when a file is
  // missing or does not hold the expected family.
  [[nodiscard]] static Result<std::unique_ptr<FontSet>> load(const FontFiles& files);
  ~FontSet();
  FontSet(const FontSet&) = delete;
  FontSet& operator=(const FontSet&) = delete;

  [[nodiscard]] void* font_map() const { return font_map_; }  // PangoFontMap*

 private:
  FontSet() = default;
  void* font_map_ = nullptr;
};

// title: 小标宋-like (FandolSong Bold); fang: 仿宋 (FandolFang); kai: 楷体 (FandolKai); hei/hei_bold: 黑体
// (Noto Sans CJK SC); mono: hashes (Noto Sans Mono CJK SC).
enum class Face { title, fang, kai, hei, hei_bold, mono };
enum class Align { left, center, right };

// Byte ranges [first, second) of `text` (without keep() markers) where no line may break: numbers with their
// units and a preceding 第 ("第2轮", "160票", "81.1%", "2025年1月9日"), and the last three characters of every
// line.
[[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> unbreakable_ranges(std::string_view text);

// `text` as one unbreakable span: no line break inside it, unless the span alone is wider than the line.
[[nodiscard]] std::string keep(std::string_view text);

struct Style {
  Face face = Face::fang;
  double size = 16;  // points
  Align align = Align::left;
  double first_indent = 0;  // points; a first-line indent of two characters is 2 * size
  double space_before = 0;
  double space_after = 0;
  double pitch = 0;           // baseline-to-baseline distance in points; 0: 1.25 × size
  double keep_after = 0;      // points that must follow on the same page (a heading keeps its first lines)
  double gray = 0;            // 0 black … 1 white
  double letter_spacing = 0;  // points added between characters (the grid's 28 characters a line)
  bool balance = false;       // centred lines of about equal width: the narrowest measure that keeps the
                              // line count (a title's last line does not hold a lone phrase)
};

struct Column {
  std::string header;
  bool wrap = false;  // a text column that takes the width left over and wraps; others never wrap
  Align align = Align::center;
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells
  double size = 12;                            // points (小四)
  double min_row_height = 0;                   // points; room for a handwritten signature
  bool keep_together = false;                  // on one page when it fits on one (rows without notes)
  std::vector<std::string> notes;  // empty, or one per row: a line under the row across the whole table
};

struct PdfMeta {
  std::string title;     // PDF Title
  std::string subject;   // PDF Subject
  std::string date_iso;  // CreationDate and ModDate, "2025-01-09T10:05:30+08:00"
};

// The verification block at the foot of the last page: the QR code of `payload` and its caption lines.
struct Verification {
  std::string payload;
  std::vector<std::string> caption;
};

class Document {
 public:
  // Typesets `body` into an A4 PDF and returns its bytes, with `verification` at the foot of the last page. The
  // body runs twice (the first pass counts the pages for the "第 N 页 共 M 页" footer) and must lay out the
  // same both times. render_failed names `name`.
  [[nodiscard]] static Result<std::string> render(const FontSet& fonts, const PdfMeta& meta,
                                                  std::string_view name, const Verification& verification,
                                                  const std::function<void(Document&)>& body);

  void paragraph(std::string_view text, const Style& style);
  void table(const Table& table);
  void space(double points);
  // Starts a new page unless at least `points` remain on this one.
  void need(double points);
  void new_page();

  struct Impl;

 private:
  explicit Document(Impl& impl) : impl_(impl) {}
  Impl& impl_;
};

}  // namespace hallvote::records::internal
