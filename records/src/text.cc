#include "text.h"

#include <array>
#include <cstdio>

namespace hallvote::records::text {
namespace {

// Days since 1970-01-01 to the proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms", civil_from_days).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::string two(unsigned v) {
  std::array<char, 8> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%02u", v);
  return buffer.data();
}

}  // namespace

CivilTime china_time(std::int64_t time_ms) {
  constexpr std::int64_t kOffsetMs = 8 * 3600 * 1000;
  const std::int64_t local_ms = time_ms + kOffsetMs;
  const std::int64_t seconds = floor_div(local_ms, 1000);
  const std::int64_t days = floor_div(seconds, 86400);
  const auto of_day = static_cast<unsigned>(seconds - days * 86400);
  CivilTime t;
  civil_from_days(days, t.year, t.month, t.day);
  t.hour = of_day / 3600;
  t.minute = of_day / 60 % 60;
  t.second = of_day % 60;
  return t;
}

std::string date_zh(std::int64_t time_ms) {
  const CivilTime t = china_time(time_ms);
  return std::to_string(t.year) + "年" + std::to_string(t.month) + "月" + std::to_string(t.day) + "日";
}

std::string datetime_zh(std::int64_t time_ms) {
  const CivilTime t = china_time(time_ms);
  return date_zh(time_ms) + " " + two(t.hour) + ":" + two(t.minute);
}

std::string iso_date(std::int64_t time_ms) {
  const CivilTime t = china_time(time_ms);
  std::string year = std::to_string(t.year);
  while (year.size() < 4) year.insert(0, "0");
  return year + "-" + two(t.month) + "-" + two(t.day);
}

std::string iso_datetime(std::int64_t time_ms) {
  const CivilTime t = china_time(time_ms);
  return iso_date(time_ms) + "T" + two(t.hour) + ":" + two(t.minute) + ":" + two(t.second) + "+08:00";
}

std::string chinese_number(std::uint64_t n) {
  static constexpr std::array<std::string_view, 10> kDigits = {"零", "一", "二", "三", "四",
                                                               "五", "六", "七", "八", "九"};
  static constexpr std::array<std::string_view, 4> kUnits = {"", "十", "百", "千"};
  if (n > 9999) return std::to_string(n);
  if (n == 0) return "零";
  if (n >= 10 && n < 20) return "十" + (n == 10 ? std::string() : std::string(kDigits[n - 10]));
  std::string out;
  bool pending_zero = false;
  for (int place = 3; place >= 0; --place) {
    std::uint64_t divisor = 1;
    for (int i = 0; i < place; ++i) divisor *= 10;
    const std::uint64_t digit = n / divisor % 10;
    if (digit == 0) {
      if (!out.empty()) pending_zero = true;
      continue;
    }
    if (pending_zero) out += kDigits[0];
    pending_zero = false;
    out += kDigits[digit];
    out += kUnits[static_cast<std::size_t>(place)];
  }
  return out;
}

std::string percent(std::uint64_t count, std::uint64_t total) {
  if (total == 0) return "—";
  const std::uint64_t tenths = (count * 2000 + total) / (2 * total);  // round(count * 1000 / total), half up
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

std::string year_of(std::string_view title) {
  constexpr std::string_view kMarker = "年度";
  for (std::size_t at = title.find(kMarker); at != std::string_view::npos; at = title.find(kMarker, at + 1)) {
    if (at < 4) continue;
    const std::string_view digits = title.substr(at - 4, 4);
    bool all = true;
    for (char c : digits) all = all && c >= '0' && c <= '9';
    if (all) return std::string(digits);
  }
  return {};
}

std::string strip_draft(std::string_view title) {
  for (std::string_view suffix : {std::string_view("（草案）"), std::string_view("(草案)")}) {
    if (title.size() >= suffix.size() && title.substr(title.size() - suffix.size()) == suffix) {
      return std::string(title.substr(0, title.size() - suffix.size()));
    }
  }
  return std::string(title);
}

std::string role_zh(std::string_view role) {
  if (role == "chief_scrutineer") return "总监票人";
  if (role == "scrutineer") return "监票人";
  if (role == "presidium_member") return "主席团成员";
  return std::string(role);
}

}  // namespace hallvote::records::text
