// hallvote-terminal run: starts the seat daemon (seat_daemon.h) for one terminal, prints the page's address
// (`PAGE http://127.0.0.1:<port>/`, read by the kiosk launcher and the tests) and runs until SIGINT/SIGTERM.
#include <csignal>
#include <iostream>

#include "hallvote/hall/cli.h"
#include "modes.h"
#include "network_transport.h"
#include "seat_daemon.h"

namespace hallvote::terminal_tool {

int run_seat_daemon(const CommonOptions& common, const SeatRunOptions& options) {
  auto hall = setup::load_hall(common.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  const std::filesystem::path keys =
      common.keys.empty() ? hall->paths.terminals() : std::filesystem::path(common.keys);
  const std::filesystem::path state_dir =
      common.state_dir.empty() ? hall->paths.terminal_state() : std::filesystem::path(common.state_dir);
  const auto endpoint = setup::resolve_endpoint(hall->paths, common.address, common.port);
  auto client = setup::client_options(*hall, keys, options.terminal_id, endpoint);
  if (!client) return setup::report_error(client.error().message(), setup::kExitSetup);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  network::ClientContext context(1);
  terminal::NetworkTransport transport(context, std::move(*client));
  terminal::PendingCastFiles pending(state_dir, options.terminal_id, hall->session);
  SeatDaemon daemon(*hall, transport, pending,
                    {options.terminal_id, options.web_root, options.page_port, common.card_seed,
                     std::chrono::milliseconds(options.poll_ms)});
  if (auto ok = daemon.start(); !ok) return setup::report_error(ok.error().message(), setup::kExitSetup);
  std::cout << "座席终端 " << options.terminal_id << " 已启动，服务器 " << endpoint.address << ":"
            << endpoint.port << " / seat terminal started\n"
            << "PAGE http://127.0.0.1:" << daemon.page_port() << "/" << std::endl;
  while (true) {
    const int got = sigwaitinfo(&signals, nullptr);
    if (got == SIGINT || got == SIGTERM) break;
  }
  daemon.stop();
  std::cout << "座席终端已停止 / seat terminal stopped" << std::endl;
  return setup::kExitOk;
}

}  // namespace hallvote::terminal_tool
