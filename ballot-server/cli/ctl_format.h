// Readable Chinese (and English) summaries of the server's answers to console commands.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "hallvote/session/definition.h"

namespace hallvote::server_tool {

// `command` is the ctl command name (e.g. "progress"); `body` the server's ok response.
[[nodiscard]] std::string format_answer(const session::SessionDefinition& session, const std::string& command,
                                        const nlohmann::json& body);

}  // namespace hallvote::server_tool
