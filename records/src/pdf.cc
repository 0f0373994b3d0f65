#include "pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <qrencode.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "hallvote/records/errors.h"

namespace hallvote::records::internal {
namespace {

// A4 in points, and the type area.
constexpr double kPageWidth = 595.2756;   // 210 mm
constexpr double kPageHeight = 841.8898;  // 297 mm
constexpr double kMarginLeft = 76.0;
constexpr double kMarginRight = 70.0;
constexpr double kMarginTop = 68.0;
constexpr double kMarginBottom = 78.0;  // the footer sits inside it
constexpr double kCellPadding = 3.0;
constexpr double kRule = 0.6;

const FcChar8* fc_text(const char* text) { return reinterpret_cast<const FcChar8*>(text); }

struct FontWanted {
  const char* family;
  int weight;
  const std::filesystem::path* given;
};

// The file of `family` at `weight` in the system configuration, or an error when fontconfig falls back to
// another family or weight.
Result<std::string> find_font(const char* family, int weight) {
  if (FcInit() == FcFalse) return fail(RecordsErrc::font_unavailable, "fontconfig could not be initialised");
  FcPattern* pattern = FcPatternCreate();
  FcPatternAddString(pattern, FC_FAMILY, fc_text(family));
  FcPatternAddInteger(pattern, FC_WEIGHT, weight);
  FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pattern, &result);
  FcPatternDestroy(pattern);
  if (match == nullptr) return fail(RecordsErrc::font_unavailable, std::string(family) + ": no match");
  bool family_ok = false;
  FcChar8* value = nullptr;
  for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &value) == FcResultMatch; ++i) {
    if (std::strcmp(reinterpret_cast<const char*>(value), family) == 0) family_ok = true;
  }
  int found_weight = 0;
  FcPatternGetInteger(match, FC_WEIGHT, 0, &found_weight);
  std::string file;
  if (FcPatternGetString(match, FC_FILE, 0, &value) == FcResultMatch)
    file = reinterpret_cast<const char*>(value);
  FcPatternDestroy(match);
  const bool weight_ok = (weight >= FC_WEIGHT_BOLD) == (found_weight >= FC_WEIGHT_DEMIBOLD);
  if (!family_ok || !weight_ok || file.empty()) {
    return fail(RecordsErrc::font_unavailable, std::string(family) +
                                                   (weight >= FC_WEIGHT_BOLD ? " Bold" : " Regular") +
                                                   " is not installed (Debian package fonts-noto-cjk)");
  }
  return file;
}

bool config_has_family(FcConfig* config, const char* family) {
  FcPattern* pattern = FcPatternCreate();
  FcPatternAddString(pattern, FC_FAMILY, fc_text(family));
  FcObjectSet* objects = FcObjectSetCreate();
  FcObjectSetAdd(objects, FC_FAMILY);
  FcFontSet* set = FcFontList(config, pattern, objects);
  const bool found = set != nullptr && set->nfont > 0;
  if (set != nullptr) FcFontSetDestroy(set);
  FcObjectSetDestroy(objects);
  FcPatternDestroy(pattern);
  return found;
}

constexpr const char* kSerif = "Noto Serif CJK SC";
constexpr const char* kSans = "Noto Sans CJK SC";
constexpr const char* kMono = "Noto Sans Mono CJK SC";

int to_pango(double points) { return static_cast<int>(std::lround(points * PANGO_SCALE)); }
double from_pango(int units) { return static_cast<double>(units) / PANGO_SCALE; }

