// The pre-scan of a session file before toml++ sees it (tomlpp_guard.h: check_toml_size, check_toml_text).
//
// Characters. toml++ 3.3 classifies the code point under its cursor as whitespace wherever it is not inside a
// string or a comment, and its generated is_non_ascii_horizontal_whitespace() reaches TOML_UNREACHABLE
// (undefined behaviour) for U+00A1–U+0499, U+2C5E–U+2FFF, U+3001–U+3057 and U+FB26–U+FEFE. TOML 1.0 allows
// non-ASCII characters only inside strings and comments, so this scanner lexes the file exactly as TOML does —
// strings (basic, literal, both multi-line forms, escapes, the `"""`/`'''` closing runs of up to five quotes),
// comments, and just enough structure (keys, values, arrays, inline tables, table headers) to know where a
// string may begin — and refuses every non-ASCII character anywhere else. Inside basic strings it refuses the
// two spots where toml++ applies the same test to string content: a backslash followed (after spaces or tabs)
// by a non-ASCII character (never a valid escape), and, after a line-ending backslash, a continuation that
// begins with a character that test mishandles (see kMishandledRanges).
//
// Depth. toml++ 3.3 builds and destroys the tables a dotted key or table header names by recursion, one stack
// frame or more per part, with no bound (its TOML_MAX_NESTED_VALUES bounds only arrays and inline tables): a
// key of 40,000 parts overflows the stack (SIGSEGV). The same lexer counts the parts of every key and the
// levels of nesting above every key and array or inline table (loader.h, kMaxTomlNesting) and stops at the
// first beyond a limit.
//
// Where the structure stops being TOML (a "deviation"), the scanner cannot tell what toml++ will take for a
// string from there on. If nothing after that point is non-ASCII and no line after it could hold a key or
// nesting beyond the limits (counting dots and brackets, whatever they are), toml++ reports the syntax error
// itself; otherwise the scanner reports the deviation as the syntax error and toml++ is not run.
#include "tomlpp_guard.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hallvote/session/loader.h"

namespace hallvote::session::detail {
namespace {

struct Range {
  std::uint32_t first;
  std::uint32_t last;
};

// Code points that toml++ 3.3's is_non_ascii_horizontal_whitespace() either takes for whitespace (and would
// drop from a continued multi-line string, which TOML does not allow) or reaches TOML_UNREACHABLE on.
constexpr std::array<Range, 8> kMishandledRanges{{
    {0x00A0, 0x0499},
    {0x1680, 0x1680},
    {0x180E, 0x180E},
    {0x2000, 0x200B},
    {0x202F, 0x202F},
    {0x205F, 0x2060},
    {0x2C5E, 0x3057},
    {0xFB26, 0xFEFF},
}};

bool mishandled_by_toml_library(std::uint32_t code_point) {
  for (const Range& r : kMishandledRanges) {
    if (code_point >= r.first && code_point <= r.last) return true;
  }
  return false;
}

bool is_non_ascii(char c) { return (static_cast<unsigned char>(c) & 0x80U) != 0; }

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// What the next token may be, outside strings and comments.
enum class Expect {
  expression,   // the start of a line at top level: a key, a table header, a comment or nothing
  key,          // a key (after `.`, after `[` or `[[` of a header, after `{` or `,` of an inline table)
  after_key,    // `.`, `=` or (in a header) `]`
  value,        // a value (after `=`, after `[` or `,` of an array)
  after_value,  // `,` `]` `}` (by nesting), a comment or the end of the line
  line_end,     // after a table header: a comment or the end of the line
};

class Scanner {
 public:
  Scanner(std::string_view text, const std::string& file, Diagnostics& diagnostics)
      : text_(text), file_(file), diagnostics_(diagnostics) {}

  bool run() {
    // toml++ skips a UTF-8 byte order mark at the very start.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = cursor_ = cursor_line_start_ = 3;
    while (pos_ < text_.size() && !deviation_ && !beyond_limit_) step();
    if (deviation_ && !beyond_limit_) report_deviation(*deviation_);
    return diagnostics_.size() == reported_before_;
  }

