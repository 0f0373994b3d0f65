// The subcommands of hallvote-server. Each add_*_command registers itself on `app`; when it runs, its result
// (an exit code from hallvote/hall/exit_codes.h) is stored in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include "hallvote/hall/cli.h"

namespace hallvote::server_tool {

void add_init_command(CLI::App& app, int& exit_code);
void add_enrol_command(CLI::App& app, int& exit_code);
void add_cards_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_ctl_command(CLI::App& app, int& exit_code);
void add_display_command(CLI::App& app, int& exit_code);
void add_console_command(CLI::App& app, int& exit_code);

}  // namespace hallvote::server_tool
