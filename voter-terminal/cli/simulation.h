// N simulated deputies in one process: each seat has its own TLS connection (terminal certificate PREFIX0001…)
// and its own simulated card; a pool of worker threads drives them. Every seat signs in (retrying while sign-in
// is not open yet or the server is unreachable), waits for each ballot as it is issued, chooses
// (deterministically from the seed, or from a SPEC file), casts, and verifies its receipt (SeatTerminal does);
// a new round of a vote is voted again. A ballot whose answer was lost is resent, the same bytes, until its
// receipt verifies — also after the simulator's restart (the pending files of SeatTerminal). The run ends when
// every seat cast `votes` ballots, or on stop().
//
// Thread safety: start(), stop(), join() from one controlling thread; counters() from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "choice_spec.h"
#include "modes.h"
#include "seat.h"

namespace hallvote::terminal_tool {

struct SimulationCounters {
  std::uint64_t seats = 0;
  std::uint64_t signed_in = 0;
  std::uint64_t cast = 0;      // ballots accepted with a verified receipt
  std::uint64_t blank = 0;     // of which left blank
  std::uint64_t retries = 0;   // transient failures retried (server unreachable, sign-in not open yet)
  std::uint64_t failed = 0;    // failures that were not retried
  std::uint64_t finished = 0;  // seats done (cast `votes` ballots, or failed for good)
  std::map<std::string, std::uint64_t> failure_reasons;
};

class Simulation {
 public:
  struct SimSeat {
    std::unique_ptr<Seat> seat;
    std::uint64_t deputy_index = 0;  // for the choices
    bool signed_in = false;
    std::set<std::string> voted;  // "<vote id>#<round>" cast or given up
    std::chrono::steady_clock::time_point not_before{};
    bool pending_checked = false;  // since the last sign-in, the kept pending ballot was looked for and resent
  };

  // `specs`: empty for random choices, else deputy k uses specs[k mod size].
  // `receipt_dir`: when not empty, every verified receipt is saved there (receipt_file.h).
  Simulation(std::vector<SimSeat> seats, std::vector<ChoiceSpec> specs, const SimulateOptions& options,
             std::filesystem::path receipt_dir = {});
  ~Simulation();

  void start();
  void stop();
  void join();
  [[nodiscard]] bool all_finished() const { return finished_.load() == seats_.size(); }
  [[nodiscard]] SimulationCounters counters() const;

 private:
  void work();
  // One step of one seat; false when the seat is finished.
  bool step(SimSeat& seat);
  bool vote(SimSeat& seat, const protocol::SignedBallot& ballot, const std::string& key);
  // Resends the seat's pending ballot (after a sign-in, or while one awaits its receipt); false when it should
  // be retried later.
  bool resend(SimSeat& seat);
  // Counts a verified receipt and saves it (when receipts are kept).
  void confirmed(SimSeat& seat, const terminal::CastReceipt& receipt);
  void record_failure(const std::string& reason);

  std::vector<SimSeat> seats_;
  std::vector<ChoiceSpec> specs_;
  SimulateOptions options_;
  std::filesystem::path receipt_dir_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::size_t> queue_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> signed_in_{0}, cast_{0}, blank_{0}, retries_{0}, failed_{0}, finished_{0};
  mutable std::mutex failures_mutex_;
  std::map<std::string, std::uint64_t> failure_reasons_;
};

}  // namespace hallvote::terminal_tool
