// A small, deterministic typesetter for the records' PDFs: A4 pages, paragraphs that wrap and break across
// pages, tables whose header repeats on every page, and QR codes drawn as filled rectangles. Text is laid out
// by Pango (HarfBuzz shaping, line breaking for Chinese) and drawn by Cairo's PDF surface, which embeds subsets
// of the CJK fonts. Nothing here reads the clock or the environment: the font map sees only the FontSet's
// files, hinting is off, glyph positions are not rounded, and the PDF dates come from the caller.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/records/render.h"

namespace hallvote::records::internal {

// The fonts of one render_records() call: a private fontconfig configuration holding only the Noto CJK files,
// and a Pango font map over it. Not thread-safe; one per call.
class FontSet {
 public:
  // Finds the files (options' paths, else through the system's fontconfig) and loads them. font_unavailable
  // when a file is missing or does not hold the expected family.
  [[nodiscard]] static Result<std::unique_ptr<FontSet>> load(const FontFiles& files);
  ~FontSet();
  FontSet(const FontSet&) = delete;
  FontSet& operator=(const FontSet&) = delete;

  [[nodiscard]] void* font_map() const { return font_map_; }  // PangoFontMap*

 private:
  FontSet() = default;
  void* font_map_ = nullptr;
};

enum class Face { serif, serif_bold, sans, sans_bold, mono };
enum class Align { left, center, right };

struct Style {
  Face face = Face::serif;
  double size = 16;  // points
  Align align = Align::left;
  double first_indent = 0;  // points; a first-line indent of two characters is 2 * size
  double space_before = 0;
  double space_after = 0;
  double line_spacing = 1.0;  // Pango line-height factor (1.0 = the font's natural line height)
  double gray = 0;            // 0 black … 1 white
};

struct Column {
  std::string header;
  double share = 1;  // fraction of the text width (shares are normalised)
  Align align = Align::center;
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells
  double size = 10.5;                          // points (五号)
};

struct PdfMeta {
  std::string title;        // PDF Title
  std::string subject;      // PDF Subject
  std::string date_iso;     // CreationDate and ModDate, "2025-01-09T10:05:30+08:00"
  std::string footer_note;  // a small line under the page number on every page
};

class Document {
 public:
  // Typesets `body` into an A4 PDF and returns its bytes. The body runs twice (the first pass counts the pages
  // for the "第 N 页 共 M 页" footer) and must lay out the same both times. render_failed names `name`.
  [[nodiscard]] static Result<std::string> render(const FontSet& fonts, const PdfMeta& meta,
                                                  std::string_view name,
                                                  const std::function<void(Document&)>& body);

  void paragraph(std::string_view text, const Style& style);
  void table(const Table& table);
  // A QR code of `payload`, `module` points per module, with `caption` paragraphs to its right.
  void qr(std::string_view payload, double module, const std::vector<std::string>& caption, const Style& style);
  void space(double points);
  // Starts a new page unless at least `points` remain on this one.
  void keep(double points);
  void new_page();

  [[nodiscard]] double text_width() const;

  struct Impl;

 private:
  explicit Document(Impl& impl) : impl_(impl) {}
  Impl& impl_;
};

}  // namespace hallvote::records::internal
