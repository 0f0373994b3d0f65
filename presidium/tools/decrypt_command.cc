// hallvote-presidium decrypt: a trustee decrypts its share of a closed vote's tally — never a single ballot —
// with a proof for every factor, checks its own work against its registered public share, and submits it.
#include <algorithm>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hall_client.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/presidium/ceremony.h"
#include "hallvote/setup/exit_codes.h"
#include "hallvote/setup/files.h"

namespace hallvote::presidium_tool {
namespace {

struct DecryptCommand {
  std::string dir = "var/hall";
  std::string as;
  std::string keys;
  std::string vote;
  std::optional<std::string> passphrase;
  std::string prefix = kDemoPassphrasePrefix;
  std::optional<std::string> address;
  std::optional<std::uint16_t> port;
};

int run_decrypt(const DecryptCommand& o) {
  auto hall = setup::load_hall(o.dir);
  if (!hall) return report_error(hall.error().message(), setup::kExitSetup);
  if (!hall->election) return report_error("会场没有密钥仪式结果 / the hall has no election record", setup::kExitSetup);
  const auto& ids = hall->election->trustee_ids;
  const auto position = std::find(ids.begin(), ids.end(), o.as);
  if (position == ids.end()) return report_error("'" + o.as + "' 不是受托人 / not a trustee", setup::kExitUsage);
  const auto index = static_cast<std::uint32_t>(position - ids.begin() + 1);
  const std::string passphrase = o.passphrase ? *o.passphrase : o.prefix + o.as;
  auto secret = setup::read_sealed(presidium::share_file(o.keys, o.as), presidium::kShareKind, passphrase);
  if (!secret) return report_error(secret.error().message(), setup::kExitSetup);
  auto scalar = crypto::Scalar::decode(secret->reveal());
  if (!scalar) return report_error(o.as + ".share: " + scalar.error().detail, setup::kExitSetup);
  const crypto::KeyShare share{index, crypto::SecretScalar(*scalar)};
  scalar->wipe();
  if (crypto::Point::base_mul(share.secret.reveal()).encode() != hall->election->trustee_keys[index - 1]) {
    return report_error("份额与登记的公开份额不符 / this share is not " + o.as + "'s registered share", setup::kExitSetup);
  }

  auto options = setup::client_options(*hall, hall->paths.operators(), o.as,
                                       setup::resolve_endpoint(hall->paths, o.address, o.port));
  if (!options) return report_error(options.error().message(), setup::kExitSetup);
  network::ClientContext context(1);
  auto client = setup::HallClient::connect(context, std::move(*options));
  if (!client) return report_error(client.error().message(), setup::kExitNetwork);
  auto tally = client->call(protocol::MessageType::tally, {{"vote_id", o.vote}});
  if (!tally) return report_error(tally.error().message(), setup::kExitNetwork);
  if (!tally->ok) return report_error("服务器拒绝 / the server refused: " + setup::refusal_text(*tally), setup::kExitFailed);
  std::vector<crypto::Ciphertext> ciphertexts;
  for (const auto& hex : tally->body.at("ciphertexts")) {
    auto bytes = crypto::from_hex(hex.get<std::string>());
    auto ciphertext = bytes ? crypto::Ciphertext::decode(*bytes) : Result<crypto::Ciphertext>(forward(bytes.error()));
    if (!ciphertext) return report_error("计票密文无效 / bad tally ciphertext: " + ciphertext.error().detail, setup::kExitFailed);
    ciphertexts.push_back(*ciphertext);
  }
  auto base_hash = crypto::from_hex_fixed<32>(tally->body.value("base_hash", ""));
  if (!base_hash) return report_error("tally.base_hash: " + base_hash.error().detail, setup::kExitFailed);
  std::cout << hall->session.find_official(o.as)->name << "（第 " << index << " 号受托人）解密表决 " << o.vote << " 的计票："
            << tally->body.value("ballots", 0) << " 张选票之和，" << ciphertexts.size() << " 个密文 / decrypting the sum of "
            << tally->body.value("ballots", 0) << " ballots\n";
  const crypto::PartialDecryption partial = crypto::decrypt_partially(share, *base_hash, ciphertexts);
  auto submitted = client->call(protocol::MessageType::submit_share,
                                {{"vote_id", o.vote}, {"official_id", o.as}, {"share", crypto::to_hex(partial.encode())}});
  if (!submitted) return report_error(submitted.error().message(), setup::kExitNetwork);
  if (!submitted->ok) return report_error("服务器拒绝 / the server refused: " + setup::refusal_text(*submitted), setup::kExitFailed);
  std::cout << "  份额已验证并记录 / share verified and logged: " << submitted->body.value("shares", 0) << "/"
            << submitted->body.value("quorum", 0)
            << (submitted->body.value("decrypted", false) ? "，计票结果已解密 / the count is decrypted\n" : "\n");
  return setup::kExitOk;
}

}  // namespace

void add_decrypt_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DecryptCommand>();
  auto* cmd = app.add_subcommand("decrypt",
                                 "解密本人份额 / decrypt this trustee's share of a closed vote's tally and submit it "
                                 "(connects with <hall>/operators/ID.{key,crt})");
  cmd->add_option("--dir", options->dir, "会场目录 / hall directory")->capture_default_str();
  cmd->add_option("--as", options->as, "受托人编号 / trustee (official) id, e.g. P01")->required();
  cmd->add_option("--keys", options->keys, "密钥仪式输出目录 / the ceremony folder holding ID.share")->required();
  cmd->add_option("--vote", options->vote, "表决编号 / vote id")->required();
  cmd->add_option("--passphrase", options->passphrase, "密钥口令 / passphrase of ID.share (default: prefix + id)");
  cmd->add_option("--passphrase-prefix", options->prefix, "口令前缀 / passphrase prefix")->capture_default_str();
  cmd->add_option("--address", options->address, "服务器地址 / server address");
  cmd->add_option("--port", options->port, "服务器端口 / server port");
  cmd->callback([options, &exit_code] { exit_code = run_decrypt(*options); });
}

}  // namespace hallvote::presidium_tool
