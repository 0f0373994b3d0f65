#include "hallvote/session/loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace hallvote::session {
namespace {

const std::string kKeyA(64, 'a');
const std::string kKeyB(64, 'b');

const std::string kRosterCsv =
    "\xEF\xBB\xBF"
    "代表编号,姓名,代表团,座位号,公钥,是否在任\r\n"
    "D1,王一,第一代表小组,1排1座," +
    std::string(64, 'c') +
    ",是\r\n"
    "D2,李二,第一代表小组,1排2座," +
    std::string(64, 'd') +
    ",是\r\n"
    "D3,张三,第二代表小组,1排3座," +
    std::string(64, 'e') + ",否\r\n";

const std::string kSession = R"(format_version = 1

[session]
id = "test-1-1"
body = "测试镇第一届人民代表大会第一次会议"
level = "township"
date = 2025-01-03

[roster]
csv = "roster.csv"

[key_committee]
quorum = 2

[[key_committee.members]]
id = "P01"
name = "王一"
role = "presidium_member"
deputy_id = "D1"
public_key = ")" + kKeyA + R"("

[[key_committee.members]]
id = "C01"
name = "李二"
role = "chief_scrutineer"
public_key = ")" + kKeyB + R"("

[[projects.items]]
id = "X1"
title = "学校操场改造"
category = "教育"
budget_wan = 120
lead_department = "镇教育办"

[[projects.items]]
id = "X2"
title = "自来水管网改造"
category = "城乡建设"
budget_wan = "95.5"
lead_department = "镇村镇建设办"

[[projects.items]]
id = "X3"
title = "产业路硬化"
category = "交通出行"
budget_wan = 150
lead_department = "镇农业服务站"

[[motions]]
id = "M1"
title = "关于民生实事项目的决定（草案）"

[[votes]]
id = "V1"
title = "差额票决"
kind = "choose"
items = ["X1", "X2", "X3"]
places = 2

[[votes]]
id = "V2"
title = "通过决定"
kind = "per_item"
items = ["M1"]
)";

