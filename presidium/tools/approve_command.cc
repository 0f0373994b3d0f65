// hallvote-presidium approve: a presidium member or scrutineer checks the prepared ballot and signs it.
#include <iostream>
#include <optional>

#include "commands.h"
#include "hall_client.h"
#include "hallvote/presidium/ceremony.h"
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/setup/exit_codes.h"
#include "hallvote/setup/files.h"

namespace hallvote::presidium_tool {
namespace {

struct ApproveCommand {
  std::string dir = "var/hall";
  std::string as;
  std::string keys;
  std::string vote;
  std::optional<std::string> passphrase;
  std::string prefix = kDemoPassphrasePrefix;
  std::optional<std::string> address;
  std::optional<std::uint16_t> port;
};

void print_definition(const protocol::BallotDefinition& d, const std::string& base_hash) {
  std::cout << d.session_body << "\n表决 / vote " << d.shape.vote_id << "：" << d.vote_title << "（"
            << session::display_name_zh(d.kind) << "，第 " << d.shape.round << " 轮）\n";
  for (const auto& contest : d.shape.contests) {
    std::cout << "  " << contest.id << "（选 " << contest.min_selected << "–" << contest.max_selected << " 项）：";
    for (std::size_t s = 0; s < contest.selections.size(); ++s) {
      std::cout << (s > 0 ? "、" : "") << contest.selections[s].label;
    }
    std::cout << "\n";
  }
  if (d.shape.aggregate_limit) {
    std::cout << "  全票限制 / aggregate limit: " << d.shape.aggregate_limit->selection_id << " ≤ "
              << d.shape.aggregate_limit->max_total << "\n";
  }
  std::cout << "  可改投 / replacement: " << (d.replacement_allowed ? "允许 allowed" : "不允许 not allowed") << "\n"
            << "  基准哈希 / base hash: " << base_hash << "\n";
}

int run_approve(const ApproveCommand& o) {
  auto hall = setup::load_hall(o.dir);
  if (!hall) return report_error(hall.error().message(), setup::kExitSetup);
  const auto* official = hall->session.find_official(o.as);
  if (official == nullptr) {
    return report_error("主席团/监票人中没有 " + o.as + " / no key-committee member '" + o.as + "'", setup::kExitUsage);
  }
  if (!hall->election) return report_error("会场没有选举公钥 / the hall has no election key", setup::kExitSetup);
  const std::string passphrase = o.passphrase ? *o.passphrase : o.prefix + o.as;
  auto seed = setup::read_sealed(presidium::signing_file(o.keys, o.as), presidium::kSigningKind, passphrase);
  if (!seed) return report_error(seed.error().message(), setup::kExitSetup);
  if (seed->size() != 32) return report_error(o.as + ".sign: not a 32-byte seed", setup::kExitSetup);
  crypto::SecretArray<32> seed_bytes;
  std::copy(seed->reveal().begin(), seed->reveal().end(), seed_bytes.mutable_bytes().begin());
  const crypto::SigningKey key = crypto::SigningKey::from_seed(seed_bytes);
  if (key.verify_key().hex() != official->public_key) {
    return report_error("签名密钥与会议登记的公钥不符 / this signing key is not " + o.as + "'s registered key",
                        setup::kExitSetup);
  }

  auto options = setup::client_options(*hall, hall->paths.operators(), o.as,
                                       setup::resolve_endpoint(hall->paths, o.address, o.port));
  if (!options) return report_error(options.error().message(), setup::kExitSetup);
  network::ClientContext context(1);
  auto client = setup::HallClient::connect(context, std::move(*options));
  if (!client) return report_error(client.error().message(), setup::kExitNetwork);
  auto fetched = client->call(protocol::MessageType::ballot_definition, {{"vote_id", o.vote}});
  if (!fetched) return report_error(fetched.error().message(), setup::kExitNetwork);
  if (!fetched->ok) return report_error("服务器拒绝 / the server refused: " + setup::refusal_text(*fetched), setup::kExitFailed);
  auto definition = protocol::BallotDefinition::from_json(fetched->body.value("definition", ""));
  if (!definition) return report_error("选票定义无效 / bad ballot definition: " + definition.error().message(), setup::kExitFailed);
  // What is signed is what this tool computed and showed, never a hash taken on the server's word.
  const auto base_hash = definition->base_hash();
  const std::string base_hex = crypto::to_hex(base_hash);
  print_definition(*definition, base_hex);
  if (fetched->body.value("base_hash", "") != base_hex) {
    return report_error("服务器给出的基准哈希与选票不符 / the server's base hash does not match the definition",
                        setup::kExitFailed);
  }
  if (definition->session_id != hall->session.info.id || definition->election_key != hall->election->election_key ||
      definition->shape.vote_id != o.vote) {
    return report_error("选票不属于本会议、本表决或本选举公钥 / the ballot is for another session, vote or election key",
                        setup::kExitFailed);
  }
  const auto signature = key.sign(protocol::approval_message(base_hash));
  auto approved = client->call(protocol::MessageType::approve_vote,
                               {{"vote_id", o.vote}, {"official_id", o.as}, {"signature", crypto::to_hex(signature)}});
  if (!approved) return report_error(approved.error().message(), setup::kExitNetwork);
  if (!approved->ok) return report_error("服务器拒绝 / the server refused: " + setup::refusal_text(*approved), setup::kExitFailed);
  std::cout << official->name << "（" << o.as << "）已批准 / approved. 批准 " << approved->body.value("approvals", 0) << "/"
            << approved->body.value("quorum", 0) << "，表决状态 / vote state: " << approved->body.value("state", "") << "\n";
  return setup::kExitOk;
}

}  // namespace

void add_approve_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ApproveCommand>();
  auto* cmd = app.add_subcommand("approve",
                                 "审核并签署选票 / check a prepared ballot and sign it (connects with "
                                 "<hall>/operators/ID.{key,crt}, role presidium or scrutineer)");
  cmd->add_option("--dir", options->dir, "会场目录 / hall directory")->capture_default_str();
  cmd->add_option("--as", options->as, "成员编号 / official id (e.g. P01)")->required();
  cmd->add_option("--keys", options->keys, "密钥仪式输出目录 / the ceremony folder holding ID.sign")->required();
  cmd->add_option("--vote", options->vote, "表决编号 / vote id")->required();
  cmd->add_option("--passphrase", options->passphrase, "密钥口令 / passphrase of ID.sign (default: prefix + id)");
  cmd->add_option("--passphrase-prefix", options->prefix, "口令前缀 / passphrase prefix")->capture_default_str();
  cmd->add_option("--address", options->address, "服务器地址 / server address");
  cmd->add_option("--port", options->port, "服务器端口 / server port");
  cmd->callback([options, &exit_code] { exit_code = run_approve(*options); });
}

}  // namespace hallvote::presidium_tool
