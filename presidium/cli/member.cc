#include "member.h"

#include <iostream>

#include "hallvote/hall/exit_codes.h"
#include "hallvote/hall/files.h"
#include "hallvote/presidium/ceremony.h"
#include "hallvote/presidium/confirm.h"

namespace hallvote::presidium_tool {
void add_member_options(CLI::App& command, MemberOptions& options) {
  command.add_option("--dir", options.dir, "会场目录 / hall directory")->capture_default_str();
  command.add_option("--as", options.as, "本人的成员编号 / your official id (e.g. P01)")->required();
  command
      .add_option("--keys", options.keys,
                  "存放本人密钥文件 ID.sign、ID.share 的目录 / the folder holding your ID.sign, ID.share")
      ->required();
  command.add_option("--passphrase-file", options.passphrase.file,
                     "从文件第一行读密钥口令（文件须仅本人可读，0600；用于脚本）/ read the key passphrase from "
                     "the first line of FILE (mode 0600, readable only by you; for scripts). Default: asked on "
                     "the terminal");
  command.add_option(
      "--passphrase-fd", options.passphrase.fd,
      "从已打开的文件描述符读密钥口令（用于脚本）/ read the key passphrase from file descriptor N "
      "(for scripts)");
  command.add_flag("--yes", options.yes,
                   "不询问，显示核对内容后直接签署（非交互运行）/ do not ask: print what is signed, then sign "
                   "(non-interactive runs)");
  command.add_option("--address", options.address, "服务器地址（默认取会场目录）/ server address");
  command.add_option("--port", options.port, "服务器端口（默认取会场目录）/ server port");
}

Result<const session::Official*> find_member(const setup::Hall& hall, const MemberOptions& options) {
  const auto* official = hall.session.find_official(options.as);
  if (official == nullptr) {
    return fail(std::errc::invalid_argument,
                "主席团/监票人中没有 " + options.as + " / no key-committee member '" + options.as + "'");
  }
  return official;
}

bool member_confirms(const MemberOptions& options, const std::string& review, const std::string& question) {
  std::cout << review;
  return presidium::confirm(std::cin, std::cout, question, options.yes);
}

Result<crypto::SecretBytes> open_member_key(const MemberOptions& options, const std::filesystem::path& path,
                                            std::string_view kind) {
  auto passphrase = presidium::member_passphrase(
      options.passphrase, "请输入 " + options.as + " 的密钥口令（输入时不显示）/ passphrase of " + options.as +
                              "'s keys (not shown): ");
  if (!passphrase) return forward(passphrase.error());
  return setup::read_sealed(path, kind, presidium::as_text(*passphrase));
}

Result<crypto::SigningKey> load_signing_key(const setup::Hall& hall, const MemberOptions& options) {
  auto official = find_member(hall, options);
  if (!official) return forward(official.error());
  auto seed =
      open_member_key(options, presidium::signing_file(options.keys, options.as), presidium::kSigningKind);
  if (!seed) return forward(seed.error());
  if (seed->size() != 32) return fail(std::errc::invalid_argument, options.as + ".sign: not a 32-byte seed");
  crypto::SecretArray<32> seed_bytes;
  std::copy(seed->reveal().begin(), seed->reveal().end(), seed_bytes.mutable_bytes().begin());
  crypto::SigningKey key = crypto::SigningKey::from_seed(seed_bytes);
  if (key.verify_key().hex() != (*official)->public_key) {
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
