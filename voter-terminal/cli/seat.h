// One simulated seat on the hall network: the terminal's certificate and key (<keys>/ID.{key,crt}), a simulated
// card for the deputy whose key derives from the card seed (as `hallvote-server cards` did), its reader, the
// network transport, the files that keep its pending ballots, and the seat-terminal client. Not thread-safe
// (one seat, one thread at a time).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "hall_client.h"
#include "hallvote/hall/hall_dir.h"
#include "hallvote/hardware/simulated_card.h"
#include "hallvote/network/client.h"
#include "hallvote/terminal/seat_terminal.h"
#include "network_transport.h"

namespace hallvote::terminal_tool {

struct SeatParams {
  std::string terminal_id;
  std::string deputy_id;
  std::string card_seed;
  std::string pin = "123456";  // what the deputy types; the simulated card was issued with kSimulatedCardPin
};

class Seat {
 public:
  // Fails when the terminal's key or certificate cannot be read (setup error) or the pin is not 6 digits.
  [[nodiscard]] static Result<std::unique_ptr<Seat>> create(
      const setup::Hall& hall, network::ClientContext& context, const std::filesystem::path& keys_dir,
      const setup::Endpoint& endpoint, const SeatParams& params, const std::filesystem::path& state_dir);

  [[nodiscard]] Result<terminal::SignedIn> sign_in() { return terminal_.sign_in(reader_, params_.pin); }
  [[nodiscard]] Result<std::optional<protocol::SignedBallot>> wait_for_ballot(std::chrono::milliseconds wait) {
    return terminal_.wait_for_ballot(wait);
  }
  [[nodiscard]] Result<terminal::CastReceipt> cast(const terminal::BallotScreen& screen) {
    return terminal_.cast(screen, reader_);
  }
  [[nodiscard]] Result<std::optional<terminal::CastReceipt>> resend_pending() {
    return terminal_.resend_pending();
  }
  [[nodiscard]] bool has_pending() const noexcept { return terminal_.has_pending(); }
  void disconnect() { transport_.disconnect(); }
  [[nodiscard]] const SeatParams& params() const noexcept { return params_; }

  Seat(const setup::Hall& hall, network::ClientContext& context, network::ClientOptions options,
       SeatParams params, crypto::SigningKey card_key, const std::filesystem::path& state_dir);

 private:
  SeatParams params_;
  hardware::SimulatedCard card_;
  hardware::SimulatedCardReader reader_;
  terminal::NetworkTransport transport_;
  terminal::PendingCastFiles pending_files_;
  terminal::SeatTerminal terminal_;
};

// True for a 6-digit PIN.
[[nodiscard]] bool valid_pin(std::string_view pin);

}  // namespace hallvote::terminal_tool
