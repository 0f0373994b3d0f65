// The server's clock against the session's dates. Every log entry's time — and so the date printed on the
// 决定 and 公告 (docs/records.md §1) — comes from the server's clock, and a time in the log cannot be corrected
// afterwards; so the server warns at start when its clock is plainly outside the session: before the day of
// the first sitting (China Standard Time, UTC+8), or more than kSessionDays days after it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "hallvote/session/definition.h"

namespace hallvote::setup {

// Days after the first sitting a session may still be sitting (county and township sessions last days, not
// weeks); a clock further on is most likely wrong.
inline constexpr int kSessionDays = 14;

// The warning ("中文 / English", naming both dates) when `now` is outside the session's days, else nullopt. A
// session date that is not an ISO date (the loader guarantees one) gives no warning.
[[nodiscard]] std::optional<std::string> clock_warning(const session::SessionInfo& info,
                                                       std::chrono::system_clock::time_point now);

}  // namespace hallvote::setup
