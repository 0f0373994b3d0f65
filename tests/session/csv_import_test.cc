#include "hallvote/session/csv_import.h"

#include <gtest/gtest.h>

namespace hallvote::session {
namespace {

const std::string kKey(64, 'A');

TEST(ParseCsv, HandlesBomCrlfQuotesEmbeddedCommasNewlinesAndEscapedQuotes) {
  Diagnostics diagnostics;
  const CsvTable table = parse_csv(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n2,\"two\nlines\",z\r\n",
      "t.csv", diagnostics);
  ASSERT_TRUE(diagnostics.empty()) << join(diagnostics);
  EXPECT_EQ(table.header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].fields[1], "x, y");
  EXPECT_EQ(table.rows[0].fields[2], "say \"hi\"");
  EXPECT_EQ(table.rows[1].line, 4u);
  EXPECT_EQ(table.rows[1].fields[1], "two\nlines");
}

TEST(ImportRoster, AcceptsEnglishHeadersInAnyOrderAndNormalizesKeys) {
  Diagnostics diagnostics;
  const CsvImport<Deputy> roster =
      import_roster_csv("credential_key,name,id,in_office\n" + kKey + ",王一,D1,false\n", "r.csv", diagnostics);
  ASSERT_TRUE(diagnostics.empty()) << join(diagnostics);
  ASSERT_EQ(roster.records.size(), 1u);
  EXPECT_EQ(roster.records[0].id, "D1");
  EXPECT_EQ(roster.records[0].credential_key, std::string(64, 'a'));
  EXPECT_FALSE(roster.records[0].in_office);
  EXPECT_EQ(roster.lines[0], 2u);
}

TEST(ImportProjects, ReadsChineseHeadersIgnoresSerialNumbersAndKeepsBudgetExact) {
  Diagnostics diagnostics;
  const CsvImport<Project> projects = import_projects_csv(
      "序号,项目编号,项目名称,类别,预算(万元),责任单位\n1,P1,乡镇卫生院改造,医疗卫生,\"1,850.25\",县卫健局\n",
      "p.csv", diagnostics);
  ASSERT_TRUE(diagnostics.empty()) << join(diagnostics);
  ASSERT_EQ(projects.records.size(), 1u);
  EXPECT_EQ(projects.records[0].budget_yuan, 18'502'500);
  EXPECT_EQ(projects.records[0].lead_department, "县卫健局");
}

TEST(ImportProjects, ReportsEveryBadRowWithLineAndHeader) {
  Diagnostics diagnostics;
  const CsvImport<Project> projects = import_projects_csv(
      "编号,名称,类别,预算,牵头单位\nP1,甲,教育,abc,局\nP2,乙,教育,1.00001,局\nP3,,教育,5,局\n", "p.csv",
      diagnostics);
  ASSERT_EQ(diagnostics.size(), 3u) << join(diagnostics);
  EXPECT_EQ(diagnostics[0].text(),
            "p.csv 第2行 字段“预算”：不是有效的金额（万元，最多4位小数） / p.csv line 2 field '预算': not an "
            "amount in "
            "万元 (at most 4 decimals)");
  EXPECT_EQ(diagnostics[1].line, 3u);
  EXPECT_EQ(diagnostics[2].code, SessionErrc::missing_field);
  EXPECT_EQ(diagnostics[2].field, "名称");
  EXPECT_EQ(projects.records.size(), 3u);
}

TEST(ImportRoster, ReadsAnNpcScaleRoster) {
  std::string csv = "代表编号,姓名,代表团,座位号,公钥,是否在任\n";
  for (int i = 0; i < 3000; ++i) {
    std::string key = std::to_string(1'000'000 + i);
    key.insert(0, 64 - key.size(), '0');
    csv += "D" + std::to_string(i) + ",代表,第1代表团,1排1座," + key + ",是\n";
  }
  Diagnostics diagnostics;
  const CsvImport<Deputy> roster = import_roster_csv(csv, "npc.csv", diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_EQ(roster.records.size(), 3000u);
}

}  // namespace
}  // namespace hallvote::session
