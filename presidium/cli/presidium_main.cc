// hallvote-presidium: the presidium members' and scrutineers' tool (key ceremony, ballot approval).
#include "commands.h"
#include "hallvote/hall/cli.h"

namespace hallvote::presidium_tool {}  // namespace hallvote::presidium_tool

int main(int argc, char** argv) {
  using namespace hallvote;
  CLI::App app{
      "hallvote-presidium — 主席团与监票人工具 / presidium and scrutineers: key ceremony, ballot approval, "
      "decryption, certification"};
  app.footer(setup::kExitCodesHelp);
  app.require_subcommand(1);
  int exit_code = setup::kExitOk;
  presidium_tool::add_ceremony_command(app, exit_code);
  presidium_tool::add_approve_command(app, exit_code);
  presidium_tool::add_decrypt_command(app, exit_code);
  presidium_tool::add_cosign_command(app, exit_code);
  presidium_tool::add_certify_command(app, exit_code);
  return setup::run_cli(app, argc, argv, exit_code);
}