// Owning handles for the GLib/Cairo objects used below.
struct LayoutDeleter {
  void operator()(PangoLayout* layout) const { g_object_unref(layout); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t discard(void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }

}  // namespace

Result<std::unique_ptr<FontSet>> FontSet::load(const FontFiles& files) {
  const FontWanted wanted[] = {{kSerif, FC_WEIGHT_REGULAR, &files.serif_regular},
                               {kSerif, FC_WEIGHT_BOLD, &files.serif_bold},
                               {kSans, FC_WEIGHT_REGULAR, &files.sans_regular},
                               {kSans, FC_WEIGHT_BOLD, &files.sans_bold}};
  std::vector<std::string> paths;
  for (const FontWanted& w : wanted) {
    std::string path;
    if (!w.given->empty()) {
      path = w.given->string();
    } else {
      auto found = find_font(w.family, w.weight);
      if (!found) return forward(found.error());
      path = *found;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return fail(RecordsErrc::font_unavailable, path + ": not a readable font file");
    }
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  }
  FcConfig* config = FcConfigCreate();
  if (config == nullptr) return fail(RecordsErrc::font_unavailable, "fontconfig: out of memory");
  for (const std::string& path : paths) {
    if (FcConfigAppFontAddFile(config, fc_text(path.c_str())) == FcFalse) {
      FcConfigDestroy(config);
      return fail(RecordsErrc::font_unavailable, path + ": fontconfig cannot read the file");
    }
  }
  for (const char* family : {kSerif, kSans, kMono}) {
    if (!config_has_family(config, family)) {
      FcConfigDestroy(config);
      return fail(RecordsErrc::font_unavailable, std::string(family) + " is in none of the font files given");
    }
  }
  PangoFontMap* map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  if (map == nullptr) {
    FcConfigDestroy(config);
    return fail(RecordsErrc::render_failed, "Pango has no FreeType font map");
  }
  pango_fc_font_map_set_config(reinterpret_cast<PangoFcFontMap*>(map), config);
  FcConfigDestroy(config);  // the font map holds its own reference
  std::unique_ptr<FontSet> set(new FontSet());
  set->font_map_ = map;
  return set;
}

FontSet::~FontSet() {
  if (font_map_ != nullptr) g_object_unref(font_map_);
}

// ---------------------------------------------------------------------------------------------------------------

struct Document::Impl {
  cairo_t* cr = nullptr;
  PangoContext* context = nullptr;
  const PdfMeta* meta = nullptr;
  int page = 1;
  int total_pages = 0;  // 0 in the counting pass
  double y = kMarginTop;

  [[nodiscard]] double bottom() const { return kPageHeight - kMarginBottom; }
  [[nodiscard]] double width() const { return kPageWidth - kMarginLeft - kMarginRight; }

  PangoFontDescription* font(Face face, double size) const {
    PangoFontDescription* d = pango_font_description_new();
    switch (face) {
      case Face::serif:
      case Face::serif_bold:
        pango_font_description_set_family(d, kSerif);
        break;
      case Face::sans:
      case Face::sans_bold:
        pango_font_description_set_family(d, kSans);
        break;
      case Face::mono:
        pango_font_description_set_family(d, kMono);
        break;
    }
    pango_font_description_set_weight(
        d, (face == Face::serif_bold || face == Face::sans_bold) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(d, PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
    return d;
  }

  LayoutPtr layout(std::string_view text, Face face, double size, double width, Align align, double indent = 0,
                   double line_spacing = 1.0) const {
    LayoutPtr l(pango_layout_new(context));
    PangoFontDescription* d = font(face, size);
    pango_layout_set_font_description(l.get(), d);
    pango_font_description_free(d);
    pango_layout_set_width(l.get(), to_pango(width));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), align == Align::left     ? PANGO_ALIGN_LEFT
                                        : align == Align::center ? PANGO_ALIGN_CENTER
                                                                 : PANGO_ALIGN_RIGHT);
    pango_layout_set_indent(l.get(), to_pango(indent));
    if (line_spacing != 1.0) pango_layout_set_line_spacing(l.get(), static_cast<float>(line_spacing));
    pango_layout_set_text(l.get(), text.data(), static_cast<int>(text.size()));
    return l;
  }

  static double height(PangoLayout* l) {
    PangoRectangle logical{};
    pango_layout_get_extents(l, nullptr, &logical);
    return from_pango(logical.y + logical.height);
  }

  void footer() {
    const std::string number =
        "第 " + std::to_string(page) + " 页" +
        (total_pages > 0 ? "  共 " + std::to_string(total_pages) + " 页" : std::string());
    const double footer_y = kPageHeight - kMarginBottom + 22;
    cairo_set_source_rgb(cr, 0, 0, 0);
    LayoutPtr l = layout(number, Face::sans, 9, width(), Align::center);
    cairo_move_to(cr, kMarginLeft, footer_y);
    pango_cairo_show_layout(cr, l.get());
    if (!meta->footer_note.empty()) {
      cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
      LayoutPtr note = layout(meta->footer_note, Face::sans, 7, width(), Align::center);
      cairo_move_to(cr, kMarginLeft, footer_y + 14);
      pango_cairo_show_layout(cr, note.get());
      cairo_set_source_rgb(cr, 0, 0, 0);
    }
  }

