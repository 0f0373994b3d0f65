// The session's wording of 决定 and 公告 (`[records]`, docs/session-format.md; session/record_wording.h): the
// templates as the loader reads and checks them, and as the records print them.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hallvote/records/collect.h"
#include "hallvote/records/render.h"
#include "hallvote/session/loader.h"
#include "hallvote/session/record_wording.h"
#include "log_fixture.h"

namespace hallvote::records {
namespace {

const std::string kExamples = std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions";

std::string example_text() {
  std::ifstream in(kExamples + "/hanyin-county.toml", std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

session::LoadReport parse_with(const std::string& records_table) {
  return session::parse_session(example_text() + "\n[records]\n" + records_table, "hanyin-county.toml",
                                session::directory_reader(kExamples));
}

TEST(RecordWording, DefaultsWhenTheSessionHasNoRecordsTable) {
  const session::LoadReport report =
      session::parse_session(example_text(), "hanyin-county.toml", session::directory_reader(kExamples));
  ASSERT_TRUE(report.definition.has_value());
  EXPECT_EQ(report.definition->records.decision_basis,
            "根据《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》的有关规定，");
  EXPECT_EQ(report.definition->records.announcement_closing, "现予以公告。");
}

TEST(RecordWording, SessionTemplatesReplaceTheDefaults) {
  const session::LoadReport report = parse_with(
      "decision_basis = \"根据《汉阴县民生实事项目人大代表票决制办法》，\"\n"
      "announcement_closing = \"特此公告。\"\n");
  ASSERT_TRUE(report.definition.has_value()) << report.diagnostics.size();
  EXPECT_EQ(report.definition->records.decision_basis, "根据《汉阴县民生实事项目人大代表票决制办法》，");
  EXPECT_EQ(report.definition->records.announcement_closing, "特此公告。");
  EXPECT_EQ(report.definition->records.decision_opening, session::RecordWording{}.decision_opening);
}

TEST(RecordWording, LoaderRejectsUnknownPlaceholdersBracesAndFields) {
  struct Case {
    const char* table;
    session::SessionErrc code;
    const char* field;
  };
  const std::array<Case, 4> cases{{
      {"decision_opening = \"{body}决定{projects}\"\n", session::SessionErrc::invalid_value,
       "records.decision_opening"},
      {"announcement_opening = \"{subject}\"\n", session::SessionErrc::invalid_value,  // a 决定-only name
       "records.announcement_opening"},
      {"announcement_closing = \"现予以公告。}\"\n", session::SessionErrc::invalid_value,
       "records.announcement_closing"},
      {"decision_closing = \"x\"\n", session::SessionErrc::unknown_field, "records.decision_closing"},
  }};
  for (const Case& c : cases) {
    const session::LoadReport report = parse_with(c.table);
    EXPECT_FALSE(report.definition.has_value()) << c.table;
    ASSERT_EQ(report.diagnostics.size(), 1u) << c.table;
    EXPECT_EQ(report.diagnostics[0].code, c.code) << c.table;
    EXPECT_EQ(report.diagnostics[0].field, c.field) << c.table;
  }
}

TEST(RecordWording, FillTemplateAndPlaceholderCheck) {
  EXPECT_EQ(session::fill_template("{body}于{date}", {{"body", "甲"}, {"date", "2025年1月9日"}}),
            "甲于2025年1月9日");
  const std::vector<std::string_view> allowed{"body"};
  EXPECT_EQ(session::unknown_placeholder("{body}", allowed), "");
  EXPECT_EQ(session::unknown_placeholder("{body", allowed), "unbalanced '{'");
  EXPECT_EQ(session::unknown_placeholder("{x}", allowed), "{x}");
  EXPECT_EQ(session::unknown_placeholder("a}", allowed), "unbalanced '}'");
  EXPECT_TRUE(session::record_placeholders("nonsense").empty());
}

std::string pdf_text(const RecordFile& pdf) {
  const auto path = std::filesystem::temp_directory_path() / ("hallvote-wording-" + pdf.name);
  std::ofstream(path, std::ios::binary) << pdf.bytes;
  std::string out;
  if (FILE* pipe = ::popen(("pdftotext -enc UTF-8 '" + path.string() + "' -").c_str(), "r")) {
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    ::pclose(pipe);
  }
  std::filesystem::remove(path);
  std::string squeezed;
  for (char c : out) {
    if (c != ' ' && c != '\n' && c != '\f') squeezed += c;
  }
  return squeezed;
}

TEST(RecordWording, DocumentsPrintTheSessionsTemplates) {
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdftotext not installed";
  testing::SyntheticLog log = testing::make_log();
  log.session.records.decision_basis = "";
  log.session.records.decision_operative = "会议要求{government}抓好落实，{standing_committee}加强监督。";
  log.session.records.announcement_closing = "特此公告。";
  auto set = collect_records(log.session, log.entries, log.notes);
  ASSERT_TRUE(set.has_value()) << set.error().message();
  auto files = render_records(*set);
  ASSERT_TRUE(files.has_value()) << files.error().message();
  for (const RecordFile& f : *files) {
    if (f.name == "decision-V3.pdf") {
      const std::string text = pdf_text(f);
      EXPECT_NE(text.find("会议要求汉阴县人民政府抓好落实，县人民代表大会常务委员会加强监督。"),
                std::string::npos);
      EXPECT_EQ(text.find("组织法"), std::string::npos);
    }
    if (f.name == "announcement-V1.pdf") {
      const std::string text = pdf_text(f);
      EXPECT_NE(text.find("特此公告。"), std::string::npos);
      EXPECT_EQ(text.find("现予以公告。"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace hallvote::records
