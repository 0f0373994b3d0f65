#include "text.h"

#include <gtest/gtest.h>

#include "pdf.h"

namespace hallvote::records::text {
namespace {

TEST(RecordsText, DatesAreChinaStandardTime) {
  // 2025-01-08T16:00:00Z is midnight of 2025-01-09 in Beijing.
  EXPECT_EQ(date_zh(1736352000000), "2025年1月9日");
  EXPECT_EQ(date_zh(1736351999999), "2025年1月8日");
  EXPECT_EQ(datetime_zh(1736384400000), "2025年1月9日 09:00");
  EXPECT_EQ(iso_datetime(1736384400123), "2025-01-09T09:00:00+08:00");
  EXPECT_EQ(iso_date(0), "1970-01-01");
  EXPECT_EQ(iso_datetime(-1), "1970-01-01T07:59:59+08:00");
  EXPECT_EQ(date_zh(1795363200000), "2026年11月23日");  // 2026-11-22T16:00:00Z
  EXPECT_EQ(date_zh(951753600000), "2000年2月29日");    // leap day, 2000-02-28T16:00:00Z
}

TEST(RecordsText, ChineseNumerals) {
  EXPECT_EQ(chinese_number(1), "一");
  EXPECT_EQ(chinese_number(10), "十");
  EXPECT_EQ(chinese_number(12), "十二");
  EXPECT_EQ(chinese_number(20), "二十");
  EXPECT_EQ(chinese_number(99), "九十九");
  EXPECT_EQ(chinese_number(100), "一百");
  EXPECT_EQ(chinese_number(105), "一百零五");
  EXPECT_EQ(chinese_number(110), "一百一十");
  EXPECT_EQ(chinese_number(1001), "一千零一");
  EXPECT_EQ(chinese_number(12345), "12345");
}

TEST(RecordsText, PercentRoundsHalfUpInIntegers) {
  EXPECT_EQ(percent(1, 3), "33.3%");
  EXPECT_EQ(percent(2, 3), "66.7%");
  EXPECT_EQ(percent(1, 8), "12.5%");  // 12.5 exactly
  EXPECT_EQ(percent(1, 16), "6.3%");  // 6.25 → 6.3
  EXPECT_EQ(percent(0, 5), "0.0%");
  EXPECT_EQ(percent(5, 5), "100.0%");
  EXPECT_EQ(percent(3, 0), "—");
}

TEST(RecordsText, TitlesYieldYearAndLoseDraftMark) {
  EXPECT_EQ(year_of("汉阴县人民政府2025年度民生实事项目差额票决"), "2025");
  EXPECT_EQ(year_of("第十八届2025年会议2024年度"), "2024");
  EXPECT_EQ(year_of("民生实事项目"), "");
  EXPECT_EQ(strip_draft("关于2025年度民生实事项目的决定（草案）"), "关于2025年度民生实事项目的决定");
  EXPECT_EQ(strip_draft("关于…的决定(草案)"), "关于…的决定");
  EXPECT_EQ(strip_draft("决定"), "决定");
  EXPECT_EQ(role_zh("chief_scrutineer"), "总监票人");
  EXPECT_EQ(role_zh("scrutineer"), "监票人");
  EXPECT_EQ(role_zh("presidium_member"), "主席团成员");
}

}  // namespace
}  // namespace hallvote::records::text

namespace hallvote::records::internal {
namespace {

std::vector<std::string> spans(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& [from, to] : unbreakable_ranges(text)) out.push_back(text.substr(from, to - from));
  return out;
}

TEST(LineBreaking, NumbersKeepTheirUnitsAndLinesTheirLastThreeCharacters) {
  EXPECT_EQ(spans("第2轮得票160票，占81.1%，于2025年1月9日投票结束"),
            (std::vector<std::string>{"第2轮", "160票", "81.1%", "2025年1月9日", "票结束"}));
  EXPECT_EQ(spans("城区第三幼儿园建设"), (std::vector<std::string>{"园建设"}));
  EXPECT_EQ(spans("200\n95.7%"), (std::vector<std::string>{"200", "95.7%", ".7%", "200"}));
  EXPECT_EQ(spans("甲"), (std::vector<std::string>{}));
}

}  // namespace
}  // namespace hallvote::records::internal
