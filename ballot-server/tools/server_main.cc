// hallvote-server: set up and run the hall's ballot server (docs/protocol.md).
#include <iostream>

#include "commands.h"
#include "hallvote/setup/exit_codes.h"

namespace hallvote::server_tool {

int report_error(const std::string& message, int code) {
  std::cerr << "错误 / error: " << message << "\n";
  return code;
}

}  // namespace hallvote::server_tool

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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : setup::kExitUsage;
  } catch (const std::exception& e) {
    return server_tool::report_error(std::string("unexpected: ") + e.what(), setup::kExitFailed);
  }
  return exit_code;
}