  void next_page() {
    footer();
    cairo_show_page(cr);
    ++page;
    y = kMarginTop;
  }

  // Draws the lines of `l` at x from the current y, breaking the page between lines as needed.
  void flow(PangoLayout* l, double x) {
    PangoLayoutIter* it = pango_layout_get_iter(l);
    double shift = y;  // page y of the layout's y = 0
    double end = y;
    do {
      PangoRectangle logical{};
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double top = from_pango(logical.y);
      const double h = from_pango(logical.height);
      if (shift + top + h > bottom() && shift + top > kMarginTop + 0.5) {
        next_page();
        shift = kMarginTop - top;
      }
      const double baseline = from_pango(pango_layout_iter_get_baseline(it));
      cairo_move_to(cr, x + from_pango(logical.x), shift + baseline);
      pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
      end = shift + top + h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    y = end;
  }
};

Result<std::string> Document::render(const FontSet& fonts, const PdfMeta& meta, std::string_view name,
                                     const std::function<void(Document&)>& body) {
  int pages = 0;
  std::string out;
  for (int pass = 0; pass < 2; ++pass) {
    out.clear();
    cairo_surface_t* surface =
        pass == 0 ? cairo_pdf_surface_create_for_stream(discard, nullptr, kPageWidth, kPageHeight)
                  : cairo_pdf_surface_create_for_stream(append_to_string, &out, kPageWidth, kPageHeight);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, meta.title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, meta.subject.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "hallvote");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, meta.date_iso.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, meta.date_iso.c_str());
    cairo_t* cr = cairo_create(surface);

    PangoContext* context = pango_font_map_create_context(static_cast<PangoFontMap*>(fonts.font_map()));
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(context, options);
    cairo_font_options_destroy(options);
    pango_cairo_context_set_resolution(context, 72.0);
    pango_context_set_language(context, pango_language_from_string("zh-cn"));
    pango_context_set_base_dir(context, PANGO_DIRECTION_LTR);
    pango_context_set_round_glyph_positions(context, FALSE);
    pango_cairo_update_context(cr, context);

    Impl impl;
    impl.cr = cr;
    impl.context = context;
    impl.meta = &meta;
    impl.total_pages = pages;
    Document document(impl);
    body(document);
    impl.footer();
    cairo_show_page(cr);
    pages = impl.page;

    const cairo_status_t drawn = cairo_status(cr);
    cairo_destroy(cr);
    g_object_unref(context);
    cairo_surface_finish(surface);
    const cairo_status_t finished = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (drawn != CAIRO_STATUS_SUCCESS || finished != CAIRO_STATUS_SUCCESS) {
      return fail(
          RecordsErrc::render_failed,
          std::string(name) + ": " + cairo_status_to_string(drawn != CAIRO_STATUS_SUCCESS ? drawn : finished));
    }
  }
  return out;
}

double Document::text_width() const { return impl_.width(); }

void Document::space(double points) { impl_.y = std::min(impl_.y + points, impl_.bottom()); }

void Document::keep(double points) {
  if (impl_.y + points > impl_.bottom() && impl_.y > kMarginTop + 0.5) impl_.next_page();
}

void Document::new_page() { impl_.next_page(); }

void Document::paragraph(std::string_view text, const Style& style) {
  if (style.space_before > 0 && impl_.y > kMarginTop + 0.5) space(style.space_before);
  LayoutPtr l = impl_.layout(text, style.face, style.size, impl_.width(), style.align, style.first_indent,
                             style.line_spacing);
  cairo_set_source_rgb(impl_.cr, style.gray, style.gray, style.gray);
  impl_.flow(l.get(), kMarginLeft);
  cairo_set_source_rgb(impl_.cr, 0, 0, 0);
  space(style.space_after);
}

