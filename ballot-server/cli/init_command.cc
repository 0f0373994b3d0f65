// hallvote-server init: a new hall directory (CA, server certificate and keys, hall.json).
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hallvote/cards/card_list.h"
#include "hallvote/hall/ceremony_board.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/files.h"
#include "hallvote/hall/fingerprint.h"
#include "hallvote/hall/hall_dir.h"
#include "hallvote/hall/overrides.h"
#include "hallvote/network/hall_ca.h"
#include "hallvote/protocol/key_ceremony.h"
#include "hallvote/session/loader.h"

namespace hallvote::server_tool {
namespace {

namespace fs = std::filesystem;

struct InitOptions {
  std::string dir = "var/hall";
  std::string session;
  std::string cards, officials, election;
  std::string ceremony;     // the key ceremony's folder (hallvote-presidium ceremony-call / ceremony-member)
  std::string card_issuer;  // the issuing office's public key, hex
  std::optional<std::string> passphrase;
  bool insecure_fast_kdf = false;
  bool force = false;
  std::vector<std::string> dns{"localhost"};
  std::vector<std::string> ips{"127.0.0.1"};
};

Result<nlohmann::json> optional_json(const std::string& path) {
  if (path.empty()) return nlohmann::json();
  return setup::read_json(path);
}

// Removes what an earlier init (and its runs) left, for --force.
void clear_hall(const setup::HallPaths& p) {
  for (const auto& file : {p.hall_json(), p.ca_cert(), p.ca_key(), p.server_cert(), p.server_tls_key(),
                           p.server_signing_key(), p.log_db(), p.dir / "session.db-wal",
                           p.dir / "session.db-shm", p.dir / "session.checkpoint", p.dir / "listen.json"}) {
    std::error_code ignored;
    fs::remove(file, ignored);
  }
  std::error_code ignored;
  fs::remove_all(p.operators(), ignored);
  fs::remove_all(p.terminals(), ignored);
}

// The key ceremony the members held on their own machines, from its folder: every message checked, every step
// complete, every member's fingerprint signed (protocol::verify_ceremony), the call this session's. Yields the
// election record and the members' signing keys it establishes, and the transcript to log in entry 0.
struct AcceptedCeremony {
  setup::ElectionRecord election;
  nlohmann::json officials;
  protocol::CeremonyRecord record;
};

Result<AcceptedCeremony> accept_ceremony(const std::string& folder, const session::SessionDefinition& session,
                                         const session::SessionFiles& files) {
  const setup::CeremonyBoard board(folder);
  auto transcript = setup::load_board(board, true);
  if (!transcript)
    return fail(transcript.error().code, "密钥仪式目录 " + folder + "：" + transcript.error().message());
  if (auto ok = transcript->call().matches(session, files); !ok) return forward(ok.error());
  protocol::CeremonyRecord whole;
  whole.call = transcript->call();
  whole.messages = transcript->messages();
  auto record = protocol::verify_ceremony(whole.to_json());
  if (!record)
    return fail(record.error().code,
                "密钥仪式未完成或记录不成立 / the ceremony is incomplete or does "
                "not verify: " +
                    record.error().message());
  AcceptedCeremony out;
  const auto& key = record->qualification.key;
  out.election.ceremony_id = record->call.ceremony_id;
  out.election.k = key.params.k;
  out.election.n = key.params.n;
  out.election.election_key = key.election_key.encode();
  out.election.trustee_ids = record->call.committee;
  for (const auto& trustee : key.trustee_keys) out.election.trustee_keys.push_back(trustee.encode());
  out.officials = record->signing_keys;
  out.record = std::move(*record);
  return out;
}

// The card list, as init takes it (docs/cards.md §4.3): signed, over this session's roster, and by the issuing
// office named with --card-issuer; without --card-issuer only a demo list (simulated cards) is taken.
Result<cards::CardList> accept_card_list(const nlohmann::json& list, const session::SessionDefinition& session,
                                         const InitOptions& o) {
  cards::Acceptance rules;
  if (!o.card_issuer.empty()) {
    auto issuer = crypto::VerifyKey::from_hex(o.card_issuer);
    if (!issuer) {
      return fail(std::errc::invalid_argument,
                  "--card-issuer 应为64位十六进制公钥 / --card-issuer: expected a public key in 64 hex digits");
    }
    rules.expected_issuer = *issuer;
  } else {
    rules.allow_demo = true;
  }
  auto accepted = cards::accept(list, session.roster, rules);
  if (accepted && !accepted->demo && !rules.expected_issuer) {
    return fail(
        std::errc::invalid_argument,
        "真实代表证清单须以 --card-issuer 给出发卡单位公钥 / a real card list needs the issuing office's "
        "public key (--card-issuer)");
  }
  return accepted;
}

int run_init(const InitOptions& o) {
  setup::HallPaths paths{o.dir};
  if (fs::exists(paths.hall_json()) || fs::exists(paths.log_db())) {
    if (!o.force) {
      return setup::report_error(
          "会场目录 " + o.dir + " 已初始化，拒绝覆盖（确需重建请加 --force，旧日志将被删除）/ " + o.dir +
              " already holds a hall; refusing to overwrite it (--force starts over and deletes the old log)",
          setup::kExitSetup);
    }
    clear_hall(paths);
  }
  if (o.cards.empty()) {
    return setup::report_error(
        "缺少发卡单位签发的代表证清单 --cards / init needs the issuer-signed card list (--cards)",
        setup::kExitSetup);
  }
  auto passphrase = setup::hall_passphrase(o.passphrase);
  if (!passphrase) return setup::report_error(passphrase.error().message(), setup::kExitSetup);

  auto loaded = session::load_session_with_files(o.session);
  if (!loaded) return setup::report_error(loaded.error().message(), setup::kExitSetup);
  session::SessionDefinition* session = &loaded->definition;
  auto cards = setup::read_json(o.cards);
  if (!o.ceremony.empty() && (!o.officials.empty() || !o.election.empty())) {
    return setup::report_error(
        "--ceremony 已给出选举公钥与成员签名公钥，不能再用 --officials/--election / --ceremony establishes the "
        "election key and the members' keys: do not also give --officials or --election",
        setup::kExitUsage);
  }
  auto officials = optional_json(o.officials);
  auto election = optional_json(o.election);
  for (const auto* input : {&cards, &officials, &election}) {
    if (!*input) return setup::report_error(input->error().message(), setup::kExitSetup);
  }
  std::optional<AcceptedCeremony> ceremony;
  if (!o.ceremony.empty()) {
    auto accepted = accept_ceremony(o.ceremony, *session, loaded->files);
    if (!accepted) return setup::report_error(accepted.error().message(), setup::kExitSetup);
    *officials = accepted->officials;
    *election = accepted->election.to_json();
    ceremony = std::move(*accepted);
  }
  auto card_list = accept_card_list(*cards, *session, o);
  if (!card_list) return setup::report_error(card_list.error().message(), setup::kExitSetup);
  if (auto ok = setup::apply_overrides(*session, *cards, *officials); !ok) {
    return setup::report_error(ok.error().message(), setup::kExitSetup);
  }
  if (!election->is_null()) {
    auto record = setup::ElectionRecord::from_json(*election);
    if (!record) return setup::report_error(record.error().message(), setup::kExitSetup);
    if (auto ok = record->matches(session->key_committee); !ok)
      return setup::report_error(ok.error().message(), setup::kExitSetup);
  }

  std::error_code created;
  fs::create_directories(paths.dir, created);
  fs::create_directories(paths.operators(), created);
  fs::create_directories(paths.terminals(), created);
  if (created)
    return setup::report_error("无法创建目录 / cannot create " + o.dir + ": " + created.message(),
                               setup::kExitSetup);

  auto ca = network::HallCa::create("hallvote-ca");
  if (!ca) return setup::report_error(ca.error().message(), setup::kExitFailed);
  auto server_tls = network::generate_key_and_csr("server");
  if (!server_tls) return setup::report_error(server_tls.error().message(), setup::kExitFailed);
  network::ServerNames names{o.dns, o.ips};
  auto server_cert = ca->issue_server(server_tls->csr_pem, names);
  if (!server_cert) return setup::report_error(server_cert.error().message(), setup::kExitFailed);
  const crypto::SigningKey signing = crypto::SigningKey::generate();
  auto ca_fingerprint = setup::certificate_fingerprint(ca->certificate_pem());
  if (!ca_fingerprint) return setup::report_error(ca_fingerprint.error().message(), setup::kExitFailed);

  const auto kdf = setup::kdf_params(o.insecure_fast_kdf);
  setup::HallRecord record;
  record.session_path = fs::absolute(o.session).lexically_normal();
  record.origin = setup::log_origin(session->info.id);
  record.server_key_hex = signing.verify_key().hex();
  record.ca_fingerprint = *ca_fingerprint;
  record.cards = card_list->to_json();
  record.officials = *officials;
  record.election = *election;
  if (ceremony) record.key_ceremony = ceremony->record.to_json();
  for (auto written :
       {setup::write_file(paths.ca_cert(), ca->certificate_pem(), setup::FileMode::plain),
        setup::write_sealed(paths.ca_key(), setup::kCaKeyKind, ca->private_key_pem().reveal(), *passphrase,
                            kdf),
        setup::write_file(paths.server_cert(), *server_cert, setup::FileMode::plain),
        setup::write_sealed(paths.server_tls_key(), setup::kTlsKeyKind, server_tls->private_key_pem.reveal(),
                            *passphrase, kdf),
        setup::write_sealed(paths.server_signing_key(), setup::kSigningKeyKind, signing.seed().reveal(),
                            *passphrase, kdf),
        setup::write_file(paths.hall_json(), record.to_json().dump(2) + "\n", setup::FileMode::plain)}) {
    if (!written) return setup::report_error(written.error().message(), setup::kExitSetup);
  }
  const audit::NoteKey log_key{record.origin, audit::kNoteEd25519, signing.verify_key()};
  std::cout << "会场已初始化 / hall initialised: " << o.dir << "\n"
            << "  会议 / session: " << session->info.body << " (" << session->info.id << ")\n"
            << "  审计日志公钥 / log vkey: " << log_key.vkey() << "\n"
            << "  会场CA指纹 / hall CA fingerprint (SHA-256): " << record.ca_fingerprint << "\n";
  if (election->is_null()) {
    std::cout << "  尚无选举公钥：运行前需以 --election 重新初始化 / no election key yet: re-run init with "
                 "--election "
                 "before `run`\n";
  }
  if (ceremony) {
    const auto& q = ceremony->record.qualification;
    std::cout << "  密钥仪式 / key ceremony: " << ceremony->record.call.ceremony_id << "，合格分发者 "
              << q.qualified.size() << " 名，公钥指纹 / key fingerprint "
              << protocol::spoken_fingerprint(q.fingerprint) << "（已记入首条目 / logged in entry 0）\n";
  } else if (!election->is_null()) {
    std::cout
        << "  注意：选举公钥来自单机演示仪式，未附仪式记录 / the election key comes from a one-process demo "
           "ceremony: no transcript to log\n";
  }
  if (card_list->demo) {
    std::cout
        << "  注意：模拟代表证（演示专用，知道种子即可冒充任何代表）/ simulated cards: demo only, the seed "
           "impersonates anyone\n";
  } else {
    std::cout << "  发卡单位公钥 / card issuer: " << card_list->issuer.hex() << "\n";
  }
  if (o.insecure_fast_kdf) {
    std::cout
        << "  注意：密钥文件使用最低强度口令派生（仅限演示）/ key files use the minimal KDF cost (demo only)\n";
  }
  return setup::kExitOk;
}

}  // namespace

void add_init_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<InitOptions>();
  auto* cmd =
      app.add_subcommand("init",
                         "初始化会场：建立会场CA、服务器证书与签名密钥 / create a hall: CA, server certificate "
                         "and signing key, hall.json (keys sealed with the passphrase)");
  cmd->add_option("--dir", options->dir, "会场目录 / hall directory")->capture_default_str();
  cmd->add_option("--session", options->session, "会议文件 / session TOML file")->required();
  cmd->add_option(
      "--cards", options->cards,
      "发卡单位签发的代表证清单 / the issuer-signed card list (hallvote-cards list, or `cards` for a "
      "demo; required)");
  cmd->add_option(
      "--card-issuer", options->card_issuer,
      "发卡单位公钥（64位十六进制；演示清单可省略）/ the card-issuing office's public key, hex (omit "
      "only for a demo list)");
  cmd->add_option(
      "--ceremony", options->ceremony,
      "密钥仪式目录：核验全部仪式消息并记入日志 / the key ceremony's folder: every message is checked, "
      "the election key and members' keys taken from it, the transcript logged");
  cmd->add_option("--officials", options->officials, "主席团签名公钥表 / officials.json from the key ceremony");
  cmd->add_option("--election", options->election, "选举公钥 / election.json from the key ceremony");
  cmd->add_option("--passphrase", options->passphrase,
                  "密钥口令（默认读 HALLVOTE_PASSPHRASE；命令行上的口令他人可见）/ passphrase sealing the keys "
                  "(default $HALLVOTE_PASSPHRASE; visible to other users when given here)");
  cmd->add_flag("--insecure-fast-kdf", options->insecure_fast_kdf,
                "演示用最低口令派生强度 / minimal KDF cost (demo/test)");
  cmd->add_flag("--force", options->force,
                "覆盖已有会场（删除旧日志）/ start over, deleting an existing hall and its log");
  cmd->add_option("--dns", options->dns, "服务器证书中的主机名 / server certificate DNS names")
      ->capture_default_str();
  cmd->add_option("--ip", options->ips, "服务器证书中的地址 / server certificate IP addresses")
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = run_init(*options); });
}

}  // namespace hallvote::server_tool
