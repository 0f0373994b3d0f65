// hallvote-server run: opens the session's audit log, rebuilds the state from it, and serves the hall over TLS
// until SIGINT/SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <future>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hall_listener.h"
#include "hallvote/audit/log.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/files.h"
#include "hallvote/hall/hall_dir.h"
#include "hallvote/hall/process.h"
#include "hallvote/hall/session_clock.h"
#include "hallvote/records/errors.h"
#include "hallvote/records/regenerate.h"
#include "hallvote/records/render.h"
#include "hallvote/server/hall_server.h"
#include "hallvote/tlog/bundle.h"

namespace hallvote::server_tool {
namespace {

// The records of every certified vote, regenerated from the log as an auditor would (one code path for both),
// into <hall>/records.
Result<std::string> write_hall_records(const setup::Hall& hall) {
  auto bundle = audit::export_bundle_from_db(hall.paths.log_db().string());
  if (!bundle) return forward(bundle.error());
  auto files = records::regenerate_records(*bundle);
  if (!files && files.error().code == records::RecordsErrc::nothing_certified) {
    return std::string(
        "尚无已决定的表决，暂无决议文件（需再次投票）/ no vote decided yet: no records until the next round");
  }
  if (!files) return forward(files.error());
  if (auto ok = records::write_records(*files, hall.paths.records()); !ok) return forward(ok.error());
  return "决议文件已写入 / records written: " + hall.paths.records().string() + "（" +
         std::to_string(files->size()) + " 个文件 / files）";
}

struct RunOptions {
  std::string dir = "var/hall";
  std::string address = "127.0.0.1";
  std::uint16_t port = 7443;
  std::optional<std::string> passphrase;
  unsigned io_threads = 2;
  unsigned workers = 32;
  unsigned status_seconds = 5;
  bool verbose = false;
};

// Asks the core as a console would (status and progress are read-only and not logged).
nlohmann::json ask(server::HallServer& core, protocol::MessageType type,
                   nlohmann::json fields = nlohmann::json::object()) {
  std::promise<crypto::Bytes> answer;
  auto future = answer.get_future();
  core.handle({"hallvote-server-console", protocol::Role::staff},
              protocol::encode_request(type, std::move(fields)),
              [&answer](crypto::Bytes bytes) { answer.set_value(std::move(bytes)); });
  auto response = protocol::decode_response(future.get());
  return response && response->ok ? response->body : nlohmann::json();
}

// One status line. `writing_was_stopped` carries the log's writing state from the previous line, so that the
// line after writing resumed says so once.
void print_status(server::HallServer& core, bool& writing_was_stopped) {
  const auto status = ask(core, protocol::MessageType::status);
  if (status.is_null()) return;
  char stamp[16];
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
  std::cout << "[" << stamp << "] " << status.value("state_zh", "") << "｜应到 " << status.value("in_office", 0)
            << " 人，实到 " << status.value("present", 0) << " 人"
            << (status.value("quorum_met", false) ? "（已达法定人数）" : "（未达法定人数）");
  const auto& vote = status["open_vote"];
  if (vote.is_object()) {
    const auto progress = ask(core, protocol::MessageType::progress, {{"vote_id", vote.value("vote_id", "")}});
    std::cout << "｜正在表决 " << vote.value("vote_id", "") << "《" << vote.value("title", "") << "》第"
              << vote.value("round", 0) << "轮：发出 " << progress.value("issued", 0) << " 张，收回 "
              << progress.value("returned", 0) << " 张";
  } else {
    std::cout << "｜当前无表决";
  }
  std::cout << "｜日志 " << core.snapshot().log_size << " 条";
  const bool writing = status.value("writing", true);
  if (!writing) {
    std::cout << "｜" << status.value("writing_text", "")
              << "（自动重试；请检查磁盘空间 df -h / retrying; check the "
              << "free space)";
  } else if (writing_was_stopped) {
    std::cout << "｜写入已恢复 / writing resumed";
  }
  writing_was_stopped = !writing;
  std::cout << std::endl;
}

int run_server(const RunOptions& o) {
  const auto files = setup::raise_open_file_limit();
  auto hall = setup::load_hall(o.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  if (!hall->election) {
    return setup::report_error(
        "会场没有选举公钥：请先进行密钥仪式并以 init --election 初始化 / the hall has no election key: "
        "run the key ceremony and init with --election",
        setup::kExitSetup);
  }
  auto passphrase = setup::hall_passphrase(o.passphrase);
  if (!passphrase) return setup::report_error(passphrase.error().message(), setup::kExitSetup);
  auto seed = setup::read_sealed(hall->paths.server_signing_key(), setup::kSigningKeyKind, *passphrase);
  if (!seed) return setup::report_error(seed.error().message(), setup::kExitSetup);
  auto tls_key = setup::read_sealed(hall->paths.server_tls_key(), setup::kTlsKeyKind, *passphrase);
  if (!tls_key) return setup::report_error(tls_key.error().message(), setup::kExitSetup);
  auto cert = setup::read_text(hall->paths.server_cert());
  if (!cert) return setup::report_error(cert.error().message(), setup::kExitSetup);
  if (seed->size() != 32)
    return setup::report_error("server-signing.key: not a 32-byte seed", setup::kExitSetup);
  crypto::SecretArray<32> seed_bytes;
  std::copy(seed->reveal().begin(), seed->reveal().end(), seed_bytes.mutable_bytes().begin());
  const crypto::SigningKey server_key = crypto::SigningKey::from_seed(seed_bytes);
  if (server_key.verify_key() != hall->server_key) {
    return setup::report_error("签名密钥与 hall.json 不符 / the signing key does not match hall.json",
                               setup::kExitSetup);
  }

  // Signals are taken synchronously by this thread only: block them before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  audit::LogOptions log_options;
  log_options.path = hall->paths.log_db().string();
  log_options.origin = hall->record.origin;
  log_options.server_key = &server_key;
  log_options.cosigners = hall->cosigners();
  auto log = audit::AuditLog::open(log_options);
  if (!log)
    return setup::report_error("审计日志 / audit log " + log_options.path + ": " + log.error().message(),
                               setup::kExitSetup);
  for (const auto& warning : (*log)->warnings()) std::cerr << "警告 / warning: " << warning << "\n";
  server::HallServerOptions core_options;
  core_options.session = &hall->session;
  core_options.session_record = &hall->session_record;
  core_options.log = log->get();
  core_options.server_key = &server_key;
  core_options.election_key = hall->election->election_key;
  auto threshold_key = hall->election->threshold_key();
  if (!threshold_key) return setup::report_error(threshold_key.error().message(), setup::kExitSetup);
  core_options.threshold_key = std::move(*threshold_key);
  core_options.on_certified = [&hall = *hall](const std::string&) { return write_hall_records(hall); };
  auto core = server::HallServer::start(core_options);
  if (!core) return setup::report_error(core.error().message(), setup::kExitFailed);

  network::ServerOptions net;
  net.address = o.address;
  net.port = o.port;
  net.ca_cert_pem = hall->ca_cert_pem;
  net.cert_pem = std::move(*cert);
  net.key_pem = std::move(*tls_key);
  net.io_threads = std::max(1u, o.io_threads);
  net.worker_threads = std::max(1u, o.workers);
  if (o.verbose) net.log = [](std::string_view line) { std::cerr << "[net] " << line << "\n"; };
  auto listener = server::listen(**core, std::move(net));
  if (!listener) {
    return setup::report_error("无法监听 " + o.address + ":" + std::to_string(o.port) +
                                   " / cannot listen: " + listener.error().message(),
                               setup::kExitNetwork);
  }
  const std::uint16_t port = (*listener)->port();
  const auto listen_file = hall->paths.dir / "listen.json";
  // Consoles and terminals on this machine find the server through this file; without it they need --port, so
  // a failed write is told to the staff but does not stop a server that is already serving.
  if (auto written = setup::write_file(
          listen_file,
          nlohmann::json{{"address", o.address}, {"port", port}, {"pid", ::getpid()}}.dump() + "\n",
          setup::FileMode::plain);
      !written) {
    std::cerr << "警告：无法写入 " << listen_file.string() << "，操作台和终端须用 --port " << port
              << " 连接 / warning: cannot write " << listen_file.string() << " (" << written.error().message()
              << "); consoles and terminals need --port " << port << "\n";
  }
  if (const auto warning = setup::clock_warning(hall->session.info, std::chrono::system_clock::now())) {
    std::cerr << *warning << "\n";
  }
  std::cout << "会场服务器已启动 / hall server running: " << hall->session.info.body << "，审计日志 "
            << (*core)->snapshot().log_size << " 条（已重放 / replayed），文件句柄上限 " << files << "\n"
            << "LISTENING " << port << std::endl;
  bool writing_was_stopped = false;
  print_status(**core, writing_was_stopped);

  while (true) {
    timespec wait{static_cast<time_t>(std::max(1u, o.status_seconds)), 0};
    const int got = sigtimedwait(&signals, nullptr, &wait);
    if (got == SIGINT || got == SIGTERM) break;
    print_status(**core, writing_was_stopped);
  }
  std::cout << "正在停止 / stopping…" << std::endl;
  (*listener)->stop();
  listener->reset();
  core->reset();
  log->reset();
  std::error_code ignored;
  std::filesystem::remove(listen_file, ignored);
  std::cout << "已停止，日志已安全关闭 / stopped; the log is closed" << std::endl;
  return setup::kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand(
      "run",
      "运行会场服务器（从审计日志恢复状态，Ctrl-C 停止）/ serve the hall: replay the audit log, "
      "listen with TLS, print status; SIGINT/SIGTERM stop cleanly. Prints `LISTENING <port>`");
  cmd->add_option("--dir", options->dir, "会场目录 / hall directory")->capture_default_str();
  cmd->add_option("--address", options->address, "监听地址 / listen address")->capture_default_str();
  cmd->add_option("--port", options->port, "端口（0 = 任意）/ port (0: any free port)")->capture_default_str();
  cmd->add_option("--passphrase", options->passphrase, "密钥口令（默认 HALLVOTE_PASSPHRASE）/ key passphrase");
  cmd->add_option("--io-threads", options->io_threads, "网络线程 / network threads")->capture_default_str();
  cmd->add_option("--workers", options->workers, "请求处理线程 / request worker threads")
      ->capture_default_str();
  cmd->add_option("--status-every", options->status_seconds, "状态行间隔秒数 / seconds between status lines")
      ->capture_default_str();
  cmd->add_flag("--verbose", options->verbose, "打印网络事件 / log network events to stderr");
  cmd->callback([options, &exit_code] { exit_code = run_server(*options); });
}

}  // namespace hallvote::server_tool
