// hallvote-terminal run: the seat terminal daemon. It holds the TLS connection to the hall server, the card
// reader, the seat's screen model (hallvote/terminal/seat_model.h) and the pending ballot, and serves the seat
// page (voter-terminal/web) and its WebSocket on 127.0.0.1 (docs/seat.md). Three threads: the page server's,
// the protocol thread (sign-in, status, ballot, prepare, cast, challenge — every blocking call to the server or
// the card), and the caller's, which waits for a stop signal.
//
// In a demo or test the card reader is simulated: POST /control/card with "insert <deputy id>" or "remove"
// (only on 127.0.0.1) stands for a card put in or taken out; every simulated card derives its key from the card
// seed and is issued with the PIN hardware::kSimulatedCardPin, and locks after three wrong PINs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "hallvote/hall/hall_dir.h"
#include "hallvote/hardware/simulated_card.h"
#include "hallvote/network/local_page_server.h"
#include "hallvote/terminal/pending_cast.h"
#include "hallvote/terminal/seat_model.h"
#include "hallvote/terminal/seat_terminal.h"

namespace hallvote::terminal_tool {

struct SeatDaemonOptions {
  std::string terminal_id;
  std::filesystem::path web_root;        // the seat page's folder
  std::uint16_t page_port = 0;           // 127.0.0.1 port of the page; 0: any (printed as PAGE http://…)
  std::string card_seed;                 // simulated cards (demo and tests only)
  std::chrono::milliseconds poll{1000};  // how often the server's status is asked while signed in
};

// A card reader shared by the page server's thread (cards put in and taken out) and the protocol thread
// (PIN, signatures): every call under one mutex. Simulated cards are made on first insertion and keep their
// tries for the daemon's life.
class SimulatedCardSlot final : public hardware::CardReader {
 public:
  explicit SimulatedCardSlot(std::string card_seed) : card_seed_(std::move(card_seed)) {}
  // Puts in the card of `deputy_id`; invalid_argument when the id is not on `session`'s roster.
  [[nodiscard]] Status insert(const session::SessionDefinition& session, const std::string& deputy_id);
  void remove();

  Result<hardware::CardIdentity> identity() override;
  Status verify_pin(std::string_view pin) override;
  Result<crypto::Signature> sign(crypto::ByteView message) override;

 private:
  std::mutex mutex_;
  std::string card_seed_;
  std::map<std::string, std::unique_ptr<hardware::SimulatedCard>> cards_;
  hardware::SimulatedCardReader reader_;
};

class SeatDaemon {
 public:
  // `hall`, `transport` and `pending` must outlive the daemon.
  SeatDaemon(const setup::Hall& hall, terminal::Transport& transport, terminal::PendingCastStore& pending,
             SeatDaemonOptions options);
  ~SeatDaemon();
  SeatDaemon(const SeatDaemon&) = delete;
  SeatDaemon& operator=(const SeatDaemon&) = delete;

  // Starts the page server and the protocol thread; fails when the page cannot be served.
  [[nodiscard]] Status start();
  [[nodiscard]] std::uint16_t page_port() const noexcept { return page_ ? page_->port() : 0; }
  // Stops both threads (also done by the destructor).
  void stop();

 private:
  void on_message(std::string_view text);
  Result<std::string> on_control(std::string_view name, std::string_view body);
  void protocol_loop();
  void run_sign_in(terminal::SeatCommand command);
  void run_prepare(terminal::SeatCommand command);
  void run_cast(terminal::SeatCommand command);
  void run_challenge(terminal::SeatCommand command);
  void poll_server();
  // Runs `call` until it succeeds or fails for a reason other than a lost connection (shown as reconnecting
  // meanwhile), or the daemon stops.
  template <typename Call>
  auto until_answered(Call call) -> decltype(call());
  // Sends the model's view to the pages when it changed since the last broadcast. Precondition: mutex_ held.
  void publish_locked();
  std::string view_text();

  const setup::Hall& hall_;
  SeatDaemonOptions options_;
  SimulatedCardSlot card_;
  terminal::SeatTerminal terminal_;

  std::mutex mutex_;  // guards model_, commands_, published_
  std::condition_variable wake_;
  terminal::SeatModel model_;
  std::deque<terminal::SeatCommand> commands_;
  std::uint64_t published_ = 0;
  std::atomic<bool> stopping_{false};

  std::unique_ptr<network::LocalPageServer> page_;
  std::thread protocol_thread_;
};

}  // namespace hallvote::terminal_tool
