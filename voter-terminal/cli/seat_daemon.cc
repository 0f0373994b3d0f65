#include "seat_daemon.h"

#include <iostream>

#include "hallvote/hardware/errors.h"
#include "hallvote/hardware/simulated_card_key.h"
#include "transient.h"

namespace hallvote::terminal_tool {

using terminal::SeatCommand;

Status SimulatedCardSlot::insert(const session::SessionDefinition& session, const std::string& deputy_id) {
  if (session.find_deputy(deputy_id) == nullptr) {
    return fail(std::errc::invalid_argument, "名册中没有代表 " + deputy_id + " / no deputy " + deputy_id);
  }
  std::lock_guard lock(mutex_);
  auto& card = cards_[deputy_id];
  if (!card) {
    card = std::make_unique<hardware::SimulatedCard>(deputy_id,
                                                     hardware::derive_simulated_card(card_seed_, deputy_id),
                                                     std::string(hardware::kSimulatedCardPin));
  }
  reader_.insert(*card);
  return {};
}

void SimulatedCardSlot::remove() {
  std::lock_guard lock(mutex_);
  reader_.remove();
}

Result<hardware::CardIdentity> SimulatedCardSlot::identity() {
  std::lock_guard lock(mutex_);
  return reader_.identity();
}

Status SimulatedCardSlot::verify_pin(std::string_view pin) {
  std::lock_guard lock(mutex_);
  return reader_.verify_pin(pin);
}

Result<crypto::Signature> SimulatedCardSlot::sign(crypto::ByteView message) {
  std::lock_guard lock(mutex_);
  return reader_.sign(message);
}

SeatDaemon::SeatDaemon(const setup::Hall& hall, terminal::Transport& transport,
                       terminal::PendingCastStore& pending, SeatDaemonOptions options)
    : hall_(hall),
      options_(std::move(options)),
      card_(options_.card_seed),
      terminal_(terminal::TerminalConfig{&hall.session, hall.server_key, hall.log_key(), options_.terminal_id,
                                         1, std::chrono::milliseconds(200), &pending},
                transport),
      model_(hall.session) {}

SeatDaemon::~SeatDaemon() { stop(); }

Status SeatDaemon::start() {
  if (!terminal_.checkpoint_problem().empty()) {
    std::cerr << "警告 / warning: " << terminal_.checkpoint_problem() << "\n";
  }
  network::LocalPageHandlers handlers;
  handlers.snapshot = [this]() { return view_text(); };
  handlers.on_message = [this](std::string_view text) { on_message(text); };
  handlers.on_control = [this](std::string_view name, std::string_view body) { return on_control(name, body); };
  auto page =
      network::LocalPageServer::start({options_.web_root, options_.page_port, 4096}, std::move(handlers));
  if (!page) return forward(page.error());
  {
    std::lock_guard lock(mutex_);  // the page's handlers already run on its thread and read page_
    page_ = std::move(*page);
  }
  protocol_thread_ = std::thread([this]() { protocol_loop(); });
  return {};
}

void SeatDaemon::stop() {
  if (stopping_.exchange(true)) return;
  {
    // A waiter between its predicate check and its wait holds mutex_: taking it here means the notification
    // below cannot fall between the two.
    std::lock_guard lock(mutex_);
  }
  wake_.notify_all();
  if (protocol_thread_.joinable()) protocol_thread_.join();
  std::unique_ptr<network::LocalPageServer> page;
  {
    std::lock_guard lock(mutex_);  // the page's handlers read page_ under mutex_
    page = std::move(page_);
  }
  page.reset();  // joins the page's thread, whose handlers take mutex_: not held here
}

std::string SeatDaemon::view_text() {
  std::lock_guard lock(mutex_);
  published_ = model_.version();
  return model_.view().dump();
}

void SeatDaemon::publish_locked() {
  if (model_.version() == published_ || !page_) return;
  published_ = model_.version();
  page_->broadcast(model_.view().dump());
}

void SeatDaemon::on_message(std::string_view text) {
  auto intent = terminal::parse_seat_intent(text);
  if (!intent) {
    std::cerr << "座席页面消息无效 / seat page message refused: " << intent.error().detail << "\n";
    return;
  }
  std::lock_guard lock(mutex_);
  auto command = model_.apply(*intent);
  if (command && command->has_value()) {
    commands_.push_back(std::move(**command));
    wake_.notify_all();
  }
  publish_locked();
}

Result<std::string> SeatDaemon::on_control(std::string_view name, std::string_view body) {
  if (name != "card") return fail(std::errc::invalid_argument, "unknown control " + std::string(name));
  if (body == "remove") {
    card_.remove();
    std::lock_guard lock(mutex_);
    model_.card_removed();
    commands_.clear();  // a PIN typed for the card taken out is dropped (and wiped)
    publish_locked();
    return std::string("removed");
  }
  if (!body.starts_with("insert "))
    return fail(std::errc::invalid_argument, "body: 'insert <deputy id>' or 'remove'");
  const std::string deputy(body.substr(7));
  if (auto ok = card_.insert(hall_.session, deputy); !ok) return forward(ok.error());
  std::lock_guard lock(mutex_);
  model_.card_inserted(deputy);
  publish_locked();
  return "inserted " + deputy;
}

template <typename Call>
auto SeatDaemon::until_answered(Call call) -> decltype(call()) {
  while (true) {
    auto result = call();
    if (result || !transient(result.error()) || stopping_) {
      std::lock_guard lock(mutex_);
      model_.connection_restored();
      publish_locked();
      return result;
    }
    {
      std::unique_lock lock(mutex_);
      model_.connection_lost();
      publish_locked();
      wake_.wait_for(lock, options_.poll, [this]() { return stopping_.load(); });
    }
  }
}

void SeatDaemon::run_sign_in(SeatCommand command) {
  const std::string_view pin(reinterpret_cast<const char*>(command.pin.reveal().data()), command.pin.size());
  auto who = until_answered([&]() { return terminal_.sign_in(card_, pin); });
  {
    std::lock_guard lock(mutex_);
    if (who) {
      model_.signed_in(*who);
    } else {
      model_.sign_in_failed(who.error());
    }
    publish_locked();
  }
  if (!who) return;
  // A ballot this seat sent for the deputy without a verified receipt (even before a restart) is resent.
  auto resent = until_answered([&]() { return terminal_.resend_pending(); });
  std::lock_guard lock(mutex_);
  if (resent && *resent) {
    model_.cast_confirmed(**resent);
  } else if (!resent) {
    std::cerr << "待确认选票未能重发 / the pending ballot was not resent: " << resent.error().message() << "\n";
  }
  publish_locked();
}

void SeatDaemon::run_prepare(SeatCommand command) {
  auto prepared = terminal_.prepare(*command.ballot, card_);  // the card signs; nothing is sent
  std::lock_guard lock(mutex_);
  if (prepared) {
    model_.ballot_prepared(command.token, std::move(*prepared));
  } else {
    std::cerr << "选票未能加密 / ballot not prepared: " << prepared.error().message() << "\n";
    model_.prepare_failed(command.token, prepared.error());
  }
  publish_locked();
}

void SeatDaemon::run_cast(SeatCommand command) {
  // The prepared ballot is sent once; after a lost answer the terminal resends exactly the ballot it keeps as
  // pending (never a new encryption, whose code would differ from the fingerprint shown).
  std::optional<terminal::PreparedBallot> first = std::move(command.prepared);
  auto receipt = until_answered([&]() -> Result<terminal::CastReceipt> {
    if (first) {
      terminal::PreparedBallot prepared = std::move(*first);
      first.reset();
      return terminal_.cast(std::move(prepared));
    }
    auto resent = terminal_.resend_pending();
    if (!resent) return forward(resent.error());
    if (!*resent) {
      return fail(protocol::ProtocolErrc::wrong_state, "待重发的选票已不在 / the ballot to resend is gone");
    }
    return std::move(**resent);
  });
  std::lock_guard lock(mutex_);
  if (receipt) {
    model_.cast_confirmed(*receipt);
  } else {
    std::cerr << "投票未成功 / cast refused: " << receipt.error().message() << "\n";
    model_.cast_failed(receipt.error());
  }
  publish_locked();
}

void SeatDaemon::run_challenge(SeatCommand command) {
  // A lost answer is resent as the same request: the server answers a challenge it logged with its receipt.
  auto result = until_answered([&]() { return terminal_.challenge(*command.prepared); });
  std::lock_guard lock(mutex_);
  if (result) {
    model_.challenge_verified(*result);
  } else {
    std::cerr << "核验未成功 / challenge failed: " << result.error().message() << "\n";
    model_.challenge_failed(result.error());
  }
  publish_locked();
}

void SeatDaemon::poll_server() {
  auto status = terminal_.status();
  bool fetch = false;
  {
    std::lock_guard lock(mutex_);
    if (!status) {
      if (transient(status.error())) model_.connection_lost();
    } else {
      model_.connection_restored();
      model_.status(*status);
      fetch = model_.wants_ballot();
    }
    publish_locked();
  }
  if (!fetch) return;
  auto ballot = terminal_.wait_for_ballot(std::chrono::milliseconds(0));
  std::lock_guard lock(mutex_);
  if (ballot && *ballot) {
    model_.ballot_arrived(**ballot);
  } else if (!ballot) {
    std::cerr << "选票无效 / ballot refused: " << ballot.error().message() << "\n";
  }
  publish_locked();
}

void SeatDaemon::protocol_loop() {
  bool ran_command = false;  // then the server is asked for its status at once
  while (!stopping_) {
    std::optional<SeatCommand> command;
    bool signed_in = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, ran_command ? std::chrono::milliseconds(0) : options_.poll,
                     [this]() { return stopping_ || !commands_.empty(); });
      if (stopping_) return;
      if (!commands_.empty()) {
        command.emplace(std::move(commands_.front()));
        commands_.pop_front();
      }
      signed_in = model_.signed_in_now();
    }
    ran_command = command.has_value();
    if (!command) {
      if (signed_in) poll_server();
      continue;
    }
    switch (command->kind) {
      case SeatCommand::Kind::sign_in:
        run_sign_in(std::move(*command));
        break;
      case SeatCommand::Kind::prepare:
        run_prepare(std::move(*command));
        break;
      case SeatCommand::Kind::cast:
        run_cast(std::move(*command));
        break;
      case SeatCommand::Kind::challenge:
        run_challenge(std::move(*command));
        break;
    }
  }
}

}  // namespace hallvote::terminal_tool
