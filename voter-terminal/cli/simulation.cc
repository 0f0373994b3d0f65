#include "simulation.h"

#include "auto_chooser.h"
#include "hallvote/hardware/errors.h"
#include "hallvote/protocol/errors.h"
#include "receipt_file.h"

namespace hallvote::terminal_tool {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(1000);
constexpr auto kRetry = std::chrono::milliseconds(1000);

bool is_network(const Error& error) { return error.code.category() == network::network_category(); }

bool is_protocol(const Error& error, protocol::ProtocolErrc code) {
  return error.code == make_error_code(code);
}

std::string reason_of(const std::string& what, const Error& error) {
  std::string reason = what + ": " + error.message();
  if (reason.size() > 160) reason.resize(160);
  return reason;
}

}  // namespace

Simulation::Simulation(std::vector<SimSeat> seats, std::vector<ChoiceSpec> specs,
                       const SimulateOptions& options, std::filesystem::path receipt_dir)
    : seats_(std::move(seats)),
      specs_(std::move(specs)),
      options_(options),
      receipt_dir_(std::move(receipt_dir)) {}

Simulation::~Simulation() {
  stop();
  join();
}

void Simulation::start() {
  for (std::size_t i = 0; i < seats_.size(); ++i) queue_.push_back(i);
  const unsigned threads = std::max(1u, options_.threads);
  for (unsigned t = 0; t < threads; ++t) workers_.emplace_back(&Simulation::work, this);
}

void Simulation::stop() {
  stopping_ = true;
  ready_.notify_all();
}

void Simulation::join() {
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

SimulationCounters Simulation::counters() const {
  SimulationCounters c;
  c.seats = seats_.size();
  c.signed_in = signed_in_;
  c.cast = cast_;
  c.blank = blank_;
  c.retries = retries_;
  c.failed = failed_;
  c.finished = finished_;
  std::lock_guard lock(failures_mutex_);
  c.failure_reasons = failure_reasons_;
  return c;
}

void Simulation::record_failure(const std::string& reason) {
  ++failed_;
  std::lock_guard lock(failures_mutex_);
  ++failure_reasons_[reason];
}

void Simulation::work() {
  while (true) {
    std::size_t index = 0;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      index = queue_.front();
      queue_.pop_front();
    }
    SimSeat& seat = seats_[index];
    const auto now = Clock::now();
    if (seat.not_before > now)
      std::this_thread::sleep_for(std::min<Clock::duration>(seat.not_before - now, kRetry));
    if (stopping_) return;
    if (step(seat)) {
      std::lock_guard lock(mutex_);
      queue_.push_back(index);
      ready_.notify_one();
    } else {
      ++finished_;
    }
  }
}

bool Simulation::step(SimSeat& seat) {
  if (!seat.signed_in) {
    auto signed_in = seat.seat->sign_in();
    if (signed_in) {
      seat.signed_in = true;
      seat.pending_checked = false;
      ++signed_in_;
      return true;
    }
    if (is_network(signed_in.error()) || is_protocol(signed_in.error(), protocol::ProtocolErrc::wrong_state)) {
      ++retries_;  // the server is not up yet, or sign-in is not open yet
      seat.not_before = Clock::now() + kRetry;
      return true;
    }
    record_failure(reason_of("签到 sign-in", signed_in.error()));
    return false;
  }
  if (!seat.pending_checked || seat.seat->has_pending()) {
    if (!resend(seat)) return true;  // retry later
    if (options_.votes != 0 && seat.voted.size() >= options_.votes) return false;
  }
  auto ballot = seat.seat->wait_for_ballot(kPoll);
  if (!ballot) {
    if (is_network(ballot.error()) || is_protocol(ballot.error(), protocol::ProtocolErrc::internal)) {
      ++retries_;
      seat.not_before = Clock::now() + kRetry;
      return true;
    }
    if (is_protocol(ballot.error(), protocol::ProtocolErrc::not_signed_in)) {
      --signed_in_;
      seat.signed_in = false;  // the server forgot us (another terminal took the deputy?): sign in again
      ++retries_;
      return true;
    }
    record_failure(reason_of("选票 ballot", ballot.error()));
    return false;
  }
  if (!*ballot) return true;
  const auto& shape = (*ballot)->definition.shape;
  const std::string key = shape.vote_id + "#" + std::to_string(shape.round);
  if (seat.voted.count(key) != 0) {
    seat.not_before = Clock::now() + std::chrono::milliseconds(500);  // a vote that takes replacements: done
    return true;
  }
  if (!vote(seat, **ballot, key)) return true;  // retry later
  return options_.votes == 0 || seat.voted.size() < options_.votes;
}

// Chooses and casts; false when it should be retried later.
bool Simulation::vote(SimSeat& seat, const protocol::SignedBallot& ballot, const std::string& key) {
  terminal::BallotScreen screen(ballot.definition);
  bool blank = false;
  if (specs_.empty()) {
    blank = choose_deterministically(screen, options_.seed, seat.deputy_index);
  } else if (auto ok = specs_[seat.deputy_index % specs_.size()].apply(screen); !ok) {
    record_failure(reason_of("选择 choices", ok.error()));
    seat.voted.insert(key);
    return true;
  }
  auto receipt = seat.seat->cast(screen);
  if (!receipt) {
    const Error& error = receipt.error();
    if (is_network(error) || is_protocol(error, protocol::ProtocolErrc::internal)) {
      ++retries_;
      seat.not_before = Clock::now() + kRetry;
      return false;
    }
    record_failure(reason_of("投票 cast", error));
    seat.voted.insert(key);
    return true;
  }
  if (blank) ++blank_;
  confirmed(seat, *receipt);
  return true;
}

bool Simulation::resend(SimSeat& seat) {
  auto receipt = seat.seat->resend_pending();
  if (!receipt) {
    const Error& error = receipt.error();
    if (seat.seat->has_pending() &&
        (is_network(error) || is_protocol(error, protocol::ProtocolErrc::internal))) {
      ++retries_;
      seat.not_before = Clock::now() + kRetry;
      return false;
    }
    // Refused by the server (the ballot is not in the log; forgotten), or a damaged pending file (left for the
    // staff): either way nothing more to resend.
    record_failure(reason_of("重发 resend", error));
  }
  seat.pending_checked = true;
  if (receipt && *receipt) confirmed(seat, **receipt);
  return true;
}

void Simulation::confirmed(SimSeat& seat, const terminal::CastReceipt& receipt) {
  seat.voted.insert(receipt.vote_id + "#" + std::to_string(receipt.round));
  ++cast_;
  if (!receipt.warning.empty()) record_failure("待确认选票文件未能删除 / pending ballot file not removed");
  if (!receipt_dir_.empty()) {
    if (auto saved =
            save_receipt(receipt_dir_, seat.seat->params().deputy_id, receipt.vote_id, receipt.round, receipt);
        !saved) {
      record_failure(reason_of("回执 receipt", saved.error()));
    }
  }
}

}  // namespace hallvote::terminal_tool
