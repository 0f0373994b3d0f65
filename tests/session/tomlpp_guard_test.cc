// The pre-scan of session files before toml++ (session/src/tomlpp_guard.cc): non-ASCII characters only inside
// strings and comments (TOML 1.0), each refusal located by line and column.
#include "tomlpp_guard.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "hallvote/session/loader.h"

namespace hallvote::session {
namespace {

Diagnostics scan(std::string_view text) {
  Diagnostics diagnostics;
  const bool ok = detail::check_toml_text(text, "s.toml", diagnostics);
  EXPECT_EQ(ok, diagnostics.empty());
  return diagnostics;
}

// Accepted by the pre-scan and, where it is TOML, parsed by toml++ to the expected string.
void expect_accepted(std::string_view text) {
  const Diagnostics diagnostics = scan(text);
  EXPECT_TRUE(diagnostics.empty()) << text << "\n" << join(diagnostics);
}

// Refused with a first diagnostic on `line` whose English text contains `what`.
void expect_refused(std::string_view text, std::size_t line,
                    std::string_view what = "outside a string or comment") {
  const Diagnostics diagnostics = scan(text);
  ASSERT_FALSE(diagnostics.empty()) << text;
  EXPECT_EQ(diagnostics[0].code, SessionErrc::toml_syntax);
  EXPECT_EQ(diagnostics[0].line, line) << join(diagnostics);
  EXPECT_EQ(diagnostics[0].file, "s.toml");
  EXPECT_NE(diagnostics[0].en.find(what), std::string::npos) << join(diagnostics);
}

LoadReport parse(std::string_view text) {
  const FileReader no_files = [](const std::string& path) -> Result<std::string> {
    return fail(std::errc::no_such_file_or_directory, path);
  };
  return parse_session(text, "s.toml", no_files);
}

TEST(TomlScan, AcceptsNonAsciiInStringsAndComments) {
  expect_accepted("title = \"学校操场改造\"\n");
  expect_accepted("title = '学校操场改造'\n");
  expect_accepted("# 会议定义 —— 第一次会议\ntitle = \"x\" # 备注：《决定》、“草案”\n");
  expect_accepted("\xEF\xBB\xBF# 带BOM的文件\nid = \"x\"\n");
  expect_accepted("summary = \"\"\"\n第一行\n  第二行 # 不是注释\n\"\"\"\n");
  expect_accepted("summary = '''\n第一行 \"\"\" 仍在字符串中\n名称 = 1\n'''\n");
  expect_accepted("a = \"\"\"内容\"\"\"\"\"\nb = '''内容'''''\n");  // up to two quotes before the closing three
  expect_accepted("a = \"转义的引号\\\"仍在字符串中 # 名\"\nb = \"\\\\\" # 注释：名\n");
  expect_accepted("a = 'C:\\路径\\' # 字面字符串里的反斜杠不转义\n");
  expect_accepted("a = \"# 不是注释 名\"\n");
  expect_accepted("\"名称\" = 1\n'代号' = 2\nsite.\"地点\".'楼' = 3\n[\"会议\"]\n[[\"表决\".'事项']]\n");
  expect_accepted(
      "a = [\"甲\", # 注释：乙\n  '丙',\n  \"\"\"丁\"\"\", ]\nb = { \"名\" = \"值\", c = ['戊'] }\n");
  expect_accepted("d = 1979-05-27 07:32:00 # 日期中的空格\ne = -1.5e3\nf = [1979-05-27, inf]\n");
  expect_accepted(
      "summary = \"\"\"\\\n    本项目\\\n    “一事一议”。\\\n    \"\"\"\n");  // line-ending backslashes
  expect_accepted("a = 1\r\nb = \"名\"\r\n# 注释\r\n");
}

TEST(TomlScan, RefusesNonAsciiOutsideStringsAndComments) {
  expect_refused("a = 1\n名称 = \"x\"\n", 2);                // a bare non-ASCII key
  expect_refused("a = 1\n\n[[ 姓 ]]\n", 3);                  // in a table header
  expect_refused("a = 1\nb\xE3\x80\x80= 2\n", 2);            // U+3000 between key and `=`
  expect_refused("a =\xE3\x80\x80\"x\"\n", 1);               // U+3000 between `=` and the value
  expect_refused("a = \"x\"\xE3\x80\x80# 注释\n", 1);        // U+3000 after a value
  expect_refused("a = 1\xC2\xA0\n", 1);                      // U+00A0 after a number
  expect_refused("a = [1,\n \xE3\x80\x81 2]\n", 2);          // 、 between array elements
  expect_refused("a = { b = 1\xEF\xBC\x8C c = 2 }\n", 1);    // a full-width comma
  expect_refused("[a]\xC2\xB7\n", 1);                        // after a table header
  expect_refused("a.名 = 1\n", 1);                           // a bare dotted key
  expect_refused(std::string_view("\xC7\x80\0:\0:", 6), 1);  // tests/fuzz/session finding
}

TEST(TomlScan, DiagnosticNamesLineColumnAndCodePoint) {
  const Diagnostics diagnostics = scan("format_version = 1\n\n[session]\nid\xE3\x80\x80= \"x\"\n");
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].text(),
            "s.toml 第4行：非ASCII字符只能出现在字符串或注释中（第3列，U+3000） / s.toml line 4: a non-ASCII "
            "character outside a string or comment (column 3, U+3000)");
  const Diagnostics chinese = scan("名称 = 1\n");
  ASSERT_EQ(chinese.size(), 1u);
  EXPECT_NE(chinese[0].zh.find("第1列，U+540D “名”"), std::string::npos) << chinese[0].zh;
}

