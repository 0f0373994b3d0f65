// The two modes of hallvote-terminal: one deputy at one seat (headless), and N simulated deputies.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "hall_client.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/hall_dir.h"

namespace hallvote::terminal_tool {

struct CommonOptions {
  std::string dir = "var/hall";
  std::string keys;  // terminal keys folder; empty: <hall>/terminals
  std::optional<std::string> address;
  std::optional<std::uint16_t> port;
  std::string card_seed;
  std::string pin = "123456";
  std::string receipt_dir;      // when set, every verified receipt is saved there (receipt_file.h)
  std::string state_dir;        // pending ballots (pending_cast.h); empty: <hall>/terminal-state
  unsigned wait_seconds = 600;  // longest wait for the (next) ballot
};

struct HeadlessOptions {
  std::string terminal_id;
  std::string deputy_id;
  std::string choices;
};

struct SimulateOptions {
  std::uint32_t count = 0;
  std::uint32_t first_deputy_index = 0;  // roster position (0-based) of the first simulated deputy
  std::string vote_pattern = "random";   // or a file of SPECs, one per line, deputy k uses line k mod lines
  unsigned threads = 32;
  unsigned io_threads = 2;
  std::uint32_t votes = 0;  // stop after this many votes cast by every deputy; 0 = until SIGINT/SIGTERM
  std::uint64_t seed = 1;   // choice seed
  std::string terminal_prefix = "T";
};

struct SeatRunOptions {
  std::string terminal_id;
  std::string web_root;         // the seat page's folder
  std::uint16_t page_port = 0;  // 0: any free port on 127.0.0.1
  unsigned poll_ms = 1000;      // how often the server's status is asked while a deputy is signed in
};

// Exit codes as in hallvote/hall/exit_codes.h.
int run_seat_daemon(const CommonOptions& common, const SeatRunOptions& options);
int run_headless(const CommonOptions& common, const HeadlessOptions& options);
int run_simulation(const CommonOptions& common, const SimulateOptions& options);

}  // namespace hallvote::terminal_tool
