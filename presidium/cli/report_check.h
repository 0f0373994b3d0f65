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

namespace hallvote::presidium_tool {

struct CheckedReport {
  std::uint64_t sequence = 0;
  protocol::ResultHash hash{};
  nlohmann::json outcome;  // as the log entry holds it
};

// Checks the `result` answer for vote `vote`; the error text is ready to print.
[[nodiscard]] Result<CheckedReport> check_report(const setup::Hall& hall, const std::string& vote,
                                                 const nlohmann::json& answer);

}  // namespace hallvote::presidium_tool
