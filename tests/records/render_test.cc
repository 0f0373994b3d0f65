#include "hallvote/records/render.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "log_fixture.h"

namespace hallvote::records {
namespace {

using nlohmann::json;
using testing::make_log;
using testing::SyntheticLog;

struct Rendered {
  std::unique_ptr<SyntheticLog> log;  // heap: the RecordSet points into its session
  RecordSet set;
  std::vector<RecordFile> files;
};

Rendered render(const testing::FixtureOptions& options = {}) {
  Rendered r{std::make_unique<SyntheticLog>(make_log(options)), {}, {}};
  auto set = collect_records(r.log->session, r.log->entries, r.log->notes);
  if (!set) {
    ADD_FAILURE() << set.error().message();
    return r;
  }
  r.set = *set;
  auto files = render_records(r.set);
  if (!files) ADD_FAILURE() << files.error().message();
  if (files) r.files = *files;
  return r;
}

const RecordFile* file(const std::vector<RecordFile>& files, const std::string& name) {
  for (const RecordFile& f : files) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir =
      std::filesystem::temp_directory_path() / ("hallvote-records-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool have_pdftotext() { return std::system("command -v pdftotext >/dev/null 2>&1") == 0; }

// What `program` writes to standard output when run as "<program> '<file>' <after>" on `file` saved in a
// temporary directory (removed afterwards).
std::string run_on_file(const std::string& program, const RecordFile& file, const std::string& after = "") {
  const auto dir = temp_dir(program.substr(0, program.find(' ')));
  std::filesystem::create_directories(dir);
  const auto path = dir / file.name;
  std::ofstream(path, std::ios::binary) << file.bytes;
  const std::string command = program + " '" + path.string() + "' " + after;
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    ::pclose(pipe);
  }
  std::filesystem::remove_all(dir);
  return out;
}

// The text of a PDF as pdftotext extracts it (UTF-8, reading order).
std::string pdf_text(const RecordFile& pdf) { return run_on_file("pdftotext -enc UTF-8", pdf, "-"); }

// pdftotext output without spaces and line breaks, so that wrapped phrases can be found whole.
std::string squeeze(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\f' && c != '\r') out += c;
  }
  return out;
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE((haystack).find(needle), std::string::npos) << "missing: " << (needle)

TEST(RenderRecords, ProducesTheDocumentedFilesSortedByName) {
  const Rendered r = render();
  std::vector<std::string> names;
  for (const RecordFile& f : r.files) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"announcement-V1.pdf", "decision-V3.pdf", "results.csv",
                                             "results.json", "satisfaction-V2.pdf", "tally-report-V1.pdf",
                                             "tally-report-V2.pdf", "tally-report-V3.pdf"}));
  for (const RecordFile& f : r.files) {
    if (f.name.ends_with(".pdf")) {
      EXPECT_EQ(f.media_type, "application/pdf");
      EXPECT_TRUE(f.bytes.starts_with("%PDF-1.5")) << f.name;
    }
  }
  EXPECT_EQ(file(r.files, "results.json")->media_type, "application/json");
  EXPECT_EQ(file(r.files, "results.csv")->media_type, "text/csv; charset=utf-8");
}

