// hallvote-presidium approve: a presidium member or scrutineer checks the prepared ballot and signs it.
#include <iostream>
#include <optional>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/protocol/ballot_definition.h"
#include "member.h"

namespace hallvote::presidium_tool {
namespace {

struct ApproveCommand {
  MemberOptions member;
  std::string vote;
};

void print_definition(const protocol::BallotDefinition& d, const std::string& base_hash) {
  std::cout << d.session_body << "\n表决 / vote " << d.shape.vote_id << "：" << d.vote_title << "（"
            << session::display_name_zh(d.kind) << "，第 " << d.shape.round << " 轮）\n";
  if (!d.description.empty()) std::cout << "说明 / description：" << d.description << "\n";
  for (const auto& contest : d.shape.contests) {
    // The name the deputies will read, the contest's code after it.
    std::cout << "  " << contest.title << "〔" << contest.id << "〕（选 " << contest.min_selected << "–"
              << contest.max_selected << " 项）：";
    for (std::size_t s = 0; s < contest.selections.size(); ++s) {
      std::cout << (s > 0 ? "、" : "") << contest.selections[s].label;
    }
    std::cout << "\n";
  }
  if (d.shape.aggregate_limit) {
    std::cout << "  全票限制 / aggregate limit: " << d.shape.aggregate_limit->selection_id << " ≤ "
              << d.shape.aggregate_limit->max_total << "\n";
  }
  std::cout << "  可改投 / replacement: " << (d.replacement_allowed ? "允许 allowed" : "不允许 not allowed")
            << "\n"
            << "  基准哈希 / base hash: " << base_hash << "\n";
}

int run_approve(const ApproveCommand& o) {
  auto hall = setup::load_hall(o.member.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  if (!hall->election)
    return setup::report_error("会场没有选举公钥 / the hall has no election key", setup::kExitSetup);
  auto key = load_signing_key(*hall, o.member);
  if (!key) return setup::report_error(key.error().message(), setup::kExitSetup);
  network::ClientContext context(1);
  auto client = connect_member(*hall, o.member, context);
  if (!client) return setup::report_error(client.error().message(), setup::kExitNetwork);
  auto fetched = request(*client, protocol::MessageType::ballot_definition, {{"vote_id", o.vote}});
  if (!fetched) return setup::report_error(fetched.error().message, fetched.error().exit_code);
  auto definition = protocol::BallotDefinition::from_json(fetched->value("definition", ""));
  if (!definition)
    return setup::report_error("选票定义无效 / bad ballot definition: " + definition.error().message(),
                               setup::kExitFailed);
  // What is signed is what this tool computed and showed, never a hash taken on the server's word.
  const auto base_hash = definition->base_hash();
  const std::string base_hex = crypto::to_hex(base_hash);
  print_definition(*definition, base_hex);
  if (fetched->value("base_hash", "") != base_hex) {
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
  const auto signature = key->sign(protocol::approval_message(base_hash));
  auto approved =
      request(*client, protocol::MessageType::approve_vote,
              {{"vote_id", o.vote}, {"official_id", o.member.as}, {"signature", crypto::to_hex(signature)}});
  if (!approved) return setup::report_error(approved.error().message, approved.error().exit_code);
  std::cout << hall->session.find_official(o.member.as)->name << "（" << o.member.as
            << "）已批准 / approved. 批准 " << approved->value("approvals", 0) << "/"
            << approved->value("quorum", 0) << "，表决状态 / vote state: " << approved->value("state", "")
            << "\n";
  return setup::kExitOk;
}

}  // namespace

void add_approve_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ApproveCommand>();
  auto* cmd = app.add_subcommand("approve",
                                 "审核并签署选票 / check a prepared ballot and sign it (connects with "
                                 "<hall>/operators/ID.{key,crt}, role presidium or scrutineer)");
  add_member_options(*cmd, options->member);
  cmd->add_option("--vote", options->vote, "表决编号 / vote id")->required();
  cmd->callback([options, &exit_code] { exit_code = run_approve(*options); });
}

}  // namespace hallvote::presidium_tool
