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

// A4 in points, and the type area of GB/T 9704-2012 §5.2.1: 156 × 225 mm, 37 mm from the top (天头) and 28 mm
// from the left (订口).
constexpr double kMm = 72.0 / 25.4;
constexpr double kPageWidth = 595.2756;   // 210 mm
constexpr double kPageHeight = 841.8898;  // 297 mm
constexpr double kMarginLeft = 28 * kMm;
constexpr double kMarginTop = 37 * kMm;
constexpr double kTextWidth = 156 * kMm;
constexpr double kTextBottom = kMarginTop + 225 * kMm;
constexpr double kCellPadding = 4.0;
constexpr double kRule = 0.6;
constexpr double kQrModule = 1.0;  // points per QR module (0.35 mm)

// The Fandol faces of Debian texlive-lang-chinese, at their fixed paths (not in the system fontconfig).
constexpr const char* kFandolDir = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/";

// keep() spans: the text between these two control characters may not break (they are removed before layout).
constexpr char kKeepOpen = '\x02';
constexpr char kKeepClose = '\x03';

const FcChar8* fc_text(const char* text) { return reinterpret_cast<const FcChar8*>(text); }

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

constexpr const char* kFang = "FandolFang";
constexpr const char* kSong = "FandolSong";
constexpr const char* kKai = "FandolKai";
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

// One code point of UTF-8 text and where its bytes start.
struct CodePoint {
  char32_t value;
  std::size_t at;
};

std::vector<CodePoint> code_points(std::string_view text) {
  std::vector<CodePoint> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t v = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < n && i + k < text.size(); ++k)
      v = (v << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    out.push_back({v, i});
    i += n;
  }
  return out;
}

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_number_part(char32_t c) {
  return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == ':' || c == '%' ||
         c == '-' || c == '/';
}
// Units and signs that stay with the number before them.
bool is_unit(char32_t c) {
  static constexpr std::u32string_view kUnits = U"票名张项个年月日号轮次人届元岁时分页%％";
  return kUnits.find(c) != std::u32string_view::npos;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> unbreakable_ranges(std::string_view text) {
  const std::vector<CodePoint> cps = code_points(text);
  std::vector<std::pair<std::size_t, std::size_t>> out;
  auto end_of = [&](std::size_t i) { return i < cps.size() ? cps[i].at : text.size(); };
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (!is_digit(cps[i].value)) continue;
    std::size_t start = i;
    if (i > 0 && cps[i - 1].value == U'第') start = i - 1;
    std::size_t j = i;
    while (j < cps.size()) {
      const char32_t c = cps[j].value;
      if (is_number_part(c)) {
        ++j;
      } else if ((c == U'年' || c == U'月') && j + 1 < cps.size() && is_digit(cps[j + 1].value)) {
        ++j;
      } else {
        break;
      }
    }
    if (j < cps.size() && is_unit(cps[j].value)) ++j;
    out.emplace_back(cps[start].at, end_of(j));
    i = j == i ? i : j - 1;
  }
  // The tail of each line: its last three code points.
  std::size_t line_end = cps.size();
  for (std::size_t k = cps.size() + 1; k-- > 0;) {
    if (k == 0 || cps[k - 1].value == U'\n') {
      const std::size_t line_start = k;
      if (line_end > line_start + 1) {
        const std::size_t from = line_end >= line_start + 3 ? line_end - 3 : line_start;
        out.emplace_back(cps[from].at, end_of(line_end));
      }
      if (k > 0) line_end = k - 1;
    }
  }
  return out;
}

std::string keep(std::string_view text) { return kKeepOpen + std::string(text) + kKeepClose; }