TEST(RenderRecords, ResultsJsonHoldsEverything) {
  const Rendered r = render();
  const std::string& bytes = file(r.files, "results.json")->bytes;
  const json j = json::parse(bytes);
  EXPECT_EQ(bytes, j.dump(2) + "\n");  // canonical: sorted keys, 2-space indent, final newline
  EXPECT_EQ(j["format"], "hallvote-records/3");
  EXPECT_EQ(j["session"]["body"], "汉阴县第十八届人民代表大会第三次会议");
  EXPECT_EQ(j["session"]["deputies_in_office"], 247);
  EXPECT_EQ(j["checkpoint"]["root"], r.set.closing.root_hex);
  EXPECT_EQ(j["checkpoint"]["size"], r.log->entries.size());
  EXPECT_EQ(j["checkpoint"]["qr"], "hallvote-checkpoint/v1 hallvote.example/hanyin-18-3 " +
                                       std::to_string(r.log->entries.size()) + " " + r.set.closing.root_hex);
  ASSERT_EQ(j["votes"].size(), 3u);
  const json& v1 = j["votes"][0];
  EXPECT_EQ(v1["vote_id"], "V1");
  EXPECT_EQ(v1["date"], "2025-01-09");
  ASSERT_EQ(v1["adopted"].size(), 10u);
  EXPECT_EQ(v1["adopted"][0]["title"], "城区学校扩容");
  EXPECT_EQ(v1["adopted"][0]["votes"], 231);
  EXPECT_EQ(v1["adopted"][0]["rank"], 1);
  EXPECT_EQ(v1["adopted"][9]["item_id"], "HY2025-10");
  EXPECT_EQ(v1["adopted"][9]["round"], 2);
  EXPECT_EQ(v1["adopted"][9]["votes"], 150);
  ASSERT_EQ(v1["rounds"].size(), 2u);
  EXPECT_EQ(v1["rounds"][0]["accounting"]["valid"], 236);
  EXPECT_EQ(v1["rounds"][0]["items"][10]["verdict"], "进入再次投票");
  EXPECT_EQ(v1["rounds"][1]["purpose_zh"], "再次投票（票数相等）");
  EXPECT_EQ(v1["rounds"][0]["outcome"], r.set.votes[0].rounds[0].outcome);
  EXPECT_EQ(v1["signers"][0]["role_zh"], "总监票人");
  EXPECT_EQ(v1["files"], json::array({"announcement-V1.pdf", "tally-report-V1.pdf"}));
  const json& v2 = j["votes"][1];
  EXPECT_EQ(v2["rounds"][0]["items"][0]["percent_of_valid"], json::array({"85.1%", "10.6%", "2.1%", "1.3%"}));
  EXPECT_EQ(v2["rounds"][0]["items"][0]["satisfaction_rate"], "95.7%");  // (200 + 25) / 235
  EXPECT_TRUE(j["pending"].empty());
}

TEST(RenderRecords, ResultsJsonListsPendingVotes) {
  const Rendered r = render({.certify_v2 = false});
  const json j = json::parse(file(r.files, "results.json")->bytes);
  ASSERT_EQ(j["pending"].size(), 1u);
  EXPECT_EQ(j["pending"][0]["vote_id"], "V2");
  EXPECT_EQ(j["pending"][0]["reason"], "not_certified");
  EXPECT_EQ(file(r.files, "satisfaction-V2.pdf"), nullptr);
}

TEST(RenderRecords, ResultsCsvHasOneRowPerVoteRoundAndItem) {
  const Rendered r = render();
  const std::string& csv = file(r.files, "results.csv")->bytes;
  ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
  std::vector<std::string> lines;
  std::size_t at = 3;
  while (at < csv.size()) {
    const std::size_t end = csv.find("\r\n", at);
    ASSERT_NE(end, std::string::npos);
    lines.push_back(csv.substr(at, end - at));
    at = end + 2;
  }
  ASSERT_EQ(lines.size(), 1u + 13 + 2 + 10 + 1);
  EXPECT_TRUE(
      lines[0].starts_with("会议,会议编号,表决日期,表决编号,表决名称,表决方式,轮次,投票性质,应到,实到,发出,"
                           "收回,有效,无效,未按,项目编号,项目名称,得票,得票率,名次,赞成,赞成率,反对,弃权,满意,"
                           "基本满意,不满意,满意率,未表态,结果,说明"));
  const std::string session = "汉阴县第十八届人民代表大会第三次会议,hanyin-18-3,2025-01-09,";
  EXPECT_EQ(lines[1],
            session +
                "V1,汉阴县人民政府2025年度民生实事项目差额票决,差额票决,1,第一次投票,247,240,240,238,236,"
                "2,2,HY2025-01,城区学校扩容,231,97.9%,1,,,,,,,,,,通过,得票 231 票，达到全体代表过半数 "
                "124 票，排名第 1，在应选 10 个名额内，通过");
  EXPECT_TRUE(lines[14].starts_with(
      session + "V1,汉阴县人民政府2025年度民生实事项目差额票决,差额票决,2,再次投票（票数相等）,"));
  EXPECT_TRUE(lines[16].starts_with(session + "V2,")) << lines[16];
  // 满意率 = (满意 + 基本满意) / 有效: (200 + 25) / 235 = 95.74…% → 95.7%.
  EXPECT_NE(lines[16].find(",HY2024-01,城区第三幼儿园建设,,,,,,,3,200,25,5,95.7%,2,"), std::string::npos)
      << lines[16];
  EXPECT_NE(lines[26].find(",M-DECISION,"), std::string::npos);
  EXPECT_NE(lines[26].find(",221,93.2%,9,5,"), std::string::npos) << lines[26];  // 221 / 237
}

