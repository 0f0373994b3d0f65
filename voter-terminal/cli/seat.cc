#include "seat.h"

#include <algorithm>
#include <iostream>

#include "hallvote/hardware/simulated_card_key.h"

namespace hallvote::terminal_tool {

bool valid_pin(std::string_view pin) {
  return pin.size() == 6 && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Seat::Seat(const setup::Hall& hall, network::ClientContext& context, network::ClientOptions options,
           SeatParams params, crypto::SigningKey card_key, const std::filesystem::path& state_dir)
    : params_(std::move(params)),
      card_(params_.deputy_id, std::move(card_key), std::string(hardware::kSimulatedCardPin)),
      transport_(context, std::move(options)),
      pending_files_(state_dir, params_.terminal_id, hall.session),
      terminal_(terminal::TerminalConfig{&hall.session, hall.server_key, hall.log_key(), params_.terminal_id, 3,
                                         std::chrono::milliseconds(200), &pending_files_},
                transport_) {
  reader_.insert(card_);
  if (!terminal_.checkpoint_problem().empty()) {
    std::cerr << params_.terminal_id << ": 警告 / warning: " << terminal_.checkpoint_problem() << "\n";
  }
}

Result<std::unique_ptr<Seat>> Seat::create(const setup::Hall& hall, network::ClientContext& context,
                                           const std::filesystem::path& keys_dir,
                                           const setup::Endpoint& endpoint, const SeatParams& params,
                                           const std::filesystem::path& state_dir) {
  if (!valid_pin(params.pin)) {
    return fail(std::errc::invalid_argument, "PIN 必须是6位数字 / the PIN must be 6 digits");
  }
  auto options = setup::client_options(hall, keys_dir, params.terminal_id, endpoint);
  if (!options) return forward(options.error());
  auto key = hardware::derive_simulated_card(params.card_seed, params.deputy_id);
  return std::make_unique<Seat>(hall, context, std::move(*options), params, std::move(key), state_dir);
}

}  // namespace hallvote::terminal_tool