Result<std::unique_ptr<FontSet>> FontSet::load(const FontFiles& files) {
  std::vector<std::string> paths;
  // `fandol`: the file name under kFandolDir for the Fandol faces; nullptr for the Noto faces found by family.
  auto add = [&paths](const std::filesystem::path& given, const char* fandol, const char* family,
                      int weight) -> Status {
    std::string path;
    if (!given.empty()) {
      path = given.string();
    } else if (fandol != nullptr) {
      path = std::string(kFandolDir) + fandol;
    } else {
      auto found = find_font(family, weight);
      if (!found) return forward(found.error());
      path = *found;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return fail(RecordsErrc::font_unavailable,
                  path + ": not a readable font file" +
                      (fandol != nullptr ? " (Debian package texlive-lang-chinese)"
                                         : " (Debian package fonts-noto-cjk)"));
    }
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
    return {};
  };
  for (auto ok : {add(files.fangsong, "FandolFang-Regular.otf", kFang, FC_WEIGHT_REGULAR),
                  add(files.title, "FandolSong-Bold.otf", kSong, FC_WEIGHT_BOLD),
                  add(files.kaiti, "FandolKai-Regular.otf", kKai, FC_WEIGHT_REGULAR),
                  add(files.sans_regular, nullptr, kSans, FC_WEIGHT_REGULAR),
                  add(files.sans_bold, nullptr, kSans, FC_WEIGHT_BOLD)}) {
    if (!ok) return forward(ok.error());
  }
  FcConfig* config = FcConfigCreate();
  if (config == nullptr) return fail(RecordsErrc::font_unavailable, "fontconfig: out of memory");
  for (const std::string& path : paths) {
    if (FcConfigAppFontAddFile(config, fc_text(path.c_str())) == FcFalse) {
      FcConfigDestroy(config);
      return fail(RecordsErrc::font_unavailable, path + ": fontconfig cannot read the file");
    }
  }
  for (const char* family : {kFang, kSong, kKai, kSans, kMono}) {
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
  int page = 1;
  int total_pages = 0;  // 0 in the counting pass
  double y = kMarginTop;

  [[nodiscard]] static double bottom() { return kTextBottom; }
  [[nodiscard]] static double width() { return kTextWidth; }
  [[nodiscard]] bool at_top() const { return y <= kMarginTop + 0.5; }

  static PangoFontDescription* font(Face face, double size) {
    PangoFontDescription* d = pango_font_description_new();
    const char* family = face == Face::fang    ? kFang
                         : face == Face::title ? kSong
                         : face == Face::kai   ? kKai
                         : face == Face::mono  ? kMono
                                               : kSans;
    pango_font_description_set_family(d, family);
    pango_font_description_set_weight(
        d, (face == Face::title || face == Face::hei_bold) ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(d, PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
    return d;
  }

  // A layout of `text` (keep() markers removed, unbreakable ranges applied). width < 0: no wrapping.
  LayoutPtr layout(std::string_view marked, Face face, double size, double width, Align align,
                   double indent = 0, double letter_spacing = 0) const {
    std::string text;
    std::vector<std::pair<std::size_t, std::size_t>> kept;
    std::size_t open = 0;
    for (char c : marked) {
      if (c == kKeepOpen) {
        open = text.size();
      } else if (c == kKeepClose) {
        kept.emplace_back(open, text.size());
      } else {
        text += c;
      }
    }
    for (const auto& range : unbreakable_ranges(text)) kept.push_back(range);
    LayoutPtr l(pango_layout_new(context));
    PangoFontDescription* d = font(face, size);
    pango_layout_set_font_description(l.get(), d);
    pango_font_description_free(d);
    pango_layout_set_width(l.get(), width < 0 ? -1 : to_pango(width));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), align == Align::left     ? PANGO_ALIGN_LEFT
                                        : align == Align::center ? PANGO_ALIGN_CENTER
                                                                 : PANGO_ALIGN_RIGHT);
    pango_layout_set_indent(l.get(), to_pango(indent));
    pango_layout_set_text(l.get(), text.data(), static_cast<int>(text.size()));
    PangoAttrList* attrs = pango_attr_list_new();
    for (const auto& [from, to] : kept) {
      PangoAttribute* a = pango_attr_allow_breaks_new(FALSE);
      a->start_index = static_cast<guint>(from);
      a->end_index = static_cast<guint>(to);
      pango_attr_list_insert(attrs, a);
    }
    if (letter_spacing != 0)
      pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(to_pango(letter_spacing)));
    pango_layout_set_attributes(l.get(), attrs);
    pango_attr_list_unref(attrs);
    return l;
  }

  static double height(PangoLayout* l) {
    PangoRectangle logical{};
    pango_layout_get_extents(l, nullptr, &logical);
    return from_pango(logical.y + logical.height);
  }
  static double natural_width(PangoLayout* l) {
    PangoRectangle logical{};
    pango_layout_get_extents(l, nullptr, &logical);
    return from_pango(logical.width);
  }

  // "第 N 页  共 M 页", right-aligned 7 mm under the type area (GB/T 9704-2012 §7.5: single-sided pages).
  void footer() {
    const std::string number =
        "第 " + std::to_string(page) + " 页" +
        (total_pages > 0 ? "  共 " + std::to_string(total_pages) + " 页" : std::string());
    cairo_set_source_rgb(cr, 0, 0, 0);
    LayoutPtr l = layout(number, Face::fang, 12, width(), Align::right);
    cairo_move_to(cr, kMarginLeft, kTextBottom + 7 * kMm);
    pango_cairo_show_layout(cr, l.get());
  }

  void next_page() {
    footer();
    cairo_show_page(cr);
    ++page;
    y = kMarginTop;
  }

  // Draws the lines of `l` at x from the current y on a fixed `pitch` (baseline to baseline), breaking the
  // page between lines as needed, and before line `break_before` (0-based; -1: none) in any case.
  void flow(PangoLayout* l, double x, double pitch, int break_before = -1) {
    PangoLayoutIter* it = pango_layout_get_iter(l);
    int index = 0;
    do {
      if (index++ == break_before && !at_top()) next_page();
      PangoRectangle logical{};
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double ascent = from_pango(pango_layout_iter_get_baseline(it) - logical.y);
      const double descent =
          from_pango(logical.y + logical.height) - from_pango(pango_layout_iter_get_baseline(it));
      if (y + pitch > bottom() + 0.01 && !at_top()) next_page();
      const double baseline = y + (pitch - ascent - descent) / 2 + ascent;
      cairo_move_to(cr, x + from_pango(logical.x), baseline);
      pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
      y += pitch;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }

  void verification(const Verification& v) {
    QRcode* code = QRcode_encodeString(v.payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    const double quiet = 4 * kQrModule;
    const double top = kTextBottom + 4 * kMm;
    double side = 0;
    if (code != nullptr) {
      const int n = code->width;
      side = n * kQrModule + quiet;
      cairo_set_source_rgb(cr, 0, 0, 0);
      for (int row = 0; row < n; ++row) {
        int col = 0;
        while (col < n) {
          if ((code->data[row * n + col] & 1) == 0) {
            ++col;
            continue;
          }
          int run = col;
          while (run < n && (code->data[row * n + run] & 1) != 0) ++run;
          cairo_rectangle(cr, kMarginLeft + col * kQrModule, top + quiet + row * kQrModule,
                          (run - col) * kQrModule, kQrModule);
          col = run;
        }
      }
      cairo_fill(cr);
      QRcode_free(code);
    }
    // libqrencode fails only for payloads beyond a version-40 code or out of memory; the caption still binds
    // the page to the log.
    double cy = top + quiet;
    const double cx = kMarginLeft + (side > 0 ? side : 0);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    for (const std::string& line : v.caption) {
      LayoutPtr l = layout(line, Face::mono, 6.5, -1, Align::left);
      cairo_move_to(cr, cx, cy);
      pango_cairo_show_layout(cr, l.get());
      cy += height(l.get()) + 0.5;
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
  }
};

Result<std::string> Document::render(const FontSet& fonts, const PdfMeta& meta, std::string_view name,
                                     const Verification& verification,
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
    impl.total_pages = pages;
    Document document(impl);
    body(document);
    impl.verification(verification);
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

void Document::space(double points) { impl_.y = std::min(impl_.y + points, Impl::bottom()); }

void Document::need(double points) {
  if (impl_.y + points > Impl::bottom() && !impl_.at_top()) impl_.next_page();
}

void Document::new_page() { impl_.next_page(); }

void Document::paragraph(std::string_view text, const Style& style) {
  if (style.space_before > 0 && !impl_.at_top()) space(style.space_before);
  const double pitch = style.pitch > 0 ? style.pitch : 1.25 * style.size;
  LayoutPtr l = impl_.layout(text, style.face, style.size, Impl::width(), style.align, style.first_indent,
                             style.letter_spacing);
  if (style.first_indent > 0 && style.align == Align::left) pango_layout_set_justify(l.get(), TRUE);
  const int line_count = pango_layout_get_line_count(l.get());
  if (style.balance && line_count > 1) {
    // Bisect for the narrowest measure (to 0.5 pt) with as many lines; centred lines keep the page's centre.
    double fits = Impl::width();
    double too_narrow = Impl::natural_width(l.get()) / line_count;
    while (fits - too_narrow > 0.5) {
      const double mid = (fits + too_narrow) / 2;
      pango_layout_set_width(l.get(), to_pango(mid));
      (pango_layout_get_line_count(l.get()) == line_count ? fits : too_narrow) = mid;
    }
    pango_layout_set_width(l.get(), to_pango(fits));
  }
  const double lines = line_count;
  int break_before = -1;
  if (style.keep_after > 0 || lines <= 2) {
    // A short paragraph, or a heading with what must follow it, is not split across pages.
    need(lines * pitch + style.keep_after);
  } else if (!impl_.at_top()) {
    // A longer one splits with at least two lines on each page (no single line left at the foot of a page or
    // carried over to the next).
    const int fit = static_cast<int>(std::floor((Impl::bottom() + 0.01 - impl_.y) / pitch));
    if (fit < line_count) {
      const int here = line_count - fit < 2 ? line_count - 2 : fit;  // the lines drawn on this page
      if (here < 2) {
        impl_.next_page();
      } else if (here < fit) {
        break_before = here;
      }
    }
  }
  cairo_set_source_rgb(impl_.cr, style.gray, style.gray, style.gray);
  // A balanced layout narrower than the type area is centred in it.
  const double measure = from_pango(pango_layout_get_width(l.get()));
  impl_.flow(l.get(), kMarginLeft + (Impl::width() - measure) / 2, pitch, break_before);
  cairo_set_source_rgb(impl_.cr, 0, 0, 0);
  space(style.space_after);
}

void Document::table(const Table& table) {
  Impl& d = impl_;
  const std::size_t n = table.columns.size();
  // Column widths from the content (docs/records.md §4.1). The type size is the table's, or 1.5 pt smaller
  // steps down to 9 pt until every column fits at its natural (unwrapped) width — a wrapping column counts at
  // most 45 % of the text width, and of two or more wrapping columns the last (a 说明) may wrap.
  std::vector<double> natural(n, 0), minimum(n, 0);
  double size = table.size;
  for (;; size -= 1.5) {
    auto measure_natural = [&](std::string_view text, Face face) {
      LayoutPtr l = d.layout(text, face, size, -1, Align::left);
      return Impl::natural_width(l.get()) + 2 * kCellPadding;
    };
    double total = 0;
    std::size_t last_wrap = n;
    for (std::size_t i = 0; i < n; ++i) {
      minimum[i] = measure_natural(table.columns[i].header, Face::hei_bold);
      natural[i] = minimum[i];
      for (const auto& row : table.rows)
        natural[i] = std::max(natural[i], measure_natural(row.at(i), Face::fang));
      if (table.columns[i].wrap) {
        minimum[i] = std::max(minimum[i], 5 * size + 2 * kCellPadding);
        last_wrap = i;
      } else {
        minimum[i] = natural[i];
      }
    }
    std::size_t wrapping = 0;
    for (const Column& c : table.columns) wrapping += c.wrap ? 1 : 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!table.columns[i].wrap) {
        total += natural[i];
      } else {
        total += i == last_wrap && wrapping > 1 ? minimum[i] : std::min(natural[i], 0.45 * Impl::width());
      }
    }
    if (total <= Impl::width() || size - 1.5 < 9) break;
  }
  // Non-wrapping columns take their natural width; the wrapping ones share the rest max-min fairly (a column
  // narrower than an equal share keeps its natural width, the others split what remains equally).
  std::vector<double> widths(n, 0);
  double room = Impl::width();
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < n; ++i) {
    if (table.columns[i].wrap) {
      open.push_back(i);
    } else {
      widths[i] = natural[i];
      room -= natural[i];
    }
  }
  for (bool settled = false; !settled && !open.empty();) {
    settled = true;
    const double share = room / static_cast<double>(open.size());
    for (auto it = open.begin(); it != open.end(); ++it) {
      if (natural[*it] <= share) {
        widths[*it] = natural[*it];
        room -= natural[*it];
        open.erase(it);
        settled = false;
        break;
      }
    }
  }
  for (std::size_t i : open) widths[i] = std::max(minimum[i], room / static_cast<double>(open.size()));
  double used = 0;
  for (double w : widths) used += w;
  if (used < Impl::width()) {
    for (double& w : widths) w += (Impl::width() - used) / static_cast<double>(n);
  } else if (used > Impl::width()) {
    for (double& w : widths) w *= Impl::width() / used;  // more content than the line holds: shrink evenly
  }

  auto measure = [&](const std::vector<std::string>& cells, bool header, std::vector<LayoutPtr>& layouts) {
    double h = 0;
    layouts.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& text = i < cells.size() ? cells[i] : std::string();
      layouts.push_back(d.layout(text, header ? Face::hei_bold : Face::fang, size, widths[i] - 2 * kCellPadding,
                                 header ? Align::center : table.columns[i].align));
      h = std::max(h, Impl::height(layouts.back().get()));
    }
    return std::max(h + 2 * kCellPadding, header ? 0.0 : table.min_row_height);
  };
  auto draw_row = [&](std::vector<LayoutPtr>& layouts, double h) {
    double x = kMarginLeft;
    cairo_set_line_width(d.cr, kRule);
    cairo_set_source_rgb(d.cr, 0, 0, 0);
    for (std::size_t i = 0; i < layouts.size(); ++i) {
      cairo_rectangle(d.cr, x, d.y, widths[i], h);
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
  double whole = header_h;
  if (table.keep_together) {
    std::vector<LayoutPtr> scratch;
    for (const auto& row : table.rows) whole += measure(row, false, scratch);
  }
  if (table.keep_together && whole <= Impl::bottom() - kMarginTop) {
    if (d.y + whole > Impl::bottom() && !d.at_top()) d.next_page();
  } else if (d.y + header_h + first_h > Impl::bottom() && !d.at_top()) {
    d.next_page();
  }
  draw_row(header, header_h);
  std::vector<LayoutPtr> cells;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const double h = measure(table.rows[r], false, cells);
    // A note spans the whole table under its row and stays on the row's page.
    const std::string& note = r < table.notes.size() ? table.notes[r] : std::string();
    LayoutPtr note_layout;
    double note_h = 0;
    if (!note.empty()) {
      note_layout = d.layout(note, Face::fang, size - 1, Impl::width() - 2 * kCellPadding, Align::left);
      note_h = Impl::height(note_layout.get()) + 2 * kCellPadding;
    }
    if (d.y + h + note_h > Impl::bottom()) {
      d.next_page();
      draw_row(header, header_h);
    }
    draw_row(cells, h);
    if (note_layout) {
      cairo_set_line_width(d.cr, kRule);
      cairo_rectangle(d.cr, kMarginLeft, d.y, Impl::width(), note_h);
      cairo_stroke(d.cr);
      cairo_move_to(d.cr, kMarginLeft + kCellPadding, d.y + kCellPadding);
      pango_cairo_show_layout(d.cr, note_layout.get());
      d.y += note_h;
    }
  }
}

}  // namespace hallvote::records::internal