TEST(RenderRecords, PdfTextHasTitlesCountsSignersAndCheckpoint) {
  if (!have_pdftotext()) GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
  const Rendered r = render();
  const std::string root = r.set.closing.root_hex;

  const std::string announcement = squeeze(pdf_text(*file(r.files, "announcement-V1.pdf")));
  EXPECT_CONTAINS(announcement, "汉阴县第十八届人民代表大会第三次会议主席团公告");
  EXPECT_CONTAINS(announcement, "（第一号）");
  EXPECT_CONTAINS(announcement, "于2025年1月9日进行了2025年度民生实事项目差额票决");
  EXPECT_CONTAINS(announcement, "共10项，分别是：");
  EXPECT_CONTAINS(announcement, "一、城区学校扩容；");
  EXPECT_CONTAINS(announcement, "十、" + std::string(r.log->session.item_title("HY2025-10")) + "。");
  EXPECT_EQ(announcement.find(std::string(r.log->session.item_title("HY2025-11"))), std::string::npos);
  EXPECT_CONTAINS(announcement, "现予以公告。");
  EXPECT_CONTAINS(announcement, root);

  const std::string decision = squeeze(pdf_text(*file(r.files, "decision-V3.pdf")));
  EXPECT_CONTAINS(decision, "汉阴县第十八届人民代表大会第三次会议关于汉阴县人民政府2025年度民生实事项目的决定");
  // The heading drops "（草案）" and is followed by the adoption line; the appendix lists the motion as voted.
  EXPECT_CONTAINS(decision, "民生实事项目的决定（2025年1月9日汉阴县第十八届人民代表大会第三次会议通过）");
  EXPECT_CONTAINS(decision, "根据《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》的有关规定，");
  EXPECT_CONTAINS(decision, "决定以下10个项目为汉阴县人民政府2025年度民生实事项目：");
  EXPECT_CONTAINS(decision, "一、城区学校扩容；");
  EXPECT_CONTAINS(decision, "十、" + std::string(r.log->session.item_title("HY2025-10")) + "。");
  EXPECT_CONTAINS(decision, "有关规定，经全体代表无记名投票差额票决，决定以下10个项目为");
  EXPECT_CONTAINS(decision, "会议要求汉阴县人民政府精心组织实施");
  EXPECT_CONTAINS(decision, "在下次人民代表大会会议上组织代表对项目实施情况进行满意度测评。");
  // A 决定 does not recite its own vote or the project votes (docs/records.md §4.3).
  EXPECT_EQ(decision.find("赞成221票"), std::string::npos);
  EXPECT_EQ(decision.find("得票"), std::string::npos);
  EXPECT_EQ(decision.find("未按"), std::string::npos);
  EXPECT_CONTAINS(decision, root);

  const std::string satisfaction = squeeze(pdf_text(*file(r.files, "satisfaction-V2.pdf")));
  EXPECT_CONTAINS(satisfaction, "汉阴县人民政府2024年度民生实事项目满意度测评结果报告");
  EXPECT_CONTAINS(satisfaction, "城区第三幼儿园建设");
  EXPECT_CONTAINS(satisfaction, "满意率");
  EXPECT_CONTAINS(satisfaction, "95.7%");
  EXPECT_CONTAINS(satisfaction, "满意率＝（满意票＋基本满意票）÷有效票");
  EXPECT_CONTAINS(satisfaction, "有效票235张");
  EXPECT_CONTAINS(satisfaction, root);

  const std::string tally = squeeze(pdf_text(*file(r.files, "tally-report-V1.pdf")));
  EXPECT_CONTAINS(tally, "计票结果报告单");
  EXPECT_CONTAINS(tally, "第2轮（再次投票（票数相等））");
  EXPECT_CONTAINS(tally, "姚光华");
  EXPECT_CONTAINS(tally, "总监票人");
  EXPECT_CONTAINS(tally, "蒋小勇（主席团成员）");
  EXPECT_CONTAINS(tally, "签名");
  EXPECT_CONTAINS(tally, r.set.votes[0].rounds[0].result_hash_hex);
  EXPECT_CONTAINS(tally, root);
  // Plain office wording, no log jargon, no shell command (issue 16).
  for (const std::string word : {"日志条目", "完成签署", "解密受托人", "hallvote-audit", "记录格式"}) {
    EXPECT_EQ(tally.find(word), std::string::npos) << word;
    EXPECT_EQ(announcement.find(word), std::string::npos) << word;
  }
}

