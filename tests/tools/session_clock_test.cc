#include "hallvote/hall/session_clock.h"

#include <gtest/gtest.h>

namespace hallvote::setup {
namespace {

using namespace std::chrono;

// A moment given in China Standard Time.
system_clock::time_point beijing(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours(hour - 8) + minutes(minute);
}

session::SessionInfo session_of(const std::string& date) {
  session::SessionInfo info;
  info.date = date;
  return info;
}

TEST(SessionClock, NoWarningOnTheSessionsDays) {
  const auto info = session_of("2025-01-08");
  EXPECT_FALSE(clock_warning(info, beijing(2025, 1, 8, 0, 0)));
  EXPECT_FALSE(clock_warning(info, beijing(2025, 1, 9, 23, 59)));
  EXPECT_FALSE(clock_warning(info, beijing(2025, 1, 22, 12)));  // the last day allowed (kSessionDays = 14)
}

TEST(SessionClock, WarnsBeforeTheFirstSittingInBeijingTime) {
  const auto info = session_of("2025-01-08");
  // 2025-01-07 23:30 in Beijing is 15:30 UTC on the 7th: still the day before.
  const auto warning = clock_warning(info, beijing(2025, 1, 7, 23, 30));
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("北京时间 2025年1月7日"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("首次全体会议 2025年1月8日"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("2025-01-07"), std::string::npos) << *warning;
  // 00:30 in Beijing on the 8th is 16:30 UTC on the 7th: the UTC date would wrongly warn.
  EXPECT_FALSE(clock_warning(info, beijing(2025, 1, 8, 0, 30)));
}

TEST(SessionClock, WarnsWellAfterTheSessionAndForAClockYearsOff) {
  const auto info = session_of("2025-01-08");
  EXPECT_TRUE(clock_warning(info, beijing(2025, 1, 23, 0)));
  EXPECT_TRUE(clock_warning(info, beijing(2026, 12, 3, 14)));
  EXPECT_TRUE(clock_warning(info, beijing(1970, 1, 1, 8)));
}

TEST(SessionClock, AnUnreadableDateGivesNoWarning) {
  for (const char* date : {"", "2025-1-8", "2025-02-30", "not a date", "2025-01-08x"}) {
    EXPECT_FALSE(clock_warning(session_of(date), beijing(2030, 1, 1, 0))) << date;
  }
}

}  // namespace
}  // namespace hallvote::setup