 private:
  // --- positions and diagnostics ---

  // Line of `offset`; offsets are asked for in increasing order.
  std::size_t line_of(std::size_t offset) {
    for (; cursor_ < offset && cursor_ < text_.size(); ++cursor_) {
      if (text_[cursor_] == '\n') {
        ++cursor_line_;
        cursor_line_start_ = cursor_ + 1;
      }
    }
    return cursor_line_;
  }

  // 1-based column (in characters) of `offset`, on the line line_of() last reached. Linear in the line's
  // length: asked for once per reported line.
  std::size_t column_of(std::size_t offset) const {
    std::size_t column = 1;
    for (std::size_t i = cursor_line_start_; i < offset && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0U) != 0x80U) ++column;
    }
    return column;
  }

  std::pair<std::size_t, std::size_t> locate(std::size_t offset) {
    const std::size_t line = line_of(offset);
    return {line, column_of(offset)};
  }

  std::uint32_t code_point_at(std::size_t offset, std::size_t& length) const {
    const auto byte = static_cast<unsigned char>(text_[offset]);
    length = byte < 0x80U ? 1 : (byte & 0xE0U) == 0xC0U ? 2 : (byte & 0xF0U) == 0xE0U ? 3 : 4;
    if (offset + length > text_.size()) length = text_.size() - offset;  // cannot happen after the UTF-8 check
    std::uint32_t cp = length == 1   ? byte
                       : length == 2 ? (byte & 0x1FU)
                       : length == 3 ? (byte & 0x0FU)
                                     : (byte & 0x07U);
    for (std::size_t k = 1; k < length; ++k)
      cp = (cp << 6U) | (static_cast<unsigned char>(text_[offset + k]) & 0x3FU);
    return cp;
  }

  // "U+3000", and for a CJK ideograph, CJK punctuation or a full-width form the character itself: other
  // non-ASCII characters may be invisible or reorder the terminal line.
  std::string describe(std::size_t offset) const {
    std::size_t length = 0;
    const std::uint32_t cp = code_point_at(offset, length);
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string hex;
    for (std::uint32_t v = cp; v != 0 || hex.size() < 4; v >>= 4U) hex.insert(hex.begin(), kHex[v & 0xFU]);
    std::string out = "U+" + hex;
    const bool visible = (cp >= 0x3001 && cp <= 0x303F) || (cp >= 0x3400 && cp <= 0x9FFF) ||
                         (cp >= 0xFF01 && cp <= 0xFF5E) || (cp >= 0x20000 && cp <= 0x3134F);
    if (visible) out += " “" + std::string(text_.substr(offset, length)) + "”";
    return out;
  }

  // "<what>（第N列，U+XXXX）<advice> / <what> (column N, U+XXXX)<advice>", at most one per line.
  void report(std::size_t offset, std::string_view zh, std::string_view en, std::string_view zh_advice = {},
              std::string_view en_advice = {}) {
    const std::size_t line = line_of(offset);
    if (line == last_reported_line_) return;  // one problem per line is enough to find it
    last_reported_line_ = line;
    const std::string col = std::to_string(column_of(offset));
    const std::string what = describe(offset);
    diagnostics_.push_back({SessionErrc::toml_syntax,
                            file_,
                            line,
                            {},
                            std::string(zh) + "（第" + col + "列，" + what + "）" + std::string(zh_advice),
                            std::string(en) + " (column " + col + ", " + what + ")" + std::string(en_advice)});
  }

  void report_outside(std::size_t offset) {
    report(offset, "非ASCII字符只能出现在字符串或注释中", "a non-ASCII character outside a string or comment");
  }

  // A key part or a level of nesting beyond a limit of loader.h at `offset`: reported, and the scan stops (the
  // file is refused; what follows may be as deep).
  void report_limit(std::size_t offset, const std::string& zh, const std::string& en) {
    const auto [line, column] = locate(offset);
    const std::string col = std::to_string(column);
    diagnostics_.push_back(
        {SessionErrc::input_limit, file_, line, {}, zh + "（第" + col + "列）", en + " (column " + col + ")"});
    beyond_limit_ = true;
  }

