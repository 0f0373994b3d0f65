// What the page programs of hallvote-server (display, console) share: a certificate to connect with, the
// server's address, the page's folder and port, the poll interval, and the stop signals.
#pragma once

#include <csignal>
#include <cstdint>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"

namespace hallvote::server_tool {

struct PageProgramOptions {
  std::string dir = "var/hall";
  std::string as;
  std::optional<std::string> address;
  std::optional<std::uint16_t> port;
  std::string web_root;
  std::uint16_t page_port = 0;
  unsigned poll_ms = 1000;
};

// Registers --dir, --as (required; `as_help` says which certificate), --address, --port, --web-root (default
// `o.web_root`), --page-port and --poll-ms on `command`.
inline void add_page_program_options(CLI::App& command, PageProgramOptions& o, const std::string& as_help) {
  command.add_option("--dir", o.dir, "会场目录 / hall directory")->capture_default_str();
  command.add_option("--as", o.as, as_help)->required();
  command.add_option("--address", o.address, "服务器地址 / server address (default <hall>/listen.json)");
  command.add_option("--port", o.port, "服务器端口 / server port (default <hall>/listen.json)");
  command.add_option("--web-root", o.web_root, "页面目录 / the page's folder")->capture_default_str();
  command.add_option("--page-port", o.page_port, "页面端口（0 = 任选）/ page port on 127.0.0.1 (0: any)")
      ->capture_default_str();
  command.add_option("--poll-ms", o.poll_ms, "刷新间隔 / poll interval (ms)")->capture_default_str();
}

// Blocks SIGINT and SIGTERM in this thread (and the threads it starts after) and returns them, for sigwait or
// sigtimedwait: a page program stops on either.
inline sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace hallvote::server_tool