void Document::table(const Table& table) {
  Impl& d = impl_;
  double total_share = 0;
  for (const Column& c : table.columns) total_share += c.share;
  std::vector<double> widths;
  for (const Column& c : table.columns) widths.push_back(d.width() * c.share / total_share);

  auto measure = [&](const std::vector<std::string>& cells, bool header, std::vector<LayoutPtr>& layouts) {
    double h = 0;
    layouts.clear();
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const std::string& text = i < cells.size() ? cells[i] : std::string();
      layouts.push_back(d.layout(text, header ? Face::sans_bold : Face::sans, table.size,
                                 widths[i] - 2 * kCellPadding,
                                 header ? Align::center : table.columns[i].align));
      h = std::max(h, Impl::height(layouts.back().get()));
    }
    return h + 2 * kCellPadding;
  };
  auto draw_row = [&](std::vector<LayoutPtr>& layouts, double h, bool header) {
    double x = kMarginLeft;
    cairo_set_line_width(d.cr, kRule);
    for (std::size_t i = 0; i < layouts.size(); ++i) {
      cairo_rectangle(d.cr, x, d.y, widths[i], h);
      if (header) {
        cairo_set_source_rgb(d.cr, 0.9, 0.9, 0.9);
        cairo_fill_preserve(d.cr);
      }
      cairo_set_source_rgb(d.cr, 0, 0, 0);
      cairo_stroke(d.cr);
      const double text_h = Impl::height(layouts[i].get());
      cairo_move_to(d.cr, x + kCellPadding, d.y + (h - text_h) / 2);
      pango_cairo_show_layout(d.cr, layouts[i].get());
      x += widths[i];
    }
    d.y += h;
  };

  std::vector<std::string> header_cells;
  for (const Column& c : table.columns) header_cells.push_back(c.header);
  std::vector<LayoutPtr> header;
  const double header_h = measure(header_cells, true, header);
  std::vector<LayoutPtr> first;
  const double first_h = table.rows.empty() ? 0 : measure(table.rows.front(), false, first);
  if (d.y + header_h + first_h > d.bottom() && d.y > kMarginTop + 0.5) d.next_page();
  draw_row(header, header_h, true);
  std::vector<LayoutPtr> cells;
  for (const auto& row : table.rows) {
    const double h = measure(row, false, cells);
    if (d.y + h > d.bottom()) {
      d.next_page();
      draw_row(header, header_h, true);
    }
    draw_row(cells, h, false);
  }
}

void Document::qr(std::string_view payload, double module, const std::vector<std::string>& caption,
                  const Style& style) {
  Impl& d = impl_;
  const std::string text(payload);
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == nullptr) {
    // libqrencode fails only for payloads beyond a version-40 code or out of memory; the caption still binds
    // the page to the log.
    for (const std::string& line : caption) paragraph(line, style);
    return;
  }
  const int width = code->width;
  const double quiet = 4 * module;
  const double side = width * module + 2 * quiet;
  const double caption_x = kMarginLeft + side + 12;
  const double caption_w = d.width() - side - 12;
  std::vector<LayoutPtr> lines;
  double caption_h = 0;
  for (const std::string& line : caption) {
    lines.push_back(d.layout(line, style.face, style.size, caption_w, Align::left));
    caption_h += Impl::height(lines.back().get()) + 2;
  }
  keep(std::max(side, caption_h));
  const double x0 = kMarginLeft + quiet;
  const double y0 = d.y + quiet;
  cairo_set_source_rgb(d.cr, 0, 0, 0);
  for (int row = 0; row < width; ++row) {
    int col = 0;
    while (col < width) {
      if ((code->data[row * width + col] & 1) == 0) {
        ++col;
        continue;
      }
      int run = col;
      while (run < width && (code->data[row * width + run] & 1) != 0) ++run;
      cairo_rectangle(d.cr, x0 + col * module, y0 + row * module, (run - col) * module, module);
      col = run;
    }
  }
  cairo_fill(d.cr);
  QRcode_free(code);
  double cy = d.y + quiet;
  cairo_set_source_rgb(d.cr, style.gray, style.gray, style.gray);
  for (auto& l : lines) {
    cairo_move_to(d.cr, caption_x, cy);
    pango_cairo_show_layout(d.cr, l.get());
    cy += Impl::height(l.get()) + 2;
  }
  cairo_set_source_rgb(d.cr, 0, 0, 0);
  d.y += std::max(side, caption_h + quiet);
}

}  // namespace hallvote::records::internal
