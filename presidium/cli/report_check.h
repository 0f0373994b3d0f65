// The tally report (计票结果报告单) the server sends in answer to `result`, checked by the member's tool before
// anything is signed about it: the entry is the server's, signed by the hall's server key, its sequence and
// hash are the ones named, and the outcome shown is the entry's. What a member signs (a certification or a
// presidium decision) names the entry by the hash computed here.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "hallvote/common/result.h"
#include "hallvote/hall/hall_dir.h"
#include "hallvote/protocol/certification.h"
#include "member.h"

namespace hallvote::presidium_tool {

struct CheckedReport {
  nlohmann::json answer;  // the server's `result` answer
  std::uint64_t sequence = 0;
  protocol::ResultHash hash{};
  nlohmann::json outcome;  // as the log entry holds it
};

// Asks the server for vote `vote`'s latest tally report and checks it. The refusal is ready to print, with its
// exit code (the server's refusal or a network error as request() gives them; kExitFailed for a report that
// fails its check).
[[nodiscard]] tl::expected<CheckedReport, Refusal> fetch_checked_report(setup::HallClient& client,
                                                                        const setup::Hall& hall,
                                                                        const std::string& vote);

}  // namespace hallvote::presidium_tool