  // Whether the text from `offset` on might hold a key or nesting beyond the limits, by counting what could be
  // structure whatever it is: the dots on each line, and brackets and braces opened and not yet closed.
  bool might_nest_too_deeply(std::size_t offset) const {
    std::size_t dots = 0;
    std::size_t open = 0;
    for (std::size_t i = offset; i < text_.size(); ++i) {
      const char c = text_[i];
      if (c == '\n') {
        dots = 0;
      } else if (c == '.' && ++dots >= kMaxTomlKeyParts) {
        return true;
      } else if ((c == '[' || c == '{') && ++open > kMaxTomlNesting) {
        return true;
      } else if ((c == ']' || c == '}') && open > 0) {
        --open;
      }
    }
    return false;
  }

  void report_deviation(std::size_t offset) {
    if (diagnostics_.size() != reported_before_) return;  // already refused; the scan is out of step anyway
    bool non_ascii_follows = false;
    for (std::size_t i = offset; i < text_.size() && !non_ascii_follows; ++i)
      non_ascii_follows = is_non_ascii(text_[i]);
    // Otherwise toml++ sees only ASCII, within the limits, from here on and reports the error itself.
    if (!non_ascii_follows && !might_nest_too_deeply(offset)) return;
    const auto [line, column] = locate(offset);
    std::string zh_what;
    std::string en_what;
    if (offset >= text_.size()) {
      zh_what = "文件在此意外结束";
      en_what = "unexpected end of file";
    } else if (text_[offset] == '\n' || text_[offset] == '\r') {
      zh_what = "此处不应换行";
      en_what = "unexpected line break";
    } else if (static_cast<unsigned char>(text_[offset]) < 0x20U || text_[offset] == 0x7F) {
      zh_what = "此处不应出现控制字符";
      en_what = "unexpected control character";
    } else {
      zh_what = "此处不应出现“" + std::string(1, text_[offset]) + "”";
      en_what = "unexpected '" + std::string(1, text_[offset]) + "'";
    }
    const std::string col = std::to_string(column);
    diagnostics_.push_back({SessionErrc::toml_syntax,
                            file_,
                            line,
                            {},
                            "TOML语法错误：第" + col + "列" + zh_what,
                            "TOML syntax error: " + en_what + " at column " + col});
  }

  void deviate(std::size_t offset) { deviation_ = offset; }

  // --- the lexer ---

  char at(std::size_t offset) const { return offset < text_.size() ? text_[offset] : '\0'; }
  bool at_end(std::size_t offset) const { return offset >= text_.size(); }
  bool in_array() const { return !nesting_.empty() && nesting_.back() == '['; }
  bool in_inline_table() const { return !nesting_.empty() && nesting_.back() == '{'; }

  // Skips a line break (LF or CRLF) at pos_; a lone CR is not one.
  bool line_break() {
    if (at(pos_) == '\n') {
      ++pos_;
      return true;
    }
    if (at(pos_) == '\r' && at(pos_ + 1) == '\n') {
      pos_ += 2;
      return true;
    }
    return false;
  }

  void skip_comment() {
    while (!at_end(pos_) && at(pos_) != '\n') ++pos_;
  }

  void skip_non_ascii() {
    std::size_t length = 0;
    (void)code_point_at(pos_, length);
    pos_ += length;
  }

