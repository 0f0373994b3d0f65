// hallvote-server: set up and run the hall's ballot server (docs/protocol.md).
#include "commands.h"
#include "hallvote/hall/cli.h"

namespace hallvote::server_tool {}  // namespace hallvote::server_tool

int main(int argc, char** argv) {
  using namespace hallvote;
  CLI::App app{"hallvote-server — 会场投票服务器 / the session hall's ballot server"};
  app.footer(setup::kExitCodesHelp);
  app.require_subcommand(1);
  int exit_code = setup::kExitOk;
  server_tool::add_init_command(app, exit_code);
  server_tool::add_enrol_command(app, exit_code);
  server_tool::add_cards_command(app, exit_code);
  server_tool::add_run_command(app, exit_code);
  server_tool::add_ctl_command(app, exit_code);
  server_tool::add_display_command(app, exit_code);
  server_tool::add_console_command(app, exit_code);
  return setup::run_cli(app, argc, argv, exit_code);
}