// Returns `text` with the first occurrence of `from` replaced by `to`; the test fails if `from` is absent.
std::string with(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture lacks: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

FileReader files(std::map<std::string, std::string> contents) {
  return [contents = std::move(contents)](const std::string& name) -> Result<std::string> {
    const auto it = contents.find(name);
    if (it == contents.end()) return fail(SessionErrc::unreadable_file, name);
    return it->second;
  };
}

// A projects CSV with a malformed budget (line 3) and an empty lead department (line 2).
const std::string kProjectsCsv =
    "序号,项目编号,项目名称,类别,预算（万元）,牵头单位,项目简介\n"
    "1,Y1,卫生院改造,医疗卫生,\"1,850\",,改造业务用房\n"
    "2,Y2,老旧小区改造,住房保障,25百,县住建局,\"改造小区18个，\n涉及住户1960户\"\n";

LoadReport load(const std::string& toml, const std::string& roster = kRosterCsv) {
  return parse_session(toml, "test.toml", files({{"roster.csv", roster}, {"projects.csv", kProjectsCsv}}));
}

TEST(Loader, ValidFixtureLoadsEveryPart) {
  const LoadReport report = load(kSession);
  ASSERT_TRUE(report.definition) << join(report.diagnostics);
  const SessionDefinition& def = *report.definition;
  EXPECT_EQ(def.info.body, "测试镇第一届人民代表大会第一次会议");
  EXPECT_EQ(def.info.level, Level::township);
  EXPECT_EQ(def.info.date, "2025-01-03");
  EXPECT_EQ(def.roster.size(), 3u);
  EXPECT_EQ(def.deputies_in_office(), 2u);
  EXPECT_EQ(def.roster[0].delegation, "第一代表小组");
  EXPECT_EQ(def.key_committee.quorum, 2u);
  EXPECT_EQ(def.key_committee.members[1].role, OfficialRole::chief_scrutineer);
  EXPECT_EQ(def.projects[1].budget_yuan, 955'000);
  EXPECT_EQ(def.rules, RulesConfig{});
  ASSERT_EQ(def.votes.size(), 2u);
  EXPECT_EQ(def.votes[0].kind, VoteKind::choose);
  EXPECT_EQ(def.votes[0].places, 2u);
  EXPECT_EQ(def.votes[0].threshold_base, ThresholdBase::in_office);
  EXPECT_EQ(def.item_title("M1"), "关于民生实事项目的决定（草案）");
}

TEST(Loader, RulesSectionOverridesDefaultsAndVotesOverrideRules) {
  std::string toml = with(kSession, "[roster]",
                          "[rules]\nquorum = \"3/4\"\nthreshold_base = \"present\"\nshortfall_policy = "
                          "\"accept_fewer\"\ntie_revote = \"majority\"\nshortfall_run_offs = 2\n\n[roster]");
  toml = with(toml, "places = 2", "places = 2\nthreshold_base = \"valid\"\ntie_revote = \"plurality\"");
  const LoadReport report = load(toml);
  ASSERT_TRUE(report.definition) << join(report.diagnostics);
  EXPECT_EQ(report.definition->rules.quorum, (Fraction{3, 4}));
  EXPECT_EQ(report.definition->votes[0].threshold_base, ThresholdBase::valid);
  EXPECT_EQ(report.definition->votes[0].shortfall, ShortfallPolicy::accept_fewer);
  EXPECT_EQ(report.definition->votes[1].threshold_base, ThresholdBase::present);
  EXPECT_EQ(report.definition->rules.tie_revote, TieRevoteRule::majority);
  EXPECT_EQ(report.definition->votes[0].tie_revote, TieRevoteRule::plurality);
  EXPECT_EQ(report.definition->votes[0].shortfall_run_offs, 2u);
}

TEST(Loader, TieRevoteAndShortfallRunOffsHaveTheDocumentedDefaults) {
  const LoadReport report = load(kSession);
  ASSERT_TRUE(report.definition) << join(report.diagnostics);
  EXPECT_EQ(report.definition->votes[0].tie_revote, TieRevoteRule::plurality);
  EXPECT_EQ(report.definition->votes[0].shortfall_run_offs, 1u);
}

TEST(Loader, AKeyCommitteeWithoutAQuorumIsDecryptedByAMajority) {
  // Two members: ⌊2/2⌋ + 1 = 2; with a third, still 2; with a fourth, 3.
  const std::string kKeyC(64, 'e');
  const std::string kKeyD(64, 'f');
  const std::string third =
      "[[key_committee.members]]\nid = \"S01\"\nname = \"张三\"\nrole = \"scrutineer\"\n"
      "public_key = \"" +
      kKeyC + "\"\n\n";
  const std::string fourth =
      "[[key_committee.members]]\nid = \"S02\"\nname = \"赵四\"\nrole = \"scrutineer\"\n"
      "public_key = \"" +
      kKeyD + "\"\n\n";
  const std::string without = with(kSession, "quorum = 2\n", "");
  const LoadReport two = load(without);
  ASSERT_TRUE(two.definition) << join(two.diagnostics);
  EXPECT_EQ(two.definition->key_committee.quorum, 2u);
  const LoadReport three = load(with(without, "[[projects.items]]", third + "[[projects.items]]"));
  ASSERT_TRUE(three.definition) << join(three.diagnostics);
  EXPECT_EQ(three.definition->key_committee.quorum, 2u);
  const LoadReport four = load(with(without, "[[projects.items]]", third + fourth + "[[projects.items]]"));
  ASSERT_TRUE(four.definition) << join(four.diagnostics);
  EXPECT_EQ(four.definition->key_committee.quorum, 3u);
}

struct BadCase {
  const char* name;
  std::string toml;
  std::string roster;
  SessionErrc code;
  std::string field;  // expected substring of the diagnostic's field
  std::size_t line;   // expected line, or 0 for "any"
};

std::vector<BadCase> bad_cases() {
  const std::string& s = kSession;
  const std::string& r = kRosterCsv;
  return {
      {"utf8_toml", with(s, "学校操场改造", "\xE5\xAD"), r, SessionErrc::invalid_utf8, "", 30},
      {"utf8_csv", s, with(r, "王一", "\xFF\xFE"), SessionErrc::invalid_utf8, "", 2},
      {"toml_syntax", with(s, "places = 2", "places = = 2"), r, SessionErrc::toml_syntax, "", 0},
      {"version", with(s, "format_version = 1", "format_version = 2"), r,
       SessionErrc::unsupported_format_version, "format_version", 1},
      {"version_missing", with(s, "format_version = 1", ""), r, SessionErrc::missing_field, "format_version",
       0},
      {"missing_body", with(s, "body = \"测试镇第一届人民代表大会第一次会议\"", ""), r,
       SessionErrc::missing_field, "session.body", 0},
      {"empty_title", with(s, "title = \"学校操场改造\"", "title = \"  \""), r, SessionErrc::missing_field,
       "projects.items[1].title", 30},
      {"wrong_type", with(s, "places = 2", "places = \"two\""), r, SessionErrc::wrong_type, "votes[1].places",
       0},
      {"wrong_type_date", with(s, "date = 2025-01-03", "date = 20250103"), r, SessionErrc::wrong_type,
       "session.date", 7},
      {"unknown_field", with(s, "places = 2", "places = 2\nplaces_typo = 3"), r, SessionErrc::unknown_field,
       "votes[1].places_typo", 0},
      {"invalid_level", with(s, "level = \"township\"", "level = \"city\""), r, SessionErrc::invalid_value,
       "session.level", 6},
      {"invalid_kind", with(s, "kind = \"choose\"", "kind = \"rank\""), r, SessionErrc::invalid_value,
       "votes[1].kind", 0},
      {"invalid_budget", with(s, "budget_wan = 120", "budget_wan = -5"), r, SessionErrc::invalid_value,
       "projects.items[1].budget_wan", 0},
      {"invalid_quorum_fraction", with(s, "[roster]", "[rules]\nquorum = \"3/2\"\n[roster]"), r,
       SessionErrc::invalid_value, "rules.quorum", 0},
      {"invalid_base", with(s, "places = 2", "places = 2\nthreshold_base = \"most\""), r,
       SessionErrc::invalid_value, "votes[1].threshold_base", 0},
      {"places_on_per_item", with(s, "items = [\"M1\"]", "items = [\"M1\"]\nplaces = 1"), r,
       SessionErrc::invalid_value, "votes[2].places", 0},
      {"in_office_word", s, with(r, ",否\r\n", ",也许\r\n"), SessionErrc::invalid_value, "是否在任", 4},
      {"projects_csv_missing",
       with(s, "[[projects.items]]\nid = \"X1\"",
            "[projects]\ncsv = \"none.csv\"\n[[projects.items]]\nid = \"X1\""),
       r, SessionErrc::unreadable_file, "projects.csv", 0},
      {"projects_csv_budget",
       with(s, "[[projects.items]]\nid = \"X1\"",
            "[projects]\ncsv = \"projects.csv\"\n[[projects.items]]\nid = \"X1\""),
       r, SessionErrc::invalid_value, "预算（万元）", 3},
      {"projects_csv_missing_cell",
       with(s, "[[projects.items]]\nid = \"X1\"",
            "[projects]\ncsv = \"projects.csv\"\n[[projects.items]]\nid = \"X1\""),
       r, SessionErrc::missing_field, "牵头单位", 2},
      {"duplicate_project", with(s, "id = \"X2\"", "id = \"X1\""), r, SessionErrc::duplicate_id,
       "projects.items[2].id", 0},
      {"duplicate_motion_vs_project", with(s, "id = \"M1\"", "id = \"X3\""), r, SessionErrc::duplicate_id,
       "motions[1].id", 0},
      {"duplicate_deputy", s, with(r, "D2,", "D1,"), SessionErrc::duplicate_id, "id", 3},
      {"duplicate_vote", with(s, "id = \"V2\"", "id = \"V1\""), r, SessionErrc::duplicate_id, "votes[2].id", 0},
      {"unknown_item", with(s, "items = [\"X1\", \"X2\", \"X3\"]", "items = [\"X1\", \"X2\", \"X9\"]"), r,
       SessionErrc::unknown_reference, "votes[1].items[3]", 0},
      {"motion_in_choose", with(s, "items = [\"X1\", \"X2\", \"X3\"]", "items = [\"X1\", \"X2\", \"M1\"]"), r,
       SessionErrc::unknown_reference, "votes[1].items[3]", 0},
      {"unknown_deputy_of_official", with(s, "deputy_id = \"D1\"", "deputy_id = \"D9\""), r,
       SessionErrc::unknown_reference, "key_committee.members[1].deputy_id", 0},
      {"item_twice", with(s, "items = [\"X1\", \"X2\", \"X3\"]", "items = [\"X1\", \"X2\", \"X2\"]"), r,
       SessionErrc::duplicate_id, "votes[1].items[3]", 0},
      {"places_exceed", with(s, "places = 2", "places = 4"), r, SessionErrc::invalid_limit, "votes[1].places",
       0},
      {"places_zero", with(s, "places = 2", "places = 0"), r, SessionErrc::invalid_limit, "votes[1].places", 0},
      {"min_exceeds_places", with(s, "places = 2", "places = 2\nmin_selections = 3"), r,
       SessionErrc::invalid_limit, "votes[1].min_selections", 0},
      {"any_minimum_refuses_valid_ballots", with(s, "places = 2", "places = 2\nmin_selections = 1"), r,
       SessionErrc::invalid_limit, "votes[1].min_selections", 0},
      {"tie_revote_unknown", with(s, "places = 2", "places = 2\ntie_revote = \"lottery\""), r,
       SessionErrc::invalid_value, "votes[1].tie_revote", 0},
      {"shortfall_run_offs_above_nine", with(s, "places = 2", "places = 2\nshortfall_run_offs = 10"), r,
       SessionErrc::invalid_value, "votes[1].shortfall_run_offs", 0},
      {"tie_revote_on_per_item",
       with(s, "kind = \"per_item\"", "kind = \"per_item\"\ntie_revote = \"majority\""), r,
       SessionErrc::invalid_value, "tie_revote", 0},
      {"motion_in_satisfaction", with(s, "kind = \"per_item\"", "kind = \"satisfaction\""), r,
       SessionErrc::unknown_reference, "votes[2].items[1]", 0},
      {"max_satisfied",
       with(s, "kind = \"choose\"\nitems = [\"X1\", \"X2\", \"X3\"]\nplaces = 2",
            "kind = \"satisfaction\"\nitems = [\"X1\", \"X2\", \"X3\"]\nmax_satisfied = 4"),
       r, SessionErrc::invalid_limit, "votes[1].max_satisfied", 0},
      {"missing_key_csv", s, with(r, std::string(64, 'd'), ""), SessionErrc::missing_credential_key, "公钥", 3},
      {"bad_key_csv", s, with(r, std::string(64, 'd'), std::string(63, 'd') + "g"),
       SessionErrc::invalid_credential_key, "公钥", 3},
      {"short_key_toml", with(s, kKeyA, "abcd"), r, SessionErrc::invalid_credential_key,
       "key_committee.members[1].public_key", 0},
      {"missing_key_toml", with(s, "public_key = \"" + kKeyB + "\"", ""), r,
       SessionErrc::missing_credential_key, "key_committee.members[2].public_key", 0},
      {"duplicate_key", s, with(r, std::string(64, 'd'), std::string(64, 'C')),
       SessionErrc::duplicate_credential_key, "credential_key", 3},
      {"duplicate_member_key", with(s, kKeyB, kKeyA), r, SessionErrc::duplicate_credential_key,
       "key_committee.members[2].public_key", 0},
      {"quorum_too_big", with(s, "quorum = 2", "quorum = 3"), r, SessionErrc::impossible_quorum,
       "key_committee.quorum", 0},
      {"quorum_zero", with(s, "quorum = 2", "quorum = 0"), r, SessionErrc::impossible_quorum,
       "key_committee.quorum", 0},
      {"empty_items", with(s, "items = [\"M1\"]", "items = []"), r, SessionErrc::empty_list, "votes[2].items",
       0},
      {"empty_roster", s, "代表编号,姓名,公钥\n", SessionErrc::empty_list, "roster", 0},
      {"csv_quote", s, r + "D4,\"赵四,第二代表小组,1排4座,x,是\n", SessionErrc::csv_syntax, "", 5},
      {"csv_field_count", s, r + "D4,赵四\n", SessionErrc::csv_syntax, "", 5},
      {"csv_missing_column", s, "代表编号,姓名\nD1,王一\n", SessionErrc::csv_missing_column, "credential_key",
       1},
      {"csv_unknown_column", s, with(r, "座位号", "坐位"), SessionErrc::csv_unknown_column, "坐位", 1},
      {"csv_missing_file", with(s, "csv = \"roster.csv\"", "csv = \"nobody.csv\""), r,
       SessionErrc::unreadable_file, "roster.csv", 0},
  };
}

TEST(Loader, ReportsEachProblemWithItsCodeFieldAndLine) {
  for (const BadCase& c : bad_cases()) {
    SCOPED_TRACE(c.name);
    const LoadReport report = load(c.toml, c.roster);
    EXPECT_FALSE(report.definition);
    const auto match =
        std::find_if(report.diagnostics.begin(), report.diagnostics.end(), [&](const Diagnostic& d) {
          return d.code == c.code && d.field.find(c.field) != std::string::npos &&
                 (c.line == 0 || d.line == c.line);
        });
    EXPECT_NE(match, report.diagnostics.end()) << "got:\n" << join(report.diagnostics);
  }
}

TEST(Loader, ReportsEveryProblemNotJustTheFirst) {
  std::string toml = with(kSession, "places = 2", "places = 5");
  toml = with(toml, "id = \"X2\"", "id = \"X1\"");
  toml = with(toml, "quorum = 2", "quorum = 7");
  const std::string roster = with(kRosterCsv, std::string(64, 'd'), "nothex");
  const LoadReport report = load(toml, roster);
  EXPECT_FALSE(report.definition);
  std::set<SessionErrc> codes;
  for (const Diagnostic& d : report.diagnostics) codes.insert(d.code);
  EXPECT_TRUE(codes.count(SessionErrc::invalid_limit));
  EXPECT_TRUE(codes.count(SessionErrc::duplicate_id));
  EXPECT_TRUE(codes.count(SessionErrc::impossible_quorum));
  EXPECT_TRUE(codes.count(SessionErrc::invalid_credential_key));
}

TEST(Loader, DiagnosticTextIsChineseThenEnglishWithFileLineAndField) {
  const LoadReport report = load(with(kSession, "places = 2", "places = 4"));
  ASSERT_EQ(report.diagnostics.size(), 1u) << join(report.diagnostics);
  EXPECT_EQ(report.diagnostics[0].text(),
            "test.toml 第53行 字段“votes[1].places”：应选数 4 大于候选项目数 3 / test.toml line 53 field "
            "'votes[1].places': places N = 4 exceeds the 3 candidates M");
}

TEST(Loader, LoadSessionFoldsDiagnosticsIntoInvalidDefinition) {
  const Result<SessionDefinition> missing = load_session("/nonexistent/session.toml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, SessionErrc::invalid_definition);
  EXPECT_NE(missing.error().detail.find("session.toml"), std::string::npos);
}

TEST(Loader, DirectoryReaderRefusesPathsOutsideItsFolder) {
  const FileReader read = directory_reader(HALLVOTE_SOURCE_DIR "/examples/sessions");
  EXPECT_FALSE(read("../../CMakeLists.txt"));
  EXPECT_FALSE(read("/etc/hostname"));
  EXPECT_TRUE(read("jianchi-township-roster.csv"));
}

TEST(Loader, CountyExampleLoads) {
  const Result<SessionDefinition> def =
      load_session(HALLVOTE_SOURCE_DIR "/examples/sessions/hanyin-county.toml");
  ASSERT_TRUE(def) << def.error().message();
  EXPECT_EQ(def->info.body, "汉阴县第十八届人民代表大会第三次会议");
  EXPECT_EQ(def->roster.size(), 250u);
  EXPECT_EQ(def->deputies_in_office(), 247u);
  EXPECT_EQ(def->projects.size(), 23u);
  EXPECT_EQ(def->find_project("HY2025-13")->budget_yuan, 13'805'000);
  ASSERT_EQ(def->votes.size(), 3u);
  EXPECT_EQ(def->votes[0].items.size(), 13u);
  EXPECT_EQ(def->votes[0].places, 10u);
  EXPECT_EQ(def->votes[1].kind, VoteKind::satisfaction);
  EXPECT_EQ(def->votes[1].items.size(), 10u);
  EXPECT_EQ(def->votes[2].items.size(), 1u);
  EXPECT_EQ(def->key_committee.members.size(), 9u);
  EXPECT_EQ(def->key_committee.quorum, 3u);
}

TEST(Loader, TownshipExampleLoads) {
  const Result<SessionDefinition> def =
      load_session(HALLVOTE_SOURCE_DIR "/examples/sessions/jianchi-township.toml");
  ASSERT_TRUE(def) << def.error().message();
  EXPECT_EQ(def->info.level, Level::township);
  EXPECT_EQ(def->roster.size(), 50u);
  EXPECT_EQ(def->deputies_in_office(), 49u);
  ASSERT_EQ(def->votes.size(), 2u);
  EXPECT_EQ(def->votes[0].items.size(), 4u);
  EXPECT_EQ(def->votes[0].places, 3u);
  EXPECT_EQ(def->votes[1].kind, VoteKind::per_item);
}

}  // namespace
}  // namespace hallvote::session

namespace hallvote::session {
namespace {

// Regression (tests/fuzz/session): a malformed key in a table header is a syntax error with its line, not an
// assertion inside the TOML library.
TEST(Loader, MalformedTableHeaderKeyIsASyntaxError) {
  const FileReader no_files = [](const std::string& path) -> Result<std::string> {
    return fail(std::errc::no_such_file_or_directory, path);
  };
  const LoadReport report =
      parse_session("[session]\nid = \"x\"\n\n[[ \xe5\xa7\x93 ]]\nkind = \"per_item\"\n", "bad.toml", no_files);
  ASSERT_FALSE(report.definition);
  ASSERT_EQ(report.diagnostics.size(), 1u) << join(report.diagnostics);
  EXPECT_EQ(report.diagnostics[0].code, SessionErrc::toml_syntax);
  EXPECT_EQ(report.diagnostics[0].line, 4u);
}

}  // namespace
}  // namespace hallvote::session
