#include "member.h"

#include "commands.h"
#include "hallvote/hall/exit_codes.h"
#include "hallvote/hall/files.h"
#include "hallvote/presidium/ceremony.h"

namespace hallvote::presidium_tool {

void add_member_options(CLI::App& command, MemberOptions& options) {
  options.prefix = kDemoPassphrasePrefix;
  command.add_option("--dir", options.dir, "会场目录 / hall directory")->capture_default_str();
  command.add_option("--as", options.as, "成员编号 / official id (e.g. P01)")->required();
  command
      .add_option("--keys", options.keys, "密钥仪式输出目录 / the ceremony folder holding ID.sign, ID.share")
      ->required();
  command.add_option("--passphrase", options.passphrase,
                     "密钥口令 / passphrase of the key files (default: prefix + id)");
  command.add_option("--passphrase-prefix", options.prefix, "口令前缀 / passphrase prefix")
      ->capture_default_str();
  command.add_option("--address", options.address, "服务器地址 / server address");
  command.add_option("--port", options.port, "服务器端口 / server port");
}

Result<crypto::SigningKey> load_signing_key(const setup::Hall& hall, const MemberOptions& options) {
  const auto* official = hall.session.find_official(options.as);
  if (official == nullptr) {
    return fail(std::errc::invalid_argument,
                "主席团/监票人中没有 " + options.as + " / no key-committee member '" + options.as + "'");
  }
  auto seed = setup::read_sealed(presidium::signing_file(options.keys, options.as), presidium::kSigningKind,
                                 options.key_passphrase());
  if (!seed) return forward(seed.error());
  if (seed->size() != 32) return fail(std::errc::invalid_argument, options.as + ".sign: not a 32-byte seed");
  crypto::SecretArray<32> seed_bytes;
  std::copy(seed->reveal().begin(), seed->reveal().end(), seed_bytes.mutable_bytes().begin());
  crypto::SigningKey key = crypto::SigningKey::from_seed(seed_bytes);
  if (key.verify_key().hex() != official->public_key) {
    return fail(std::errc::invalid_argument,
                "签名密钥与会议登记的公钥不符 / this signing key is not " + options.as + "'s registered key");
  }
  return key;
}

Result<setup::HallClient> connect_member(const setup::Hall& hall, const MemberOptions& options,
                                         network::ClientContext& context) {
  auto client_options =
      setup::client_options(hall, hall.paths.operators(), options.as,
                            setup::resolve_endpoint(hall.paths, options.address, options.port));
  if (!client_options) return forward(client_options.error());
  return setup::HallClient::connect(context, std::move(*client_options));
}

tl::expected<nlohmann::json, Refusal> request(setup::HallClient& client, protocol::MessageType type,
                                              nlohmann::json fields) {
  auto answer = client.call(type, std::move(fields));
  if (!answer) return tl::unexpected(Refusal{answer.error().message(), setup::kExitNetwork});
  if (!answer->ok) {
    return tl::unexpected(
        Refusal{"服务器拒绝 / the server refused: " + setup::refusal_text(*answer), setup::kExitFailed});
  }
  return answer->body;
}

}  // namespace hallvote::presidium_tool
