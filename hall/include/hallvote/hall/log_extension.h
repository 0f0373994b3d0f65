// A checkpoint a server answer carries, checked against the one a terminal or a cosigner already holds: the
// answer's "consistency" field (hex hashes, docs/protocol.md §4.2.5 and §4.5.7) must prove that the new
// checkpoint extends the held one (audit::check_extends). The alarm a rolled-back or forked log raises.
#pragma once

#include <nlohmann/json.hpp>

#include "hallvote/common/result.h"
#include "hallvote/tlog/checkpoint.h"

namespace hallvote::setup {

// Ok when `next` extends `held` by the proof in `answer`; else AuditErrc::inconsistent_checkpoint with the
// reason in English (a malformed proof included).
[[nodiscard]] Status answer_extends(const audit::Checkpoint& held, const audit::Checkpoint& next,
                                    const nlohmann::json& answer);

}  // namespace hallvote::setup
