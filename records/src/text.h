// Wording helpers shared by the records: dates in China Standard Time, Chinese numerals, percentages in integer
// arithmetic, names of roles and kinds. All pure and deterministic (no locale, no time-zone database).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hallvote::records::text {

// UTC+8 calendar fields of a time in ms since the Unix epoch (China Standard Time has no daylight saving).
struct CivilTime {
  std::int64_t year = 1970;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
};
[[nodiscard]] CivilTime china_time(std::int64_t time_ms);

// "2025年1月9日".
[[nodiscard]] std::string date_zh(std::int64_t time_ms);
// "2025年1月9日 10:05".
[[nodiscard]] std::string datetime_zh(std::int64_t time_ms);
// "2025-01-09T10:05:30+08:00" (ISO 8601, as Cairo's PDF date metadata takes it).
[[nodiscard]] std::string iso_datetime(std::int64_t time_ms);
// "2025-01-09".
[[nodiscard]] std::string iso_date(std::int64_t time_ms);

// Chinese numerals as used in enumerations: 1 "一", 10 "十", 12 "十二", 20 "二十", 105 "一百零五"; above 9999
// the decimal digits.
[[nodiscard]] std::string chinese_number(std::uint64_t n);

// count/total as a percentage with one decimal, rounded half up, in integers: (1, 3) "33.3%"; total 0: "—".
[[nodiscard]] std::string percent(std::uint64_t count, std::uint64_t total);

// The first "<4 digits>年度" in `title`, as the 4 digits; empty when there is none.
[[nodiscard]] std::string year_of(std::string_view title);

// `title` without a trailing "（草案）" or "(草案)".
[[nodiscard]] std::string strip_draft(std::string_view title);

// "总监票人", "监票人", "主席团成员" for the role names of the log; the name itself otherwise.
[[nodiscard]] std::string role_zh(std::string_view role);

}  // namespace hallvote::records::text
