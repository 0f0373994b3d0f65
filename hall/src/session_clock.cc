#include "hallvote/hall/session_clock.h"

#include <cstdio>

namespace hallvote::setup {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

std::optional<sys_days> parse_iso_date(const std::string& text) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!date.ok()) return std::nullopt;
  return sys_days{date};
}

// "2025年1月8日".
std::string date_zh(sys_days day) {
  const std::chrono::year_month_day date{day};
  return std::to_string(static_cast<int>(date.year())) + "年" +
         std::to_string(static_cast<unsigned>(date.month())) + "月" +
         std::to_string(static_cast<unsigned>(date.day())) + "日";
}

std::string date_iso(sys_days day) {
  const std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace

std::optional<std::string> clock_warning(const session::SessionInfo& info,
                                         std::chrono::system_clock::time_point now) {
  const auto first = parse_iso_date(info.date);
  if (!first) return std::nullopt;
  const sys_days today = std::chrono::floor<days>(now + std::chrono::hours(8));  // China Standard Time
  if (today >= *first && today <= *first + days(kSessionDays)) return std::nullopt;
  return "警告：本机时钟为北京时间 " + date_zh(today) + "，不在本次会议的日期内（首次全体会议 " +
         date_zh(*first) +
         "）。日志中每条记录的时间和决定、公告的日期都取自此时钟，记入后不能更改：请先核对时钟再开始签到 / "
         "warning: "
         "the clock says " +
         date_iso(today) + " (China Standard Time), outside the session (first sitting " + date_iso(*first) +
         "); every log time and the date of the records come from this clock and cannot be corrected later";
}

}  // namespace hallvote::setup
