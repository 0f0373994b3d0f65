// hallvote-presidium decrypt: a trustee reads what is to be decrypted (the vote, the round, how many ballots
// are summed), confirms, then decrypts its share of the closed vote's tally — never a single ballot — with a
// proof for every factor, checks its own share against its registered public share, and submits it.
#include <algorithm>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/result_report.h"
#include "hallvote/presidium/ceremony.h"
#include "hallvote/presidium/review.h"
#include "member.h"

namespace hallvote::presidium_tool {
namespace {

struct DecryptCommand {
  MemberOptions member;
  std::string vote;
};

int run_decrypt(const DecryptCommand& o) {
  auto hall = setup::load_hall(o.member.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  if (!hall->election)
    return setup::report_error("会场没有密钥仪式结果 / the hall has no election record", setup::kExitSetup);
  auto official = find_member(*hall, o.member);
  if (!official) return setup::report_error(official.error().message(), setup::kExitSetup);
  const auto& ids = hall->election->trustee_ids;
  const std::string& as = o.member.as;
  const auto position = std::find(ids.begin(), ids.end(), as);
  if (position == ids.end())
    return setup::report_error("'" + as + "' 不是受托人 / not a trustee", setup::kExitUsage);
  const auto index = static_cast<std::uint32_t>(position - ids.begin() + 1);
  network::ClientContext context(1);
  auto client = connect_member(*hall, o.member, context);
  if (!client) return setup::report_error(client.error().message(), setup::kExitNetwork);
  auto tally = request(*client, protocol::MessageType::tally, {{"vote_id", o.vote}});
  if (!tally) return setup::report_error(tally.error().message, tally.error().exit_code);
  std::vector<crypto::Ciphertext> ciphertexts;
  for (const auto& hex : tally->value("ciphertexts", nlohmann::json::array())) {
    auto bytes = crypto::from_hex(hex.is_string() ? hex.get<std::string>() : std::string());
    auto ciphertext =
        bytes ? crypto::Ciphertext::decode(*bytes) : Result<crypto::Ciphertext>(forward(bytes.error()));
    if (!ciphertext)
      return setup::report_error("计票密文无效 / bad tally ciphertext: " + ciphertext.error().detail,
                                 setup::kExitFailed);
    ciphertexts.push_back(*ciphertext);
  }
  auto base_hash = crypto::from_hex_fixed<32>(tally->value("base_hash", ""));
  if (!base_hash)
    return setup::report_error("tally.base_hash: " + base_hash.error().detail, setup::kExitFailed);
  if (!member_confirms(
          o.member, presidium::decryption_review(hall->session, **official, index, o.vote, *tally, *base_hash),
          setup::official_words(hall->session, as) +
              "：是否解密本人份额并提交？/ decrypt your share and submit it?")) {
    return setup::kExitFailed;
  }
  auto secret = open_member_key(o.member, presidium::share_file(o.member.keys, as), presidium::kShareKind);
  if (!secret) return setup::report_error(secret.error().message(), setup::kExitSetup);
  auto scalar = crypto::Scalar::decode(secret->reveal());
  if (!scalar) return setup::report_error(as + ".share: " + scalar.error().detail, setup::kExitSetup);
  const crypto::KeyShare share{index, crypto::SecretScalar(*scalar)};
  scalar->wipe();
  if (crypto::Point::base_mul(share.secret.reveal()).encode() != hall->election->trustee_keys[index - 1]) {
    return setup::report_error("份额与登记的公开份额不符 / this share is not " + as + "'s registered share",
                               setup::kExitSetup);
  }
  const crypto::PartialDecryption partial = crypto::decrypt_partially(share, *base_hash, ciphertexts);
  auto submitted =
      request(*client, protocol::MessageType::submit_share,
              {{"vote_id", o.vote}, {"official_id", as}, {"share", crypto::to_hex(partial.encode())}});
  if (!submitted) return setup::report_error(submitted.error().message, submitted.error().exit_code);
  std::cout << setup::official_words(hall->session, as)
            << "的份额已验证并记录 / share verified and logged: " << submitted->value("shares", 0) << "/"
            << submitted->value("quorum", 0)
            << (submitted->value("decrypted", false) ? "，计票结果已解密 / the count is decrypted\n" : "\n");
  return setup::kExitOk;
}

}  // namespace

void add_decrypt_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DecryptCommand>();
  auto* cmd =
      app.add_subcommand("decrypt",
                         "解密本人份额：显示将解密的表决、轮次和选票张数，输入“是”后解密并提交 / decrypt "
                         "this trustee's share of a closed vote's tally after you type 是, and submit it");
  cmd->footer(
      "步骤 / steps: 1 显示表决、轮次、选票张数和指纹 shows the vote, round, ballots and fingerprint; 2 "
      "输入“是” "
      "type 是; 3 输入密钥口令 type your key passphrase; 4 解密本人份额并提交 decrypts your share and submits "
      "it. "
      "只解密全部选票之和，从不解密单张选票 / only the sum of all ballots is decrypted, never one ballot.");
  add_member_options(*cmd, options->member);
  cmd->add_option("--vote", options->vote, "表决编号 / vote id (e.g. V1)")->required();
  cmd->callback([options, &exit_code] { exit_code = run_decrypt(*options); });
}

}  // namespace hallvote::presidium_tool