TEST(TomlScan, ReportsEachOffendingLineOnce) {
  const Diagnostics diagnostics = scan("名称 = 1\nok = \"好\"\n代号 = 2\n");
  ASSERT_EQ(diagnostics.size(), 2u) << join(diagnostics);
  EXPECT_EQ(diagnostics[0].line, 1u);
  EXPECT_EQ(diagnostics[1].line, 3u);
}

TEST(TomlScan, QuotesOnlyOpenStringsWhereTomlHasThem) {
  // In a bare value toml++ scans on to the next space, comma, bracket or `#`: a quote there opens no string.
  expect_refused("a = 1\"名\"\n", 1);
  expect_refused("a = 1=\"名\"\n", 1);
  expect_refused("a = 2024-01-01 \"名\"\n", 1, "syntax error");
  expect_refused("a = \"x\" \"名\"\n", 1, "syntax error");
  expect_refused("a = \"x\"\"名\"\n", 1, "syntax error");
  expect_refused("a = \"\"\"x\"\"\"\"\"\"名\"\n", 1, "syntax error");  // six quotes: the sixth is outside
  expect_refused("\"\"\"键\"\"\" = 1\n", 1, "syntax error");           // a multi-line string as a key
  expect_refused("a = \"未结束\nb = \"名\"\n", 1, "syntax error");
  // A single-line string ends at the line break: the next line is lexed afresh.
  expect_refused("a = \"x\\\n名 = 1\n", 1, "syntax error");
}

TEST(TomlScan, LeavesPlainSyntaxErrorsToTheTomlParser) {
  // Nothing non-ASCII after the error: toml++ reports it, with its own description.
  const LoadReport report = parse("title = \"名\"\nplaces = = 2\n");
  ASSERT_EQ(report.diagnostics.size(), 1u) << join(report.diagnostics);
  EXPECT_EQ(report.diagnostics[0].code, SessionErrc::toml_syntax);
  EXPECT_EQ(report.diagnostics[0].line, 2u);
  // Non-ASCII after it: the pre-scan reports the error where TOML stops.
  const LoadReport located = parse("places = = 2\ntitle = \"名\"\n");
  ASSERT_EQ(located.diagnostics.size(), 1u) << join(located.diagnostics);
  EXPECT_EQ(located.diagnostics[0].line, 1u);
  EXPECT_NE(located.diagnostics[0].en.find("unexpected '=' at column 10"), std::string::npos)
      << located.diagnostics[0].text();
}

TEST(TomlScan, RefusesWhatTomlPlusPlusMishandlesInsideBasicStrings) {
  // A backslash before a non-ASCII character is never a valid escape; toml++ tests it for whitespace.
  expect_refused("a = \"\"\"x\\名\"\"\"\n", 1, "backslash");
  expect_refused("a = \"\"\"x\\  \xC2\xB7\"\"\"\n", 1, "backslash");
  expect_refused("a = \"x\\é\"\n", 1, "backslash");
  // After a line-ending backslash toml++ tests the first character of the continuation for whitespace:
  // undefined for U+00A1–U+0499, U+2C5E–U+2FFF, U+3001–U+3057, U+FB26–U+FEFE; other whitespace it drops.
  expect_refused("a = \"\"\"x\\\n  \xC2\xB7y\"\"\"\n", 2, "line-ending backslash");                    // ·
  expect_refused("a = \"\"\"x\\\n\n  《决定》\"\"\"\n", 3, "line-ending backslash");                   // 《
  expect_refused("a = \"\"\"x\\  \r\n\xE3\x80\x80\xE3\x80\x80y\"\"\"\n", 2, "line-ending backslash");  // U+3000
  // The same characters elsewhere in a string, or after a line-ending backslash in a literal string (which has
  // no escapes), are fine.
  expect_accepted("a = \"\"\"x\\\n  本项目《决定》\xC2\xB7\xE3\x80\x80\"\"\"\n");
  expect_accepted("a = '''x\\\n《决定》'''\n");
  expect_accepted("a = \"\"\"x\\\\\n《决定》\"\"\"\n");  // an escaped backslash, then a line break
}

TEST(TomlScan, LoaderRefusesBeforeTheTomlParser) {
  const LoadReport report = parse("format_version = 1\n[session]\nid = \"x\"\xE3\x80\x80\n");
  EXPECT_FALSE(report.definition);
  ASSERT_EQ(report.diagnostics.size(), 1u) << join(report.diagnostics);
  EXPECT_EQ(report.diagnostics[0].text(),
            "s.toml 第3行：非ASCII字符只能出现在字符串或注释中（第9列，U+3000） / s.toml line 3: a non-ASCII "
            "character outside a string or comment (column 9, U+3000)");
  // The tests/fuzz/session finding that reached TOML_UNREACHABLE inside toml++.
  const LoadReport finding = parse(std::string_view("\xC7\x80\0:\0:", 6));
  ASSERT_EQ(finding.diagnostics.size(), 1u) << join(finding.diagnostics);
  EXPECT_EQ(finding.diagnostics[0].line, 1u);
}

TEST(TomlScan, ToleratedTextStillParses) {
  const LoadReport report = parse(
      "format_version = 1\n\"名称\" = 1 # 未知字段\n[session]\nid = \"x\"\nbody = \"\"\"\\\n   汉阴县\\\n   "
      "人大\"\"\"\n");
  ASSERT_FALSE(report.diagnostics.empty());
  bool unknown_quoted_key = false;
  for (const Diagnostic& d : report.diagnostics) {
    EXPECT_NE(d.code, SessionErrc::toml_syntax) << d.text();
    unknown_quoted_key = unknown_quoted_key || (d.code == SessionErrc::unknown_field && d.field == "名称");
  }
  EXPECT_TRUE(unknown_quoted_key) << join(report.diagnostics);
}

}  // namespace
}  // namespace hallvote::session
