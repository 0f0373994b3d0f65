// hallvote-presidium ceremony: the demo key ceremony (every member in this one process).
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/files.h"
#include "hallvote/presidium/ceremony.h"
#include "hallvote/session/loader.h"

namespace hallvote::presidium_tool {
namespace {

struct CeremonyCommand {
  std::string session;
  std::string out;
  std::string prefix = kDemoPassphrasePrefix;
  bool insecure_fast_kdf = false;
  bool force = false;
};

int run_ceremony(const CeremonyCommand& o) {
  auto session = session::load_session(o.session);
  if (!session) return setup::report_error(session.error().message(), setup::kExitSetup);
  const std::filesystem::path out = o.out;
  if (std::filesystem::exists(out / "election.json") && !o.force) {
    return setup::report_error(o.out + " 中已有密钥仪式结果，拒绝覆盖（--force）/ " + o.out +
                                   " already holds a ceremony's keys; refusing to overwrite them (--force)",
                               setup::kExitSetup);
  }
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error)
    return setup::report_error("无法创建目录 / cannot create " + o.out + ": " + error.message(),
                               setup::kExitSetup);
  std::cout << "== 主席团密钥仪式（演示模式：全部成员在本进程中，仅限演示与测试）/ key ceremony, DEMO MODE: "
               "every member "
               "in this one process — for demonstrations and tests only ==\n"
            << "  " << session->info.body << "：门限 " << session->key_committee.quorum << "/"
            << session->key_committee.members.size() << "（Pedersen DKG）\n";
  presidium::CeremonyOptions options;
  options.out = out;
  options.passphrase_prefix = o.prefix;
  options.kdf = setup::kdf_params(o.insecure_fast_kdf);
  options.progress = [](const std::string& line) { std::cout << "  " << line << "\n"; };
  auto result = presidium::run_demo_ceremony(*session, options);
  if (!result)
    return setup::report_error("密钥仪式失败 / the ceremony failed: " + result.error().message(),
                               setup::kExitFailed);
  std::cout << "  选举公钥 / election key: " << crypto::to_hex(result->election.election_key) << "\n"
            << "  已写出 / wrote: " << (out / "election.json").string() << ", "
            << (out / "officials.json").string() << ", <成员>.share, <成员>.sign\n";
  if (o.prefix == kDemoPassphrasePrefix) {
    std::cout << "  注意：密钥文件口令为默认演示前缀加成员编号 / key files use the default demo passphrase "
                 "prefix + id\n";
  }
  return setup::kExitOk;
}

}  // namespace

void add_ceremony_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CeremonyCommand>();
  auto* cmd = app.add_subcommand(
      "ceremony",
      "演示用密钥仪式 / demo key ceremony: runs the Pedersen DKG for the session's key committee in ONE "
      "process and "
      "writes each member's sealed share and signing key. A real ceremony runs each member's part on their own "
      "machine.");
  cmd->add_option("--session", options->session, "会议文件 / session TOML file")->required();
  cmd->add_option("--out", options->out, "输出目录 / output folder")->required();
  cmd->add_option(
         "--passphrase-prefix", options->prefix,
         "仅限演示：密钥文件口令 = 前缀 + 成员编号（成员运行 approve 等时按提示输入这个口令）/ DEMO ONLY: "
         "key file passphrase = prefix + official id (members type it when approve etc. ask)")
      ->capture_default_str();
  cmd->add_flag("--insecure-fast-kdf", options->insecure_fast_kdf,
                "演示用最低口令派生强度 / minimal KDF cost (demo/test)");
  cmd->add_flag("--force", options->force, "覆盖已有结果 / overwrite an earlier ceremony's files");
  cmd->callback([options, &exit_code] { exit_code = run_ceremony(*options); });
}

}  // namespace hallvote::presidium_tool