TEST(RenderRecords, PdfsEmbedTheCjkFonts) {
  if (std::system("command -v pdffonts >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdffonts not installed";
  const Rendered r = render();
  const std::string out = run_on_file("pdffonts", *file(r.files, "decision-V3.pdf"));
  EXPECT_CONTAINS(out, "FandolFang");  // 仿宋: the body
  EXPECT_CONTAINS(out, "FandolSong");  // 小标宋-like: the title
  EXPECT_CONTAINS(out, "FandolKai");   // 楷体: the 题注
  EXPECT_EQ(out.find("NotoSerif"), std::string::npos);
  // Every font embedded ("emb" column yes).
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("Noto") == std::string::npos && line.find("Fandol") == std::string::npos) continue;
    EXPECT_NE(line.find(" yes "), std::string::npos) << line;
  }
}

// A 决定 of the demo's ten projects, its title three lines of 二号 and the body 三号 on the 22-line grid, fits
// one page (docs/records.md §4.3).
TEST(RenderRecords, DecisionOfTenProjectsIsOnePage) {
  if (!have_pdftotext()) GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
  const Rendered r = render();
  const std::string text = pdf_text(*file(r.files, "decision-V3.pdf"));
  std::size_t pages = 0;
  for (char c : text) pages += c == '\f' ? 1 : 0;
  EXPECT_EQ(pages, 1u);
  EXPECT_CONTAINS(squeeze(text), "第1页共1页");
  EXPECT_CONTAINS(squeeze(text), "十、");
}

// A 决定 one line too long for a page (a longer legal basis, as a session may word it) carries its operative
// paragraph over whole: no single line of a paragraph is left at the foot of page 1 or alone on page 2.
TEST(RenderRecords, DecisionThatRunsOverCarriesAParagraphOverWhole) {
  if (!have_pdftotext()) GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
  SyntheticLog log = make_log();
  log.session.records.decision_basis =
      "根据《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》和《汉阴县民生实事项目人大代表票决制实"
      "施办"
      "法》的有关规定，";
  auto set = collect_records(log.session, log.entries, log.notes);
  ASSERT_TRUE(set.has_value()) << set.error().message();
  auto files = render_records(*set);
  ASSERT_TRUE(files.has_value()) << files.error().message();
  const std::string text = pdf_text(*file(*files, "decision-V3.pdf"));
  ASSERT_EQ(std::count(text.begin(), text.end(), '\f'), 2) << text;
  const std::string page1 = squeeze(text.substr(0, text.find('\f')));
  const std::string page2 = squeeze(text.substr(text.find('\f')));
  EXPECT_CONTAINS(page1, "十、" + std::string(log.session.item_title("HY2025-10")) + "。");
  EXPECT_EQ(page1.find("会议要求"), std::string::npos);
  EXPECT_CONTAINS(page2, "会议要求汉阴县人民政府精心组织实施");
}

TEST(RenderRecords, LongTablesBreakAcrossPages) {
  if (!have_pdftotext()) GTEST_SKIP() << "pdftotext (poppler-utils) not installed";
  const Rendered r = render({.extra_items = 100});
  const std::string text = pdf_text(*file(r.files, "tally-report-V3.pdf"));
  const std::string squeezed = squeeze(text);
  EXPECT_CONTAINS(squeezed, "第1号生成项目");
  EXPECT_CONTAINS(squeezed, "第100号生成项目");
  std::size_t pages = 0;
  for (char c : text) pages += c == '\f' ? 1 : 0;
  EXPECT_GE(pages, 5u);
  EXPECT_CONTAINS(squeezed, "第5页共" + std::to_string(pages) + "页");
  // The header row repeats on every page of the table.
  std::size_t headers = 0;
  for (std::size_t at = squeezed.find("未表态"); at != std::string::npos; at = squeezed.find("未表态", at + 1))
    ++headers;
  EXPECT_GE(headers, pages - 1);
}

TEST(RenderRecords, SameRecordSetGivesTheSameBytes) {
  const Rendered r = render();
  auto again = render_records(r.set);
  ASSERT_TRUE(again.has_value()) << again.error().message();
  ASSERT_EQ(again->size(), r.files.size());
  for (std::size_t i = 0; i < r.files.size(); ++i) {
    EXPECT_EQ((*again)[i].name, r.files[i].name);
    EXPECT_TRUE((*again)[i].bytes == r.files[i].bytes) << r.files[i].name;
  }
}

