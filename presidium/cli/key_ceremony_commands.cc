// hallvote-presidium ceremony-call and ceremony-member: the key ceremony held on the members' own machines
// (docs/crypto.md §6.5, docs/guide-presidium.md §2). The chair's office writes the call into a ceremony folder;
// each member runs ceremony-member on their own machine with their own key folder, against that folder (shared,
// or carried on removable media); the hall server's init then checks and logs the whole transcript.
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/files.h"
#include "hallvote/presidium/ceremony.h"
#include "hallvote/presidium/ceremony_member.h"
#include "hallvote/presidium/confirm.h"
#include "hallvote/presidium/passphrase.h"
#include "hallvote/session/loader.h"

namespace hallvote::presidium_tool {
namespace {

namespace fs = std::filesystem;

struct CallCommand {
  std::string session;
  std::string board;
  std::vector<std::string> without;
  std::uint32_t attempt = 1;
};

struct MemberCommand {
  std::string session;
  std::string board;
  std::string as;
  std::string keys;
  presidium::PassphraseSource passphrase;
  bool yes = false;
  std::uint32_t deadline_seconds = 600;
  bool insecure_fast_kdf = false;
};

std::string describe(const session::SessionDefinition& session, const std::string& id) {
  const session::Official* official = session.find_official(id);
  if (official == nullptr) return id;
  return official->name + "（" + id + "，" + std::string(session::display_name_zh(official->role)) + "）";
}

int run_call(const CallCommand& o) {
  auto loaded = session::load_session_with_files(o.session);
  if (!loaded) return setup::report_error(loaded.error().message(), setup::kExitSetup);
  const session::SessionDefinition* session = &loaded->definition;
  protocol::CeremonyCall call;
  call.ceremony_id = o.attempt <= 1 ? session->info.id : session->info.id + "#" + std::to_string(o.attempt);
  call.k = session->key_committee.quorum;
  call.session_digest = protocol::session_files_digest(loaded->files);
  for (const auto& member : session->key_committee.members) {
    call.committee.push_back(member.id);
    if (std::find(o.without.begin(), o.without.end(), member.id) != o.without.end())
      call.absent.push_back(member.id);
  }
  for (const auto& id : o.without) {
    if (std::find(call.committee.begin(), call.committee.end(), id) == call.committee.end()) {
      return setup::report_error("--without：" + id + " 不是密钥委员会成员 / is not a key committee member",
                                 setup::kExitUsage);
    }
  }
  if (auto checked = protocol::CeremonyCall::from_json(call.to_json()); !checked) {
    return setup::report_error(checked.error().message(), setup::kExitUsage);
  }
  const setup::CeremonyBoard board(o.board);
  if (auto ok = board.write_call(call); !ok)
    return setup::report_error(ok.error().message(), setup::kExitSetup);
  std::cout << "== 密钥仪式已发起 / key ceremony called: " << call.ceremony_id << " ==\n"
            << "  " << session->info.body << "：门限 " << call.k << "/" << call.committee.size() << "（任意 "
            << call.k << " 名成员共同解密）\n";
  for (const auto& id : call.participants()) {
    std::cout << "  受托人 " << call.index_of(id) << "：" << describe(*session, id) << "\n";
  }
  for (const auto& id : o.without)
    std::cout << "  不参加 / not taking part: " << describe(*session, id) << "\n";
  std::cout << "  请每位成员在本人电脑上运行 / each member now runs, on their own machine:\n"
            << "    hallvote-presidium ceremony-member --session <会议文件> --board " << o.board
            << " --as <本人编号> --keys <本人密钥目录>\n";
  return setup::kExitOk;
}

// The member's signing key: the one in <keys>/ID.sign, or a new one sealed there (made on this machine).
Result<crypto::SigningKey> member_signing_key(const MemberCommand& o, std::string_view passphrase,
                                              bool& created) {
  const fs::path path = presidium::signing_file(o.keys, o.as);
  created = !fs::exists(path);
  if (!created) {
    auto seed = setup::read_sealed(path, presidium::kSigningKind, passphrase);
    if (!seed) return forward(seed.error());
    if (seed->size() != 32) return fail(std::errc::invalid_argument, path.string() + ": not a 32-byte seed");
    crypto::SecretArray<32> bytes;
    std::copy(seed->reveal().begin(), seed->reveal().end(), bytes.mutable_bytes().begin());
    return crypto::SigningKey::from_seed(bytes);
  }
  crypto::SigningKey key = crypto::SigningKey::generate();
  std::error_code error;
  fs::create_directories(o.keys, error);
  if (error) return fail(error, "无法创建密钥目录 / cannot create " + o.keys);
  if (auto ok = setup::write_sealed(path, presidium::kSigningKind, key.seed().reveal(), passphrase,
                                    setup::kdf_params(o.insecure_fast_kdf));
      !ok) {
    return forward(ok.error());
  }
  return key;
}

int run_member(const MemberCommand& o) {
  auto loaded = session::load_session_with_files(o.session);
  if (!loaded) return setup::report_error(loaded.error().message(), setup::kExitSetup);
  const session::SessionDefinition* session = &loaded->definition;
  const setup::CeremonyBoard board(o.board);
  auto call = board.read_call();
  if (!call) return setup::report_error(call.error().message(), setup::kExitSetup);
  // The member's own copy of the session files must be the one the ceremony was called for: signing the roll
  // call confirms it.
  if (auto ok = call->matches(*session, loaded->files); !ok) {
    return setup::report_error(ok.error().message(), setup::kExitSetup);
  }
  if (call->index_of(o.as) == 0) {
    return setup::report_error(o.as + " 不在本次仪式的成员名单中 / is not on this ceremony's call",
                               setup::kExitUsage);
  }
  const fs::path share_path = presidium::share_file(o.keys, o.as);
  if (fs::exists(share_path)) {
    return setup::report_error(share_path.string() +
                                   " 已存在：本人已有密钥份额，拒绝覆盖 / already exists: this member already "
                                   "holds a key share; not replaced",
                               setup::kExitSetup);
  }
  std::cout << "== 密钥仪式 / key ceremony " << call->ceremony_id << "：" << describe(*session, o.as) << " ==\n"
            << "  门限 " << call->k << "/" << call->committee.size() << "；参加成员：";
  const auto participants = call->participants();
  for (std::size_t j = 0; j < participants.size(); ++j) {
    std::cout << (j == 0 ? "" : "、") << describe(*session, participants[j]);
  }
  std::cout << "\n";
  auto passphrase = presidium::member_passphrase(
      o.passphrase,
      "请输入 " + o.as + " 的密钥口令（输入时不显示）/ passphrase of " + o.as + "'s keys (not shown): ");
  if (!passphrase) return setup::report_error(passphrase.error().message(), setup::kExitSetup);
  bool created = false;
  auto signing = member_signing_key(o, presidium::as_text(*passphrase), created);
  if (!signing) return setup::report_error(signing.error().message(), setup::kExitSetup);
  std::cout << "  "
            << (created ? "已在本机生成签名密钥 / made a new signing key here: "
                        : "使用已有签名密钥 / using my signing key: ")
            << signing->verify_key().hex() << "\n";

  presidium::MemberCeremony ceremony;
  ceremony.board = &board;
  ceremony.call = *call;
  ceremony.member = o.as;
  ceremony.signing = &*signing;
  ceremony.deadline = std::chrono::seconds(o.deadline_seconds);
  ceremony.progress = [](const std::string& line) { std::cout << "  " << line << std::endl; };
  ceremony.describe = [&](const std::string& id) { return describe(*session, id); };
  ceremony.confirm = [&](const std::string& what, const std::string& spoken) {
    std::cout << "  请宣读并与其他成员核对 / read aloud and compare with every member — " << what << ":\n"
              << "      " << spoken << "\n";
    return presidium::confirm(std::cin, std::cout, "与全体成员宣读的一致吗？/ does it match everyone's?",
                              o.yes);
  };
  auto result = presidium::run_member_ceremony(ceremony);
  if (!result) {
    const bool timed_out = result.error().code == std::errc::timed_out;
    return setup::report_error(
        "密钥仪式未完成 / the ceremony did not complete: " + result.error().message() +
            (timed_out
                 ? "\n  主持人可不含未响应成员重新发起：ceremony-call --without <编号> --attempt <次数> / the "
                   "chair may call a new attempt without them"
                 : ""),
        setup::kExitFailed);
  }
  auto secret = result->share.secret.reveal().encode();
  auto written = setup::write_sealed(share_path, presidium::kShareKind, secret, presidium::as_text(*passphrase),
                                     setup::kdf_params(o.insecure_fast_kdf));
  crypto::secure_wipe(secret);
  if (!written) return setup::report_error(written.error().message(), setup::kExitSetup);
  const auto& q = result->record.qualification;
  std::cout << "  密钥仪式完成 / ceremony complete: 合格分发者 " << q.qualified.size() << "/"
            << participants.size() << "\n"
            << "  选举公钥 / election key: " << crypto::to_hex(q.key.election_key.encode()) << "\n"
            << "  公钥指纹 / key fingerprint: " << protocol::spoken_fingerprint(q.fingerprint) << "\n"
            << "  本人份额已加密保存 / my share is sealed in: " << share_path.string() << "\n";
  return setup::kExitOk;
}

}  // namespace

void add_key_ceremony_commands(CLI::App& app, int& exit_code) {
  auto call = std::make_shared<CallCommand>();
  auto* call_cmd = app.add_subcommand("ceremony-call",
                                      "发起密钥仪式（大会秘书处）/ call a key ceremony: writes the call "
                                      "(ceremony id, threshold, members) into a "
                                      "new ceremony folder");
  call_cmd->add_option("--session", call->session, "会议文件 / session TOML file")->required();
  call_cmd->add_option("--board", call->board, "仪式目录（新建）/ the ceremony folder (new)")->required();
  call_cmd
      ->add_option("--without", call->without,
                   "不参加本次仪式的成员（未响应者），逗号分隔 / members left out (who did not answer)")
      ->delimiter(',');
  call_cmd
      ->add_option("--attempt", call->attempt,
                   "第几次仪式（重新发起时 ≥ 2）/ attempt number (≥ 2 on a restart)")
      ->check(CLI::Range(1u, 999u))
      ->capture_default_str();
  call_cmd->callback([call, &exit_code] { exit_code = run_call(*call); });

  auto member = std::make_shared<MemberCommand>();
  auto* member_cmd = app.add_subcommand(
      "ceremony-member",
      "在本人电脑上参加密钥仪式 / take part in the key ceremony on your own machine: your polynomial and "
      "shares never leave it; writes your sealed key share into --keys");
  member_cmd->add_option("--session", member->session, "会议文件 / session TOML file")->required();
  member_cmd->add_option("--board", member->board, "仪式目录 / the ceremony folder")->required();
  member_cmd->add_option("--as", member->as, "本人的成员编号 / your official id")->required();
  member_cmd->add_option("--keys", member->keys, "本人密钥目录 / your key folder (ID.sign, ID.share)")
      ->required();
  member_cmd->add_option("--passphrase-file", member->passphrase.file,
                         "从文件第一行读密钥口令（0600）/ read the key passphrase from FILE (mode 0600)");
  member_cmd->add_option("--passphrase-fd", member->passphrase.fd,
                         "从文件描述符读密钥口令 / read the key passphrase from descriptor N");
  member_cmd->add_flag(
      "--yes", member->yes,
      "不询问：显示指纹后直接签署（非交互运行）/ do not ask: print each fingerprint, then sign");
  member_cmd
      ->add_option("--deadline", member->deadline_seconds,
                   "每一步等待其他成员的时限（秒）/ seconds to wait for the others at each step")
      ->check(CLI::Range(1u, 86400u))
      ->capture_default_str();
  member_cmd->add_flag("--insecure-fast-kdf", member->insecure_fast_kdf,
                       "演示用最低口令派生强度 / minimal KDF cost (demo/test)");
  member_cmd->callback([member, &exit_code] { exit_code = run_member(*member); });
}

}  // namespace hallvote::presidium_tool
