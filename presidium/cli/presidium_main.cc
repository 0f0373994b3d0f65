// hallvote-presidium: the presidium members' and scrutineers' tool (key ceremony, ballot approval, decryption,
// certification, cosigning). Every signature is shown first and confirmed by the member.
#include <iostream>
#include <string_view>
#include <vector>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/presidium/passphrase.h"

namespace {

// "ceremony, approve, decrypt, cosign, certify": the subcommands' names, for the errors that need them.
std::string subcommand_list(CLI::App& app) {
  std::string names;
  for (const CLI::App* command : app.get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + command->get_name();
  }
  return names;
}

bool is_subcommand(CLI::App& app, const std::string& name) {
  for (const CLI::App* command : app.get_subcommands({})) {
    if (command->get_name() == name) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hallvote;
  CLI::App app{
      "hallvote-presidium — "
      "主席团与监票人工具：审核批准选票、解密份额、签署计票结果报告单、联署日志；每次签署前"
      "显示所签内容并要求输入“是”确认 / presidium and scrutineers: approve ballots, decrypt shares, certify "
      "tally "
      "reports, cosign the log; every signature is shown first and confirmed"};
  app.footer(std::string("每个子命令的说明：hallvote-presidium <子命令> --help / each subcommand's help: "
                         "hallvote-presidium <subcommand> --help\n") +
             setup::kExitCodesHelp);
  app.require_subcommand(1);
  int exit_code = setup::kExitOk;
  presidium_tool::add_key_ceremony_commands(app, exit_code);
  presidium_tool::add_ceremony_command(app, exit_code);
  presidium_tool::add_approve_command(app, exit_code);
  presidium_tool::add_decrypt_command(app, exit_code);
  presidium_tool::add_cosign_command(app, exit_code);
  presidium_tool::add_certify_command(app, exit_code);
  presidium_tool::add_decide_command(app, exit_code);
  // A missing or unknown subcommand: say which ones there are (CLI11 alone only says it is unexpected).
  if (argc < 2 || (argv[1][0] != '-' && !is_subcommand(app, argv[1]))) {
    return setup::report_error(
        std::string(argc < 2 ? "缺少子命令 / no subcommand"
                             : "未知的子命令 / unknown subcommand '" + std::string(argv[1]) + "'") +
            "。可用的子命令 / valid subcommands: " + subcommand_list(app) + "（--help 查看说明 / see --help）",
        setup::kExitUsage);
  }
  // A passphrase on a member command's line is refused before anything runs (the ceremony's demo prefix stays).
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.front() != "ceremony") {
    if (const std::string_view option = presidium::passphrase_argument(args); !option.empty()) {
      return setup::report_error(presidium::command_line_refusal(option), setup::kExitUsage);
    }
  }
  return setup::run_cli(app, argc, argv, exit_code);
}
