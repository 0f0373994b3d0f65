// hallvote-cards: the card-issuing office's program (人大常委会办公厅, not the hall staff; docs/cards.md §5).
//   keygen  the office's Ed25519 issuer key, sealed with a passphrase
//   issue   one deputy card on a blank PKCS#11 token: key pair made on the token, PIN set, label = deputy id
//   list    the card list of a session's roster, signed with the issuer key
//   verify  a card list against a roster and the issuer's public key
// Exit codes: 0 done, 1 refused (a list that does not verify, a card that could not be issued), 2 usage,
// 3 a file that cannot be read or written. Errors in Chinese, then English.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "hallvote/cards/card_list.h"
#include "hallvote/cards/issue.h"
#include "hallvote/common/durable_file.h"
#include "hallvote/crypto/key_file.h"
#include "hallvote/session/loader.h"

namespace hallvote::cards {
namespace {

enum Exit { kDone = 0, kRefused = 1, kUsage = 2, kFiles = 3 };
constexpr std::string_view kIssuerKeyKind = "card-issuer-ed25519-seed";

int report(const Error& error, int exit_code) {
  std::cerr << "错误 / error: " << error.message() << "\n";
  return exit_code;
}

int report(const std::string& text, int exit_code) {
  std::cerr << "错误 / error: " << text << "\n";
  return exit_code;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool write_file(const std::string& path, std::string_view bytes, mode_t mode) {
  return !write_durably(path, bytes, mode).has_value();
}

// --option, else the environment variable, else nullopt.
std::optional<std::string> secret(const std::string& given, const char* env) {
  if (!given.empty()) return given;
  if (const char* value = std::getenv(env); value != nullptr && *value != '\0') return std::string(value);
  return std::nullopt;
}

std::optional<nlohmann::json> read_json(const std::string& path) {
  auto text = read_file(path);
  if (!text) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

struct Options {
  std::string out, module, deputy, so_pin, pin, issued, session, issuer_key, passphrase, cards, issuer;
  long slot = -1;
  bool fast_kdf = false;
};

int keygen(const Options& o) {
  auto passphrase = secret(o.passphrase, "HALLVOTE_ISSUER_PASSPHRASE");
  if (!passphrase)
    return report("缺少口令（--passphrase 或 HALLVOTE_ISSUER_PASSPHRASE）/ no passphrase", kUsage);
  const auto key = crypto::SigningKey::generate();
  const auto sealed =
      crypto::seal_key_file(kIssuerKeyKind, key.seed().reveal(), *passphrase,
                            o.fast_kdf ? crypto::KdfParams::minimal() : crypto::KdfParams::moderate());
  if (!write_file(o.out, std::string_view(reinterpret_cast<const char*>(sealed.data()), sealed.size()), 0600))
    return report("无法写入 / cannot write " + o.out, kFiles);
  std::cout
      << "发卡单位密钥已生成：" << o.out << "\n"
      << "issuer key written to " << o.out << "\n"
      << "发卡单位公钥（请公布给各会场与审计人员）/ issuer public key (publish it to halls and auditors):\n"
      << key.verify_key().hex() << "\n";
  return kDone;
}

int issue(const Options& o) {
  auto so_pin = secret(o.so_pin, "HALLVOTE_SO_PIN");
  auto pin = secret(o.pin, "HALLVOTE_CARD_PIN");
  if (!so_pin || !pin)
    return report("缺少安全管理员密码或代表证密码 / no SO PIN or card PIN (--so-pin/--pin or environment)",
                  kUsage);
  auto module = hardware::pkcs11::Module::load(o.module);
  if (!module) return report(module.error(), kRefused);
  Result<ck_slot_id_t> slot =
      o.slot >= 0 ? Result<ck_slot_id_t>(static_cast<ck_slot_id_t>(o.slot)) : blank_token_slot(**module);
  if (!slot) return report(slot.error(), kRefused);
  auto issued = issue_card(*module, *slot, {o.deputy, *so_pin, *pin});
  if (!issued) return report(issued.error(), kRefused);
  nlohmann::json record = nlohmann::json::object();
  if (auto existing = read_json(o.issued)) record = *existing;
  if (!record.is_object())
    return report("已发卡记录不是 JSON 对象 / " + o.issued + ": not a JSON object", kFiles);
  record[o.deputy] = issued->credential.hex();
  if (!write_file(o.issued, record.dump(2) + "\n", 0644))
    return report("无法写入 / cannot write " + o.issued, kFiles);
  std::cout << "代表证已发：" << o.deputy << "（密钥在卡内生成，不可导出）\n"
            << "card issued for " << o.deputy << " (key made on the card, not extractable)\n"
            << "公钥 / public key: " << issued->credential.hex() << "\n";
  return kDone;
}

int list(const Options& o) {
  auto session = session::load_session(o.session);
  if (!session) return report(session.error(), kFiles);
  auto issued = read_json(o.issued);
  if (!issued || !issued->is_object())
    return report("无法读取已发卡记录 / cannot read the issued cards " + o.issued, kFiles);
  CardList card_list;
  card_list.roster_hash = roster_hash(session->roster);
  for (const auto& deputy : session->roster) {
    const auto it = issued->find(deputy.id);
    if (it == issued->end() || !it->is_string())
      return report("代表 " + deputy.id + " 尚未发卡 / no card issued for deputy " + deputy.id, kRefused);
    auto key = crypto::VerifyKey::from_hex(it->get<std::string>());
    if (!key) return report("代表 " + deputy.id + " 的公钥无效 / deputy " + deputy.id + ": bad key", kRefused);
    card_list.cards.emplace(deputy.id, *key);
  }
  auto passphrase = secret(o.passphrase, "HALLVOTE_ISSUER_PASSPHRASE");
  if (!passphrase)
    return report("缺少口令（--passphrase 或 HALLVOTE_ISSUER_PASSPHRASE）/ no passphrase", kUsage);
  auto sealed = read_file(o.issuer_key);
  if (!sealed) return report("无法读取 / cannot read " + o.issuer_key, kFiles);
  auto seed_bytes = crypto::open_key_file(crypto::as_bytes(*sealed), kIssuerKeyKind, *passphrase);
  if (!seed_bytes) return report(seed_bytes.error(), kRefused);
  if (seed_bytes->reveal().size() != 32)
    return report("发卡单位密钥文件损坏 / damaged issuer key file", kRefused);
  crypto::SecretArray<32> seed;
  std::copy_n(seed_bytes->reveal().begin(), 32, seed.mutable_bytes().begin());
  sign(card_list, crypto::SigningKey::from_seed(seed));
  if (!write_file(o.out, card_list.to_json().dump(2) + "\n", 0644))
    return report("无法写入 / cannot write " + o.out, kFiles);
  std::cout << "代表证清单已签发：" << card_list.cards.size() << " 张，" << o.out << "\n"
            << "card list of " << card_list.cards.size() << " cards signed: " << o.out << "\n"
            << "名册摘要 / roster hash: " << crypto::to_hex(card_list.roster_hash) << "\n";
  return kDone;
}

int verify(const Options& o) {
  auto session = session::load_session(o.session);
  if (!session) return report(session.error(), kFiles);
  auto json = read_json(o.cards);
  if (!json) return report("无法读取 / cannot read " + o.cards, kFiles);
  auto issuer = crypto::VerifyKey::from_hex(o.issuer);
  if (!issuer) return report("--issuer 应为64位十六进制公钥 / --issuer: a public key in 64 hex digits", kUsage);
  auto accepted = accept(*json, session->roster, {*issuer, false});
  if (!accepted) return report(accepted.error(), kRefused);
  std::cout << "代表证清单有效：" << accepted->cards.size() << " 张，由发卡单位签发，名册相符\n"
            << "card list valid: " << accepted->cards.size()
            << " cards, signed by the issuing office, for this roster\n";
  return kDone;
}

}  // namespace
}  // namespace hallvote::cards

int main(int argc, char** argv) {
  using namespace hallvote::cards;
  CLI::App app("hallvote-cards: 发卡单位的代表证工具 / the card-issuing office's tool (docs/cards.md)");
  app.require_subcommand(1);
  Options o;
  int exit_code = kDone;

  auto* keygen_cmd = app.add_subcommand("keygen", "生成发卡单位签名密钥 / make the office's issuer key");
  keygen_cmd->add_option("--out", o.out, "密钥文件 / key file (sealed, 0600)")->required();
  keygen_cmd->add_option("--passphrase", o.passphrase, "口令（默认 HALLVOTE_ISSUER_PASSPHRASE）/ passphrase");
  keygen_cmd->add_flag("--insecure-fast-kdf", o.fast_kdf, "演示用最低口令派生强度 / minimal KDF cost (tests)");
  keygen_cmd->callback([&] { exit_code = keygen(o); });

  auto* issue_cmd = app.add_subcommand(
      "issue", "在空白令牌上发一张代表证（清空令牌）/ issue one card on a blank token (erases it)");
  issue_cmd
      ->add_option("--module", o.module,
                   "PKCS#11 模块 / module, e.g. /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so")
      ->required();
  issue_cmd->add_option("--slot", o.slot, "槽位（默认：唯一的空白令牌）/ slot (default: the one blank token)");
  issue_cmd->add_option("--deputy", o.deputy, "代表编号（写作令牌标签）/ deputy id (the token label)")
      ->required();
  issue_cmd->add_option("--so-pin", o.so_pin, "安全管理员密码（默认 HALLVOTE_SO_PIN）/ SO PIN");
  issue_cmd->add_option("--pin", o.pin, "代表证密码，6位数字（默认 HALLVOTE_CARD_PIN）/ card PIN, 6 digits");
  issue_cmd->add_option("--issued", o.issued, "已发卡记录 / issued cards {id: key} (created or updated)")
      ->required();
  issue_cmd->callback([&] { exit_code = issue(o); });

  auto* list_cmd = app.add_subcommand("list", "签发代表证清单 / sign the card list of a roster");
  list_cmd->add_option("--session", o.session, "会议文件（名册）/ session TOML (its roster)")->required();
  list_cmd->add_option("--issued", o.issued, "已发卡记录 / issued cards (from issue)")->required();
  list_cmd->add_option("--issuer-key", o.issuer_key, "发卡单位密钥文件 / issuer key file")->required();
  list_cmd->add_option("--passphrase", o.passphrase, "口令（默认 HALLVOTE_ISSUER_PASSPHRASE）/ passphrase");
  list_cmd->add_option("--out", o.out, "代表证清单 / card list (cards.json)")->required();
  list_cmd->callback([&] { exit_code = list(o); });

  auto* verify_cmd = app.add_subcommand("verify", "核验代表证清单 / check a card list");
  verify_cmd->add_option("--cards", o.cards, "代表证清单 / card list")->required();
  verify_cmd->add_option("--session", o.session, "会议文件（名册）/ session TOML (its roster)")->required();
  verify_cmd->add_option("--issuer", o.issuer, "发卡单位公钥 / issuer public key, hex")->required();
  verify_cmd->callback([&] { exit_code = verify(o); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kDone : kUsage;
  }
  return exit_code;
}
