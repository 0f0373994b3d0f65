// hallvote-presidium: the presidium members' and scrutineers' tool (key ceremony, ballot approval).
#include <iostream>

#include "commands.h"
#include "hallvote/setup/exit_codes.h"

namespace hallvote::presidium_tool {

int report_error(const std::string& message, int code) {
  std::cerr << "错误 / error: " << message << "\n";
  return code;
}

}  // namespace hallvote::presidium_tool

int main(int argc, char** argv) {
  using namespace hallvote;
  CLI::App app{"hallvote-presidium — 主席团与监票人工具 / presidium and scrutineers: key ceremony, ballot approval, decryption"};
  app.footer(setup::kExitCodesHelp);
  app.require_subcommand(1);
  int exit_code = setup::kExitOk;
  presidium_tool::add_ceremony_command(app, exit_code);
  presidium_tool::add_approve_command(app, exit_code);
  presidium_tool::add_decrypt_command(app, exit_code);
  presidium_tool::add_cosign_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : setup::kExitUsage;
  } catch (const std::exception& e) {
    return presidium_tool::report_error(std::string("unexpected: ") + e.what(), setup::kExitFailed);
  }
  return exit_code;
}