// Writes the records of the default fixture into $HALLVOTE_RECORDS_DUMP (run by the next test in a child
// process).
TEST(RenderRecords, DumpForChildProcess) {
  const char* dir = std::getenv("HALLVOTE_RECORDS_DUMP");
  if (dir == nullptr) GTEST_SKIP() << "only run as the child of SameBytesInAnotherProcess";
  const Rendered r = render();
  ASSERT_TRUE(write_records(r.files, dir).has_value());
}

TEST(RenderRecords, SameBytesInAnotherProcess) {
  const Rendered r = render();
  const auto dir = temp_dir("child");
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string command = "HALLVOTE_RECORDS_DUMP='" + dir.string() + "' '" + self +
                              "' --gtest_filter=RenderRecords.DumpForChildProcess >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  for (const RecordFile& f : r.files) {
    EXPECT_TRUE(read(dir / f.name) == f.bytes) << f.name << " differs between processes";
  }
  std::filesystem::remove_all(dir);
}

TEST(RenderRecords, PdfDatesComeFromTheLog) {
  const Rendered r = render();
  const std::string& pdf = file(r.files, "tally-report-V1.pdf")->bytes;
  // V1's last round was certified at the fixture's clock: 2025-01-09 09:28:20, China Standard Time (entry 20,
  // 20 × 7 s after 09:00:00 plus 26 minutes of waiting).
  // Cairo 1.16 writes "(20250109092820+08'00)"; later versions add the "D:" prefix.
  for (const std::string key : {"/CreationDate (", "/ModDate ("}) {
    const std::size_t at = pdf.find(key);
    ASSERT_NE(at, std::string::npos) << key;
    EXPECT_NE(pdf.substr(at, 40).find("20250109092820+08'00"), std::string::npos) << pdf.substr(at, 40);
  }
  EXPECT_CONTAINS(pdf, "/Creator (hallvote)");
}

TEST(RenderRecords, MissingFontIsAnError) {
  const Rendered r = render();
  RenderOptions options;
  options.fonts.fangsong = "/nonexistent/FandolFang-Regular.otf";
  auto files = render_records(r.set, options);
  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, make_error_code(RecordsErrc::font_unavailable));
  EXPECT_CONTAINS(files.error().detail, "/nonexistent/");
  for (auto face : {&FontFiles::title, &FontFiles::kaiti}) {
    RenderOptions missing;
    missing.fonts.*face = "/nonexistent/Fandol.otf";
    auto refused = render_records(r.set, missing);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, make_error_code(RecordsErrc::font_unavailable));
    EXPECT_CONTAINS(refused.error().detail, "/nonexistent/Fandol.otf");
  }
  // A file that holds another family than the face asks for (FandolFang given as the 楷体).
  RenderOptions wrong;
  wrong.fonts.kaiti = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf";
  auto refused = render_records(r.set, wrong);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, make_error_code(RecordsErrc::font_unavailable));
  EXPECT_CONTAINS(refused.error().detail, "FandolKai");
}

TEST(WriteRecords, WritesEveryFileAtomically) {
  const Rendered r = render();
  const auto dir = temp_dir("write") / "nested" / "records";
  ASSERT_TRUE(write_records(r.files, dir).has_value());
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ++count;
    EXPECT_FALSE(entry.path().filename().string().starts_with(".")) << "temporary file left: " << entry.path();
  }
  EXPECT_EQ(count, r.files.size());
  for (const RecordFile& f : r.files) EXPECT_TRUE(read(dir / f.name) == f.bytes) << f.name;
  // Writing again replaces the files.
  std::vector<RecordFile> changed{{"results.csv", "text/csv", "x"}};
  ASSERT_TRUE(write_records(changed, dir).has_value());
  EXPECT_EQ(read(dir / "results.csv"), "x");
  std::filesystem::remove_all(dir.parent_path().parent_path());
}

TEST(WriteRecords, RejectsBadNamesAndUnwritableDirectories) {
  const auto dir = temp_dir("bad");
  for (const char* name : {"", ".", "..", "a/b.pdf"}) {
    auto ok = write_records({{name, "text/plain", "x"}}, dir);
    ASSERT_FALSE(ok.has_value()) << name;
    EXPECT_EQ(ok.error().code, make_error_code(RecordsErrc::invalid_file_name));
  }
  auto ok = write_records({{"a.txt", "text/plain", "x"}}, "/proc/hallvote-records-test");
  ASSERT_FALSE(ok.has_value());
  EXPECT_EQ(ok.error().code, make_error_code(RecordsErrc::io_error));
  EXPECT_CONTAINS(ok.error().detail, "/proc/hallvote-records-test");
}

}  // namespace
}  // namespace hallvote::records
