// Renders a verification Report for people (Chinese first, then English) and for machines (JSON). The JSON
// fields and the check ids are documented in docs/audit-log.md §10–§11.
#pragma once

#include <string>

#include "hallvote/auditor/log_verifier.h"

namespace hallvote::audit {

// A few lines: the result, counts and root, or the first failing check with its location, field and reason.
[[nodiscard]] std::string render_text(const Report& report, const std::string& input_name);
// One JSON object: {"ok", "entries", "checkpoints", "tree_size", "root", "cosigners", "failure"?}.
[[nodiscard]] std::string render_json(const Report& report, const std::string& input_name);

}  // namespace hallvote::audit
