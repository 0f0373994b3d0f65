// hallvote-server ctl: the chair's and hall staff's console commands over the hall network.
#include <iostream>
#include <map>
#include <optional>

#include "commands.h"
#include "ctl_format.h"
#include "hall_client.h"
#include "hallvote/hall/cli.h"

namespace hallvote::server_tool {
namespace {

struct CtlOptions {
  std::string dir = "var/hall";
  std::string as;
  std::string command;
  std::string vote;
  std::optional<std::string> reason;
  std::optional<std::string> address;
  std::optional<std::uint16_t> port;
  bool json = false;
};

struct CommandInfo {
  protocol::MessageType type;
  bool needs_vote;
  const char* what;  // for --help: what the command does, Chinese first
};

const std::map<std::string, CommandInfo>& commands() {
  using protocol::MessageType;
  static const std::map<std::string, CommandInfo> table = {
      {"open-sign-in", {MessageType::open_sign_in, false, "开始签到 / open sign-in"}},
      {"start-session",
       {MessageType::start_session, false, "宣布开会（须达到法定人数）/ start the session (needs the quorum)"}},
      {"prepare-vote",
       {MessageType::prepare_vote, true,
        "生成选票，交主席团批准 / prepare the ballot for the presidium's approval"}},
      {"open-vote",
       {MessageType::open_vote, true, "开始表决（须已获批准）/ open the vote (after the approvals)"}},
      {"hold-vote",
       {MessageType::hold_vote, true, "暂停表决，--reason 写明原因 / hold the vote, with --reason"}},
      {"resume-vote", {MessageType::resume_vote, true, "恢复表决 / resume a held vote"}},
      {"close-vote", {MessageType::close_vote, true, "截止表决并计票 / close the vote and tally it"}},
      {"close-session",
       {MessageType::close_session, false,
        "宣布闭会（须无进行中的表决）/ close the session (no vote open or held)"}},
      {"attendance",
       {MessageType::attendance, false, "签到情况，列出未签到代表 / attendance, the absent by name"}},
      {"progress",
       {MessageType::progress, true,
        "表决进度：批准、发出、收回、确认 / a vote's approvals, ballots and sign-off"}},
      {"status", {MessageType::status, false, "会议与各项表决的状态 / the session and every vote's state"}},
      {"result", {MessageType::result, true, "计票结果报告单（解密后）/ the tally report (after decryption)"}},
  };
  return table;
}

int run_ctl(const CtlOptions& o) {
  const auto found = commands().find(o.command);
  if (found == commands().end()) {
    std::string valid;
    for (const auto& [name, info] : commands()) valid += (valid.empty() ? "" : ", ") + name;
    return setup::report_error("未知命令“" + o.command + "”，可用的命令：" + valid + " / unknown command '" +
                                   o.command + "'; valid commands: " + valid,
                               setup::kExitUsage);
  }
  if (found->second.needs_vote && o.vote.empty()) {
    return setup::report_error(o.command + " 需要 --vote / needs --vote", setup::kExitUsage);
  }
  auto hall = setup::load_hall(o.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  auto options = setup::client_options(*hall, hall->paths.operators(), o.as,
                                       setup::resolve_endpoint(hall->paths, o.address, o.port));
  if (!options) return setup::report_error(options.error().message(), setup::kExitSetup);
  network::ClientContext context(1);
  auto client = setup::HallClient::connect(context, std::move(*options));
  if (!client) {
    return setup::report_error(
        "无法连接会场服务器：" + client.error().message() +
            "。服务器是否已启动？请先运行 hallvote-server run --dir " + o.dir +
            "，或用 --address/--port 指定服务器 / cannot reach the hall server: is it running? Start it with "
            "hallvote-server run, or give --address/--port",
        setup::kExitNetwork);
  }
  nlohmann::json fields = nlohmann::json::object();
  if (found->second.needs_vote) fields["vote_id"] = o.vote;
  if (o.reason) fields["reason"] = *o.reason;
  auto response = client->call(found->second.type, fields);
  if (!response) return setup::report_error(response.error().message(), setup::kExitNetwork);
  if (!response->ok) {
    if (o.json) std::cout << response->body.dump() << "\n";
    return setup::report_error("服务器拒绝 / the server refused: " + setup::refusal_text(*response),
                               setup::kExitFailed);
  }
  nlohmann::json body = response->body;
  body.erase("v");
  body.erase("ok");
  if (o.json) {
    std::cout << body.dump() << "\n";
  } else {
    std::cout << format_answer(hall->session, o.command, body);
  }
  return setup::kExitOk;
}

}  // namespace

void add_ctl_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CtlOptions>();
  auto* cmd = app.add_subcommand(
      "ctl", "主持人与会务操作 / chair and staff console: connects with <hall>/operators/ID.{key,crt}");
  cmd->add_option(
         "command", options->command,
         "open-sign-in | start-session | prepare-vote | open-vote | hold-vote | resume-vote | close-vote | "
         "close-session | attendance | progress | status | result")
      ->required();
  std::string footer = "命令 / commands（标 --vote 的须指定表决 / those marked --vote need it）:\n";
  for (const auto& [name, info] : commands()) {
    footer += "  " + name + std::string(name.size() < 14 ? 14 - name.size() : 1, ' ') +
              (info.needs_vote ? "--vote  " : "        ") + info.what + "\n";
  }
  footer += "图形界面见 hallvote-server console（docs/console.md）/ the page: hallvote-server console";
  cmd->footer(footer);
  cmd->add_option("--dir", options->dir, "会场目录 / hall directory")->capture_default_str();
  cmd->add_option("--as", options->as, "操作员编号（chair/staff 证书）/ operator id")->required();
  cmd->add_option("--vote", options->vote, "表决编号 / vote id (e.g. V1)");
  cmd->add_option("--reason", options->reason, "暂停原因 / reason (hold-vote)");
  cmd->add_option("--address", options->address,
                  "服务器地址 / server address (default: <hall>/listen.json, 127.0.0.1)");
  cmd->add_option("--port", options->port, "服务器端口 / server port (default: <hall>/listen.json, 7443)");
  cmd->add_flag("--json", options->json, "输出服务器的 JSON 应答 / print the server's JSON answer");
  cmd->callback([options, &exit_code] { exit_code = run_ctl(*options); });
}

}  // namespace hallvote::server_tool