  // A non-ASCII character outside strings and comments: refused; the scan goes on as if it were part of a bare
  // key or value, to find the problems of the following lines too.
  void bare_run(bool key) {
    while (!at_end(pos_)) {
      const char c = at(pos_);
      if (is_non_ascii(c)) {
        report_outside(pos_);
        skip_non_ascii();
      } else if (key ? is_bare_key_char(c)
                     : !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ']' || c == '}' || c == ',' ||
                         c == '#')) {
        ++pos_;
      } else {
        break;
      }
    }
  }

  // A bare value (number, date-time, boolean, inf, nan) runs to the next value terminator, as toml++ scans it:
  // quotes, `=`, `[`, `{` and `.` inside it are part of it, not structure. A local date followed by one space
  // and a digit continues as a date-time (`1979-05-27 07:32:00`).
  void bare_value() {
    const std::size_t start = pos_;
    bare_run(false);
    const std::string_view run = text_.substr(start, pos_ - start);
    const bool date = run.size() == 10 && is_digit(run[0]) && is_digit(run[1]) && is_digit(run[2]) &&
                      is_digit(run[3]) && run[4] == '-' && is_digit(run[5]) && is_digit(run[6]) &&
                      run[7] == '-' && is_digit(run[8]) && is_digit(run[9]);
    if (date && at(pos_) == ' ' && is_digit(at(pos_ + 1))) {
      ++pos_;
      bare_run(false);
    }
  }

  // After a backslash in a basic string (pos_ at the backslash): reports a non-ASCII character after it or
  // after the spaces and tabs that follow it, and for a line-ending backslash in a multi-line string, a
  // continuation that begins with a character toml++ mishandles. Leaves pos_ after what the escape covers.
  void escape(bool multi_line) {
    const std::size_t next = pos_ + 1;
    if (at_end(next)) {
      pos_ = next;
      return;
    }
    if (is_non_ascii(at(next))) {
      report(next, "反斜杠后不能是非ASCII字符（不是有效的转义）",
             "a backslash before a non-ASCII character (not a valid escape)");
      pos_ = next;
      skip_non_ascii();
      return;
    }
    std::size_t after_blanks = next;
    while (at(after_blanks) == ' ' || at(after_blanks) == '\t') ++after_blanks;
    if (is_non_ascii(at(after_blanks))) {
      report(after_blanks, "反斜杠后不能是非ASCII字符（不是有效的转义）",
             "a backslash before a non-ASCII character (not a valid escape)");
      pos_ = after_blanks;
      skip_non_ascii();
      return;
    }
    pos_ = after_blanks;
    if (multi_line && line_break()) {
      // A line-ending backslash: toml++ tests each following character for whitespace until the first that is
      // not.
      for (;;) {
        if (at(pos_) == ' ' || at(pos_) == '\t') {
          ++pos_;
        } else if (!line_break()) {
          break;
        }
      }
      if (is_non_ascii(at(pos_))) {
        std::size_t length = 0;
        if (mishandled_by_toml_library(code_point_at(pos_, length))) {
          report(pos_, "多行字符串中行尾反斜杠之后的续行不能以此字符开头",
                 "in a multi-line string, the text after a line-ending backslash must not begin with this "
                 "character",
                 "：TOML解析库（toml++ 3.3）会处理错误；请去掉该反斜杠或改写",
                 ": the TOML library (toml++ 3.3) mishandles "
                 "it; drop the backslash or reword");
        }
      }
      return;
    }
    if (after_blanks != next) return;  // `\ ` followed by something other than a line break: toml++ refuses it
    if (at(next) == '\n' || at(next) == '\r') return;  // single-line string: the caller sees the line break
    pos_ = next + 1;                                   // an ASCII escape such as \" \\ \n \u
  }

  // A string starting at pos_ (a quote). Returns false if the file ends or a single-line string meets a line
  // break first (a deviation has been recorded).
  bool string() {
    const char quote = at(pos_);
    const bool basic = quote == '"';
    const bool multi_line = at(pos_ + 1) == quote && at(pos_ + 2) == quote;
    pos_ += multi_line ? 3 : 1;
    while (!at_end(pos_)) {
      const char c = at(pos_);
      if (c == quote) {
        if (!multi_line) {
          ++pos_;
          return true;
        }
        std::size_t run = 0;
        while (at(pos_ + run) == quote) ++run;
        if (run >= 3) {
          pos_ += run > 5 ? 5 : run;  // up to two quotes before the closing three belong to the string
          return true;
        }
        pos_ += run;
      } else if (c == '\\' && basic) {
        escape(multi_line);
      } else if (c == '\n' || c == '\r') {
        if (!multi_line) {
          deviate(pos_);
          return false;
        }
        ++pos_;
      } else if (is_non_ascii(c)) {
        skip_non_ascii();
      } else {
        ++pos_;
      }
    }
    deviate(pos_);
    return false;
  }

  // --- depth (loader.h: kMaxTomlKeyParts, kMaxTomlNesting) ---

  // A key begins whose first part sits `depth` levels deep.
  void begin_key(std::size_t depth) {
    key_depth_ = depth;
    key_parts_ = 0;
  }

  // Counts the key part beginning at `offset`; false (reported) if it is beyond a limit.
  bool count_key_part(std::size_t offset) {
    ++key_parts_;
    if (key_parts_ > kMaxTomlKeyParts) {
      const std::string limit = std::to_string(kMaxTomlKeyParts);
      report_limit(offset, "点分键超过上限 " + limit + " 段", "a dotted key of more than " + limit + " parts");
      return false;
    }
    if (key_depth_ + key_parts_ > kMaxTomlNesting) {
      report_nesting(offset);
      return false;
    }
    return true;
  }

  void report_nesting(std::size_t offset) {
    const std::string limit = std::to_string(kMaxTomlNesting);
    report_limit(offset, "嵌套超过上限 " + limit + " 层（表、数组、内联表）",
                 "nested more than " + limit + " levels deep (tables, arrays, inline tables)");
  }

  // An array or inline table (`opener`) begins at pos_ as a value; false (reported) if too deep.
  bool open_nested(char opener) {
    const std::size_t depth = in_array() ? depths_.back() + 1 : key_depth_ + key_parts_;
    if (depth > kMaxTomlNesting) {
      report_nesting(pos_);
      return false;
    }
    nesting_.push_back(opener);
    depths_.push_back(depth);
    return true;
  }

  void close_nested() {
    nesting_.pop_back();
    depths_.pop_back();
  }

  // A key: a quoted string (single-line only) or a bare key.
  void key() {
    if (!count_key_part(pos_)) return;
    const char c = at(pos_);
    if (c == '"' || c == '\'') {
      const std::size_t start = pos_;
      const bool multi_line = at(pos_ + 1) == c && at(pos_ + 2) == c;
      if (!string()) return;
      if (multi_line) return deviate(start);
    } else {
      bare_run(true);
    }
    expect_ = Expect::after_key;
  }

  void step() {
    const char c = at(pos_);
    if (c == ' ' || c == '\t') {
      ++pos_;
      return;
    }
    switch (expect_) {
      case Expect::expression:
        if (line_break()) return;
        if (c == '#') return skip_comment();
        if (c == '[') {
          ++pos_;
          header_ = true;
          double_header_ = at(pos_) == '[';
          if (double_header_) ++pos_;
          begin_key(0);
          expect_ = Expect::key;
          return;
        }
        if (c == '"' || c == '\'' || is_bare_key_char(c) || is_non_ascii(c)) {
          begin_key(table_depth_);
          return key();
        }
        return deviate(pos_);

      case Expect::key:
        if (c == '}' && may_close_ && in_inline_table()) {
          ++pos_;
          close_nested();
          expect_ = Expect::after_value;
          return;
        }
        may_close_ = false;
        if (c == '"' || c == '\'' || is_bare_key_char(c) || is_non_ascii(c)) return key();
        return deviate(pos_);

      case Expect::after_key:
        if (c == '.') {
          ++pos_;
          expect_ = Expect::key;
          return;
        }
        if (c == '=' && !header_) {
          ++pos_;
          expect_ = Expect::value;
          return;
        }
        if (c == ']' && header_) {
          if (double_header_ && at(pos_ + 1) != ']') return deviate(pos_ + 1);
          pos_ += double_header_ ? 2 : 1;
          table_depth_ = key_parts_ + (double_header_ ? 1 : 0);  // an array of tables is one level more
          header_ = false;
          expect_ = Expect::line_end;
          return;
        }
        if (is_non_ascii(c)) {
          report_outside(pos_);
          return skip_non_ascii();
        }
        return deviate(pos_);

      case Expect::value:
        if (in_array()) {  // arrays may span lines, with comments
          if (c == '#') return skip_comment();
          if (line_break()) return;
        }
        if (c == ']' && may_close_ && in_array()) {
          ++pos_;
          close_nested();
          may_close_ = false;
          expect_ = Expect::after_value;
          return;
        }
        may_close_ = false;
        if (c == '"' || c == '\'') {
          if (string()) expect_ = Expect::after_value;
          return;
        }
        if (c == '[' || c == '{') {
          if (!open_nested(c)) return;
          ++pos_;
          may_close_ = true;
          if (c == '{') begin_key(depths_.back());
          expect_ = c == '[' ? Expect::value : Expect::key;
          return;
        }
        if (is_bare_key_char(c) || c == '+' || c == '.' || is_non_ascii(c)) {
          bare_value();
          expect_ = Expect::after_value;
          return;
        }
        return deviate(pos_);

      case Expect::after_value:
        if (nesting_.empty() || in_array()) {
          if (c == '#') return skip_comment();
          if (line_break()) {
            if (nesting_.empty()) expect_ = Expect::expression;
            return;
          }
        }
        if (c == ',' && !nesting_.empty()) {
          ++pos_;
          may_close_ = in_array();  // TOML 1.0: a trailing comma in an array, never in an inline table
          if (in_inline_table()) begin_key(depths_.back());
          expect_ = in_array() ? Expect::value : Expect::key;
          return;
        }
        if ((c == ']' && in_array()) || (c == '}' && in_inline_table())) {
          ++pos_;
          close_nested();
          return;
        }
        if (is_non_ascii(c)) {
          report_outside(pos_);
          return skip_non_ascii();
        }
        return deviate(pos_);

      case Expect::line_end:
        if (c == '#') return skip_comment();
        if (line_break()) {
          expect_ = Expect::expression;
          return;
        }
        if (is_non_ascii(c)) {
          report_outside(pos_);
          return skip_non_ascii();
        }
        return deviate(pos_);
    }
  }

  std::string_view text_;
  const std::string& file_;
  Diagnostics& diagnostics_;
  std::size_t reported_before_ = diagnostics_.size();

  std::size_t pos_ = 0;
  Expect expect_ = Expect::expression;
  std::vector<char> nesting_;        // '[' for an array, '{' for an inline table, innermost last
  std::vector<std::size_t> depths_;  // the level of each of nesting_ (a top-level key's value is at its parts)
  std::size_t table_depth_ = 0;      // the level of the table the last header opened (0: the root)
  std::size_t key_depth_ = 0;        // the level the current key's first part sits at
  std::size_t key_parts_ = 0;        // parts of the current key so far
  bool beyond_limit_ = false;        // a key or nesting beyond a limit was reported: the scan has stopped
  bool may_close_ = false;           // `]` or `}` may come next (just after `[`, `{`, or an array's `,`)
  bool header_ = false;
  bool double_header_ = false;
  std::optional<std::size_t> deviation_;

  std::size_t cursor_ = 0;
  std::size_t cursor_line_ = 1;
  std::size_t cursor_line_start_ = 0;
  std::size_t last_reported_line_ = 0;
};

}  // namespace

bool check_toml_size(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  if (text.size() > kMaxInputFileBytes) {
    const std::string limit = std::to_string(kMaxInputFileBytes);
    diagnostics.push_back({SessionErrc::input_limit,
                           file,
                           0,
                           {},
                           "文件大于上限 " + limit + " 字节",
                           "file larger than the limit of " + limit + " bytes"});
    return false;
  }
  std::size_t line = 1;
  for (std::size_t start = 0; start <= text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (end - start > kMaxTomlLineBytes) {
      const std::string limit = std::to_string(kMaxTomlLineBytes);
      diagnostics.push_back({SessionErrc::input_limit,
                             file,
                             line,
                             {},
                             "行长超过上限 " + limit + " 字节",
                             "line longer than the limit of " + limit + " bytes"});
      return false;
    }
    start = end + 1;
  }
  return true;
}

bool check_toml_text(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  return Scanner(text, file, diagnostics).run();
}

}  // namespace hallvote::session::detail
