// hallvote-presidium certify: a scrutineer or presidium member checks a decrypted round's tally report
// (计票结果报告单) against the log entry it is, prints it, signs it and submits the certification
// (docs/protocol.md §4.5.8) after the member has read it and confirmed (--yes for non-interactive runs).
#include <iostream>
#include <optional>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/result_report.h"
#include "hallvote/presidium/review.h"
#include "hallvote/protocol/certification.h"
#include "hallvote/protocol/events.h"
#include "hallvote/tlog/entry.h"
#include "member.h"
#include "report_check.h"

namespace hallvote::presidium_tool {
namespace {

using nlohmann::json;

struct CertifyCommand {
  MemberOptions member;
  std::string vote;
  std::optional<std::uint32_t> round;
};

int run_certify(const CertifyCommand& o) {
  auto hall = setup::load_hall(o.member.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  auto member = find_member(*hall, o.member);
  if (!member) return setup::report_error(member.error().message(), setup::kExitSetup);
  const session::Official& official = **member;
  network::ClientContext context(1);
  auto client = connect_member(*hall, o.member, context);
  if (!client) return setup::report_error(client.error().message(), setup::kExitNetwork);
  auto report = fetch_checked_report(*client, *hall, o.vote);
  if (!report) return setup::report_error(report.error().message, report.error().exit_code);
  const auto round = report->outcome.value("round", 0u);
  if (o.round && *o.round != round) {
    return setup::report_error("服务器最新的计票结果是第 " + std::to_string(round) +
                                   " 轮 / the latest report is round " + std::to_string(round) + ", not " +
                                   std::to_string(*o.round),
                               setup::kExitFailed);
  }
  const std::string table = setup::result_table(hall->session, o.vote, report->answer.value("title", ""),
                                                report->answer.value("kind", ""), report->outcome);
  if (!member_confirms(o.member,
                       presidium::certification_review(hall->session, official, table, report->outcome,
                                                       report->sequence, report->hash),
                       setup::official_words(hall->session, official.id) + "：是否签署第 " +
                           std::to_string(round) + " 轮计票结果报告单？/ certify this round's tally report?")) {
    return setup::kExitFailed;
  }
  auto key = load_signing_key(*hall, o.member);
  if (!key) return setup::report_error(key.error().message(), setup::kExitSetup);
  const auto signature =
      key->sign(protocol::certification_message(hall->session.info.id, o.vote, round, report->sequence,
                                                report->hash, official.id, session::to_string(official.role)));
  auto certified = request(*client, protocol::MessageType::certify,
                           {{"vote_id", o.vote},
                            {"round", round},
                            {"official_id", official.id},
                            {"result_sequence", report->sequence},
                            {"result_hash", crypto::to_hex(report->hash)},
                            {"signature", crypto::to_hex(signature)}});
  if (!certified) return setup::report_error(certified.error().message, certified.error().exit_code);
  std::cout << setup::official_words(hall->session, official.id) << "已签署第 " << round
            << " 轮计票结果 / certified round " << round << "\n  "
            << setup::certification_line(hall->session, *certified) << "\n";
  const json next = certified->value("current_round", json::object());
  if (next.value("number", round) != round) {
    std::cout << "  第 " << next.value("number", 0) << " 轮（" << next.value("purpose", "")
              << "）已起草，待主持人生成选票 / "
              << "round drafted; the chair prepares its ballot\n";
  }
  if (certified->contains("records")) std::cout << "  " << certified->value("records", "") << "\n";
  if (certified->contains("records_error")) {
    std::cout << "  决议文件未能生成（可用 hallvote-audit export-records 从日志重新生成）/ the records were "
                 "not written "
                 "(regenerate them from the log with hallvote-audit export-records): "
              << certified->value("records_error", "") << "\n";
  }
  return setup::kExitOk;
}

}  // namespace

void add_certify_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CertifyCommand>();
  auto* cmd = app.add_subcommand(
      "certify",
      "核对并签署计票结果报告单：显示报告单和核对结果，输入“是”后签署 / check a decrypted round's tally "
      "report against its log entry, show it, and sign it after you type 是");
  cmd->footer(
      "步骤 / steps: 1 显示计票结果报告单、核对和指纹 shows the report, reconciliation and fingerprint; 2 "
      "输入“是” "
      "type 是; 3 输入密钥口令 type your key passphrase; 4 签署并提交 signs and submits. 总监票人和监票人先签，"
      "主席团成员后签 / scrutineers sign first, then the presidium. 连接证书 / connects with "
      "<hall>/operators/ID.{key,crt}.");
  add_member_options(*cmd, options->member);
  cmd->add_option("--vote", options->vote, "表决编号 / vote id (e.g. V1)")->required();
  cmd->add_option("--round", options->round,
                  "轮次（默认：最新的计票结果）/ round (default: the latest report's)");
  cmd->callback([options, &exit_code] { exit_code = run_certify(*options); });
}

}  // namespace hallvote::presidium_tool
