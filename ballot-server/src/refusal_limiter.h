// Refused casts per terminal (docs/protocol.md §4.2.6): which refusals are logged one by one, which are only
// counted and summarised, and when a terminal is cut off. Pure bookkeeping on an injected time; the caller
// appends the entries it is told to. Thread-safe (one mutex).
//
// Per terminal, refusals are counted in windows of `window` that start with a refusal. The first
// `logged_per_window` refusals of a window are logged individually (cast_rejected); the rest are counted per
// reason and written as one casts_refused_summary when the window is over (at the terminal's next refusal, on
// the periodic sweep, or when the server stops). The `cut_off_after`-th refusal of a window ends the window at
// once with a summary marked cut_off and starts a cool-down: until it ends, every request of the terminal is
// refused (forbidden) and its connections are closed; the casts among them are counted in the next window.
// Nothing here is replayed from the log: after a restart every terminal starts with a fresh window.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "hallvote/protocol/events.h"
#include "hallvote/server/hall_server.h"

namespace hallvote::server {

class RefusalLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RefusalLimiter(RefusalLimits limits) : limits_(limits) {}

  struct Decision {
    bool log_individually = false;                         // append this refusal as cast_rejected
    std::vector<protocol::CastsRefusedSummary> summaries;  // append these first, in order
    bool cut_off = false;                                  // this refusal started the terminal's cool-down
  };

  // A cast of `terminal` was refused for `reason` at `now`.
  [[nodiscard]] Decision refused(const std::string& terminal, protocol::ProtocolErrc reason,
                                 Clock::time_point now);

  // True while `terminal` is in its cool-down.
  [[nodiscard]] bool cut_off(const std::string& terminal, Clock::time_point now) const;

  // The summaries of windows over by `now`; forgets terminals with nothing pending and no cool-down.
  [[nodiscard]] std::vector<protocol::CastsRefusedSummary> expired(Clock::time_point now);

  // Every pending count, whatever its window (the server stops).
  [[nodiscard]] std::vector<protocol::CastsRefusedSummary> drain();

 private:
  struct Terminal {
    Clock::time_point window_start;
    std::uint64_t in_window = 0;  // refusals in the current window outside a cool-down
    std::map<protocol::ProtocolErrc, std::uint64_t> pending;
    std::uint64_t pending_total = 0;
    Clock::time_point cool_down_until{};  // in the past: none
  };

  // Moves the pending counts of `state` into a summary appended to `out` (nothing if none are pending).
  static void summarise(const std::string& terminal, Terminal& state, bool cut_off,
                        std::vector<protocol::CastsRefusedSummary>& out);

  const RefusalLimits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, Terminal> terminals_;
};

}  // namespace hallvote::server
