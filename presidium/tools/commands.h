// The subcommands of hallvote-presidium (exit codes: hallvote/setup/exit_codes.h).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace hallvote::presidium_tool {

void add_ceremony_command(CLI::App& app, int& exit_code);
void add_approve_command(CLI::App& app, int& exit_code);
void add_decrypt_command(CLI::App& app, int& exit_code);
void add_cosign_command(CLI::App& app, int& exit_code);

// Prints "错误 / error: <message>" to stderr and returns `code`.
int report_error(const std::string& message, int code);

// The default passphrase prefix of demo ceremonies.
inline constexpr const char* kDemoPassphrasePrefix = "hallvote-demo-";

}  // namespace hallvote::presidium_tool
