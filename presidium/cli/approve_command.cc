// hallvote-presidium approve: a presidium member or scrutineer reads the prepared ballot as deputies will see
// it, confirms, and signs it.
#include <algorithm>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/result_report.h"
#include "hallvote/presidium/ballot_check.h"
#include "hallvote/presidium/review.h"
#include "hallvote/protocol/ballot_definition.h"
#include "member.h"

namespace hallvote::presidium_tool {
namespace {

struct ApproveCommand {
  MemberOptions member;
  std::string vote;
};

int run_approve(const ApproveCommand& o) {
  auto hall = setup::load_hall(o.member.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  if (!hall->election)
    return setup::report_error("会场没有选举公钥 / the hall has no election key", setup::kExitSetup);
  auto official = find_member(*hall, o.member);
  if (!official) return setup::report_error(official.error().message(), setup::kExitSetup);
  network::ClientContext context(1);
  auto client = connect_member(*hall, o.member, context);
  if (!client) return setup::report_error(client.error().message(), setup::kExitNetwork);
  auto fetched = request(*client, protocol::MessageType::ballot_definition, {{"vote_id", o.vote}});
  if (!fetched) return setup::report_error(fetched.error().message, fetched.error().exit_code);
  auto definition = protocol::BallotDefinition::from_json(fetched->value("definition", ""));
  if (!definition)
    return setup::report_error("选票定义无效 / bad ballot definition: " + definition.error().message(),
                               setup::kExitFailed);
  if (definition->canonical_json() != fetched->value("definition", "")) {
    return setup::report_error("选票定义不是规范格式 / the ballot definition is not in canonical form",
                               setup::kExitFailed);
  }
  // What is signed is what this tool computed and shows, never a hash taken on the server's word.
  const auto base_hash = definition->base_hash();
  if (fetched->value("base_hash", "") != crypto::to_hex(base_hash)) {
    return setup::report_error(
        "服务器给出的基准哈希与选票不符 / the server's base hash does not match the definition",
        setup::kExitFailed);
  }
  if (definition->session_id != hall->session.info.id ||
      definition->election_key != hall->election->election_key || definition->shape.vote_id != o.vote) {
    return setup::report_error(
        "选票不属于本会议、本表决或本选举公钥 / the ballot is for another session, vote or election key",
        setup::kExitFailed);
  }
  if (auto same = presidium::check_against_session(hall->session, *definition); !same) {
    return setup::report_error(same.error().detail, setup::kExitFailed);
  }
  // The round's purpose (a tie run-off is decided by the most votes) as the server reports it; words only.
  std::optional<session::RoundPurpose> purpose;
  if (auto progress = request(*client, protocol::MessageType::progress, {{"vote_id", o.vote}});
      progress && progress->value("round", 0u) == definition->shape.round) {
    purpose = presidium::purpose_from_words(progress->value("purpose", ""));
    // Said before asking anything: a member who has already approved this round's ballot need not read it
    // again.
    const auto approved_by = progress->value("approved_by", nlohmann::json::array());
    if (std::find(approved_by.begin(), approved_by.end(), o.member.as) != approved_by.end()) {
      std::cout << "您已批准过这张选票（已批准 " << progress->value("approvals", 0) << "/"
                << progress->value("quorum", 0) << "），无需再批准 / you have already approved this ballot\n";
      return setup::kExitFailed;
    }
  }
  if (!member_confirms(
          o.member, presidium::approval_review(hall->session, *definition, purpose),
          setup::official_words(hall->session, o.member.as) + "：是否批准这张选票？/ approve this ballot?")) {
    return setup::kExitFailed;
  }
  auto key = load_signing_key(*hall, o.member);
  if (!key) return setup::report_error(key.error().message(), setup::kExitSetup);
  const auto signature = key->sign(protocol::approval_message(base_hash));
  auto approved =
      request(*client, protocol::MessageType::approve_vote,
              {{"vote_id", o.vote}, {"official_id", o.member.as}, {"signature", crypto::to_hex(signature)}});
  if (!approved) return setup::report_error(approved.error().message, approved.error().exit_code);
  const auto have = approved->value("approvals", 0u);
  const auto need = approved->value("quorum", 0u);
  std::cout << setup::official_words(hall->session, o.member.as) << "已批准 / approved. 批准 " << have << "/"
            << need
            << (have >= need
                    ? "，批准人数已足，主持人可以开始表决 / enough approvals: the chair may open the vote"
                    : "，尚缺 " + std::to_string(need - have) + " 名 / more approvals needed")
            << "\n";
  return setup::kExitOk;
}

}  // namespace

void add_approve_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ApproveCommand>();
  auto* cmd =
      app.add_subcommand("approve",
                         "审核并批准选票：显示代表将看到的选票和计票规则，输入“是”后签署 / check a prepared "
                         "ballot as deputies will see it and sign it after you type 是");
  cmd->footer(
      "步骤 / steps: 1 显示选票、计票规则和指纹 shows the ballot, rule and fingerprint; 2 输入“是”确认 type "
      "是; "
      "3 输入密钥口令 type your key passphrase; 4 签署并提交 signs and submits. 连接证书 / connects with "
      "<hall>/operators/ID.{key,crt} (role presidium or scrutineer).");
  add_member_options(*cmd, options->member);
  cmd->add_option("--vote", options->vote, "表决编号 / vote id (e.g. V1)")->required();
  cmd->callback([options, &exit_code] { exit_code = run_approve(*options); });
}

}  // namespace hallvote::presidium_tool
