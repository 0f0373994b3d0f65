// The input limits of the session loader (session/include/hallvote/session/loader.h, docs/session-format.md
// "Limits"): a hostile session file — a key of tens of thousands of parts that overflowed toml++'s stack, deep
// nesting, a huge file, /dev/zero, a FIFO — is refused with a specific diagnostic, never parsed.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "hallvote/session/loader.h"

namespace hallvote::session {
namespace {

LoadReport parse(std::string_view text, const FileReader& read = memory_reader({})) {
  return parse_session(text, "s.toml", read);
}

// The report holds exactly one diagnostic, of `code`, on `line`, whose English text contains `what`.
void expect_one(const LoadReport& report, SessionErrc code, std::size_t line, std::string_view what) {
  EXPECT_FALSE(report.definition);
  ASSERT_EQ(report.diagnostics.size(), 1u) << join(report.diagnostics);
  const Diagnostic& d = report.diagnostics[0];
  EXPECT_EQ(d.code, code) << d.text();
  EXPECT_EQ(d.line, line) << d.text();
  EXPECT_EQ(d.file, "s.toml");
  EXPECT_NE(d.en.find(what), std::string::npos) << d.text();
  EXPECT_FALSE(d.zh.empty());
}

// `a.a.a…` of `parts` parts.
std::string dotted_key(std::size_t parts) {
  std::string key = "a";
  for (std::size_t i = 1; i < parts; ++i) key += ".a";
  return key;
}

// No diagnostic from the limits (the file is otherwise not a session: other diagnostics are expected).
void expect_within_limits(std::string_view text) {
  const LoadReport report = parse(text);
  for (const Diagnostic& d : report.diagnostics) {
    EXPECT_NE(d.code, SessionErrc::input_limit) << d.text();
    EXPECT_NE(d.code, SessionErrc::toml_syntax) << d.text();
  }
}

TEST(InputLimits, KeyOfFortyThousandPartsIsRefusedNotParsed) {
  // The attack run's finding: SIGSEGV inside toml++. On one line it is beyond the line limit first.
  expect_one(parse("format_version = 1\n" + dotted_key(40'000) + " = 1\n"), SessionErrc::input_limit, 2,
             "line longer than the limit of 65536 bytes");
  // Within the line limit, the key's parts are counted, as a key and as a table header.
  expect_one(parse("format_version = 1\n" + dotted_key(30'000) + " = 1\n"), SessionErrc::input_limit, 2,
             "a dotted key of more than 32 parts (column 65)");
  expect_one(parse("[" + dotted_key(30'000) + "]\n"), SessionErrc::input_limit, 1,
             "a dotted key of more than 32 parts");
  expect_one(parse("x = { " + dotted_key(30'000) + " = 1 }\n"), SessionErrc::input_limit, 1,
             "a dotted key of more than 32 parts");
}

TEST(InputLimits, KeyPartsAreCountedUpToTheLimit) {
  expect_within_limits(dotted_key(kMaxTomlKeyParts) + " = 1\n");
  expect_within_limits("[" + dotted_key(kMaxTomlKeyParts) + "]\n");
  expect_within_limits("\"a.b\".c . 'd.e' = 1\nf = 1.5\ng = \"x.y.z\"\n");  // dots in strings and numbers
  expect_one(parse(dotted_key(kMaxTomlKeyParts + 1) + " = 1\n"), SessionErrc::input_limit, 1,
             "more than 32 parts (column 65)");
  std::string quoted = "\"q\"";
  for (std::size_t i = 0; i < kMaxTomlKeyParts; ++i) quoted += ".'x'";
  expect_one(parse(quoted + " = 1\n"), SessionErrc::input_limit, 1, "more than 32 parts");
}

TEST(InputLimits, NestingIsCountedAcrossHeadersKeysArraysAndInlineTables) {
  // The path to the innermost of 64 nested arrays is x[0][0]…: 64 long.
  const auto arrays = [](std::size_t n) {
    return "x = " + std::string(n, '[') + "1" + std::string(n, ']') + "\n";
  };
  expect_within_limits(arrays(kMaxTomlNesting));
  expect_one(parse(arrays(kMaxTomlNesting + 1)), SessionErrc::input_limit, 1,
             "nested more than 64 levels deep (tables, arrays, inline tables) (column 69)");
  std::string tables = "x = ";
  for (std::size_t i = 0; i < 100; ++i) tables += "{ a = ";
  expect_one(parse(tables + "1" + std::string(100, '}') + "\n"), SessionErrc::input_limit, 1, "nested more");
  // A header of 32 parts, then a key of 32 parts: 64 levels; an inline table there, or an array of tables for
  // the header, is one too many.
  const std::string header = "[" + dotted_key(32) + "]\n";
  expect_within_limits(header + dotted_key(32) + " = 1\n");
  expect_one(parse(header + "b = 1\n" + dotted_key(32) + " = { c = 1 }\n"), SessionErrc::input_limit, 3,
             "nested more");
  expect_one(parse("[[" + dotted_key(32) + "]]\n" + dotted_key(32) + " = 1\n"), SessionErrc::input_limit, 2,
             "nested more");
  // Arrays spanning lines count as much as on one line; closing brackets give the levels back.
  expect_within_limits("x = [\n" + std::string(40, '[') + "\n1" + std::string(40, ']') + ",\n" +
                       std::string(40, '[') + "2" + std::string(40, ']') + "]\n");
  expect_one(parse("x = [\n" + std::string(70, '[') + "\n"), SessionErrc::input_limit, 2, "nested more");
}

TEST(InputLimits, SyntaxErrorBeforeDeepTextIsReportedByThePreScan) {
  // After a point where the file stops being TOML the pre-scan cannot follow the structure: when what remains
  // might be too deep, it reports the syntax error itself rather than let the TOML library read on.
  const LoadReport deep = parse("a = = 1\n" + dotted_key(1000) + " = 1\n");
  ASSERT_EQ(deep.diagnostics.size(), 1u) << join(deep.diagnostics);
  EXPECT_EQ(deep.diagnostics[0].code, SessionErrc::toml_syntax);
  EXPECT_NE(deep.diagnostics[0].en.find("unexpected '=' at column 5"), std::string::npos)
      << deep.diagnostics[0].text();
  const LoadReport brackets = parse("a = = 1\nb = " + std::string(300, '[') + "\n");
  ASSERT_EQ(brackets.diagnostics.size(), 1u) << join(brackets.diagnostics);
  EXPECT_NE(brackets.diagnostics[0].en.find("unexpected '='"), std::string::npos);
}

TEST(InputLimits, OversizedTextAndLongLinesAreRefused) {
  expect_one(parse(std::string(kMaxInputFileBytes + 1, '#')), SessionErrc::input_limit, 0,
             "file larger than the limit of 16777216 bytes");
  const std::string long_line = "# " + std::string(kMaxTomlLineBytes, 'x') + "\n";
  expect_one(parse("format_version = 1\n\n" + long_line), SessionErrc::input_limit, 3,
             "line longer than the limit of 65536 bytes");
  expect_within_limits("# " + std::string(kMaxTomlLineBytes - 2, 'x') + "\n");
}

TEST(InputLimits, OversizedRecordedCsvIsRefused) {
  // A CSV file recorded in an audit log is not read from disk; the size limit applies to it all the same.
  const LoadReport report = parse("format_version = 1\n[roster]\ncsv = \"r.csv\"\n",
                                  memory_reader({{"r.csv", std::string(kMaxInputFileBytes + 1, 'x')}}));
  bool refused = false;
  for (const Diagnostic& d : report.diagnostics) {
    refused = refused || (d.code == SessionErrc::input_limit && d.field == "roster.csv" && d.line == 3);
  }
  EXPECT_TRUE(refused) << join(report.diagnostics);
}

class InputFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hallvote-limits-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The single diagnostic of loading `path`, of `code`, whose English text contains `what`.
  static void expect_refused(const std::filesystem::path& path, SessionErrc code, std::string_view what) {
    const LoadReport report = load_session_report(path);
    EXPECT_FALSE(report.definition);
    ASSERT_EQ(report.diagnostics.size(), 1u) << join(report.diagnostics);
    EXPECT_EQ(report.diagnostics[0].code, code) << report.diagnostics[0].text();
    EXPECT_NE(report.diagnostics[0].en.find(what), std::string::npos) << report.diagnostics[0].text();
    auto folded = load_session_with_files(path);
    ASSERT_FALSE(folded);
    EXPECT_NE(folded.error().detail.find(what), std::string::npos) << folded.error().detail;
  }

  std::filesystem::path dir_;
};

TEST_F(InputFiles, DevZeroIsRefusedAtOnce) {
  expect_refused("/dev/zero", SessionErrc::unreadable_file, "not a regular file (a device)");
}

TEST_F(InputFiles, FifoIsRefusedWithoutWaitingForAWriter) {
  const auto fifo = dir_ / "session.toml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_refused(fifo, SessionErrc::unreadable_file, "not a regular file (a FIFO)");
}

TEST_F(InputFiles, DirectoryIsRefused) {
  expect_refused(dir_, SessionErrc::unreadable_file, "not a regular file (a directory)");
}

TEST_F(InputFiles, MissingFileIsRefused) {
  expect_refused(dir_ / "absent.toml", SessionErrc::unreadable_file, "no such file");
}

TEST_F(InputFiles, FileBeyondTheSizeLimitIsRefusedUnread) {
  const auto big = dir_ / "session.toml";
  std::ofstream(big) << "format_version = 1\n";
  std::filesystem::resize_file(big, kMaxInputFileBytes + 1);  // sparse: nothing is written
  expect_refused(big, SessionErrc::input_limit, "file larger than the limit of 16777216 bytes");
}

TEST_F(InputFiles, CsvThatIsNotARegularFileIsRefused) {
  std::ofstream(dir_ / "session.toml") << "format_version = 1\n[roster]\ncsv = \"roster.csv\"\n";
  std::filesystem::create_symlink("/dev/zero", dir_ / "roster.csv");
  const LoadReport report = load_session_report(dir_ / "session.toml");
  bool refused = false;
  for (const Diagnostic& d : report.diagnostics) {
    refused = refused || (d.code == SessionErrc::unreadable_file && d.field == "roster.csv" &&
                          d.en.find("not a regular file (a device)") != std::string::npos);
  }
  EXPECT_TRUE(refused) << join(report.diagnostics);
}

}  // namespace
}  // namespace hallvote::session
