// The subcommands of hallvote-presidium (exit codes: hallvote/hall/exit_codes.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "hallvote/hall/cli.h"

namespace hallvote::presidium_tool {

void add_ceremony_command(CLI::App& app, int& exit_code);
void add_key_ceremony_commands(CLI::App& app, int& exit_code);
void add_approve_command(CLI::App& app, int& exit_code);
void add_decrypt_command(CLI::App& app, int& exit_code);
void add_cosign_command(CLI::App& app, int& exit_code);
void add_certify_command(CLI::App& app, int& exit_code);
void add_decide_command(CLI::App& app, int& exit_code);

// The default passphrase prefix of demo ceremonies.
inline constexpr const char* kDemoPassphrasePrefix = "hallvote-demo-";

}  // namespace hallvote::presidium_tool
