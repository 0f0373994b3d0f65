// hallvote-presidium cosign: a key-committee member checks the server's latest checkpoint of the log and adds a
// tlog-cosignature, so that the record can no longer be forked without the member noticing (C2SP
// tlog-cosignature; docs/audit-log.md).
#include <chrono>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hall_client.h"
#include "hallvote/audit/checkpoint.h"
#include "hallvote/audit/note.h"
#include "hallvote/presidium/ceremony.h"
#include "hallvote/setup/exit_codes.h"
#include "hallvote/setup/files.h"

namespace hallvote::presidium_tool {
namespace {

struct CosignCommand {
  std::string dir = "var/hall";
  std::string as;
  std::string keys;
  std::optional<std::string> passphrase;
  std::string prefix = kDemoPassphrasePrefix;
  std::optional<std::string> address;
  std::optional<std::uint16_t> port;
};

int run_cosign(const CosignCommand& o) {
  auto hall = setup::load_hall(o.dir);
  if (!hall) return report_error(hall.error().message(), setup::kExitSetup);
  if (hall->session.find_official(o.as) == nullptr) {
    return report_error("主席团/监票人中没有 " + o.as + " / no key-committee member '" + o.as + "'", setup::kExitUsage);
  }
  const std::string passphrase = o.passphrase ? *o.passphrase : o.prefix + o.as;
  auto seed = setup::read_sealed(presidium::signing_file(o.keys, o.as), presidium::kSigningKind, passphrase);
  if (!seed || seed->size() != 32) return report_error(seed ? o.as + ".sign: not a 32-byte seed" : seed.error().message(), setup::kExitSetup);
  crypto::SecretArray<32> seed_bytes;
  std::copy(seed->reveal().begin(), seed->reveal().end(), seed_bytes.mutable_bytes().begin());
  const crypto::SigningKey key = crypto::SigningKey::from_seed(seed_bytes);

  auto options = setup::client_options(*hall, hall->paths.operators(), o.as,
                                       setup::resolve_endpoint(hall->paths, o.address, o.port));
  if (!options) return report_error(options.error().message(), setup::kExitSetup);
  network::ClientContext context(1);
  auto client = setup::HallClient::connect(context, std::move(*options));
  if (!client) return report_error(client.error().message(), setup::kExitNetwork);
  auto fetched = client->call(protocol::MessageType::checkpoint, nlohmann::json::object());
  if (!fetched) return report_error(fetched.error().message(), setup::kExitNetwork);
  if (!fetched->ok) return report_error("服务器拒绝 / the server refused: " + setup::refusal_text(*fetched), setup::kExitFailed);
  // Cosign only what the log key really signed.
  auto verified = audit::verify_checkpoint_note(fetched->body.value("note", ""), hall->log_key(), hall->cosigners());
  if (!verified) return report_error("检查点签名无效 / the checkpoint does not verify: " + verified.error().message(), setup::kExitFailed);
  auto note = audit::parse_note(fetched->body.value("note", ""));
  if (!note) return report_error(note.error().message(), setup::kExitFailed);
  const auto now = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const audit::NoteSignature cosignature = audit::cosign_note(note->text, hall->log_key().name + "/" + o.as, key, now);
  auto sent = client->call(protocol::MessageType::cosign, {{"size", verified->checkpoint.size},
                                                         {"name", cosignature.name},
                                                         {"key_id", cosignature.key_id},
                                                         {"signature", crypto::to_hex(cosignature.signature)}});
  if (!sent) return report_error(sent.error().message(), setup::kExitNetwork);
  if (!sent->ok) return report_error("服务器拒绝 / the server refused: " + setup::refusal_text(*sent), setup::kExitFailed);
  std::cout << hall->session.find_official(o.as)->name << "（" << o.as << "）已联署检查点 / cosigned the checkpoint of "
            << verified->checkpoint.size << " entries\n";
  return setup::kExitOk;
}

}  // namespace

void add_cosign_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CosignCommand>();
  auto* cmd = app.add_subcommand("cosign", "联署日志检查点 / check and cosign the log's latest checkpoint");
  cmd->add_option("--dir", options->dir, "会场目录 / hall directory")->capture_default_str();
  cmd->add_option("--as", options->as, "成员编号 / official id")->required();
  cmd->add_option("--keys", options->keys, "密钥仪式输出目录 / the ceremony folder holding ID.sign")->required();
  cmd->add_option("--passphrase", options->passphrase, "密钥口令 / passphrase of ID.sign (default: prefix + id)");
  cmd->add_option("--passphrase-prefix", options->prefix, "口令前缀 / passphrase prefix")->capture_default_str();
  cmd->add_option("--address", options->address, "服务器地址 / server address");
  cmd->add_option("--port", options->port, "服务器端口 / server port");
  cmd->callback([options, &exit_code] { exit_code = run_cosign(*options); });
}

}  // namespace hallvote::presidium_tool
