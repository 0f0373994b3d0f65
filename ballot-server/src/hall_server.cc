#include "hallvote/server/hall_server.h"

#include "state.h"

namespace hallvote::server {

using protocol::MessageType;
using protocol::ProtocolErrc;

namespace {

// Applies one stored entry (replay, or an entry the log recovered from disk). Precondition: mutex held.
Status apply_logged(HallServer::State& s, std::uint64_t sequence, const crypto::Bytes& bytes) {
  auto entry = audit::decode(bytes);
  if (!entry) return forward(entry.error());
  auto event = protocol::decode(entry->type, entry->payload);
  if (!event)
    return fail(ProtocolErrc::malformed, "log entry " + std::to_string(sequence) + ": " + event.error().detail);
  if (auto ok = s.apply(*event, sequence); !ok) {
    return fail(ok.error().code, "重放审计日志第" + std::to_string(sequence) + "条失败 / replaying entry " +
                                     std::to_string(sequence) + ": " + ok.error().detail);
  }
  return {};
}

// Rebuilds the state from every entry of the log, in order.
Status replay(HallServer::State& s) {
  const std::uint64_t size = s.log.size();
  for (std::uint64_t sequence = 0; sequence < size; ++sequence) {
    auto bytes = s.log.entry(sequence);
    if (!bytes) return forward(bytes.error());
    if (auto ok = apply_logged(s, sequence, *bytes); !ok) return ok;
  }
  return {};
}

void sweep(HallServer::State* s) {
  std::unique_lock lock(s->mutex);
  while (!s->stopping) {
    s->changed.wait_for(lock, std::chrono::milliseconds(100));
    const auto now = std::chrono::steady_clock::now();
    auto expired =
        std::partition(s->waiters.begin(), s->waiters.end(), [&](const Waiter& w) { return w.deadline > now; });
    for (auto it = expired; it != s->waiters.end(); ++it) {
      it->respond(protocol::encode_ok({{"ballot", nullptr}, {"retry", true}}));
    }
    s->waiters.erase(expired, s->waiters.end());
    const auto summaries = s->refusals.expired(s->options.clock());
    if (!summaries.empty()) {
      lock.unlock();  // appending takes no state lock
      s->append_summaries(summaries);
      lock.lock();
    }
  }
}

Status validate(const RefusalLimits& limits) {
  if (limits.window <= std::chrono::milliseconds::zero() ||
      limits.cool_down <= std::chrono::milliseconds::zero() || limits.logged_per_window == 0 ||
      limits.cut_off_after <= limits.logged_per_window) {
    return fail(
        std::make_error_code(std::errc::invalid_argument),
        "拒收限制无效 / refusal_limits: window and cool_down must be positive, logged_per_window at least 1 "
        "and cut_off_after above logged_per_window");
  }
  return {};
}

}  // namespace

HallServer::HallServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

HallServer::~HallServer() {
  state_->log.on_recovered(nullptr);
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    state_->release_waiters();
  }
  state_->changed.notify_all();
  if (state_->sweeper.joinable()) state_->sweeper.join();
  state_->append_summaries(state_->refusals.drain());  // no count of a refusal is lost at a clean stop
}

Result<std::unique_ptr<HallServer>> HallServer::start(const HallServerOptions& options) {
  if (options.session == nullptr || options.session_record == nullptr || options.log == nullptr ||
      options.server_key == nullptr) {
    std::abort();
  }
  if (auto valid = validate(options.refusal_limits); !valid) return forward(valid.error());
  auto state = std::make_unique<State>(options);
  for (const auto& vote : options.session->votes) state->votes.emplace(vote.id, VoteRuntime(vote));
  if (options.log->size() == 0) {
    const json record =
        protocol::session_opened_payload(*options.session_record, *options.session, options.election_key,
                                         options.server_key->verify_key(), options.threshold_key);
    auto opened =
        state->append(protocol::SessionOpened{options.session->info.id, options.session->info.body, record});
    if (!opened) return forward(opened.error());
  }
  std::vector<VoteRuntime*> untallied;
  std::vector<std::string> outdated;
  {
    std::lock_guard lock(state->mutex);
    if (auto ok = replay(*state); !ok) return forward(ok.error());
    for (auto& [id, vote] : state->votes) {
      if (vote.lifecycle.current().state == session::VoteState::closed && vote.tally.empty())
        untallied.push_back(&vote);
      if (vote.result_outdated) outdated.push_back(id);
    }
  }
  // A vote closed just before a crash, whose tally was not yet written: write it now. Likewise the new result
  // of a round a presidium decision re-decided.
  std::lock_guard control(state->control);
  for (VoteRuntime* vote : untallied) {
    if (auto tally = record_tally(*state, *vote); !tally) return forward(tally.error());
  }
  for (const std::string& id : outdated) {
    if (auto ok = record_redecided_result(*state, id); !ok) return forward(ok.error());
  }
  // Entries of a failed commit that reached the disk after all (the log takes them in before writing resumes):
  // applied like replayed ones, so that the state is what the log holds (a resent ballot then gets its
  // receipt).
  options.log->on_recovered([s = state.get()](std::uint64_t sequence, const crypto::Bytes& bytes) -> Status {
    std::lock_guard lock(s->mutex);
    auto applied = apply_logged(*s, sequence, bytes);
    s->changed.notify_all();
    return applied;
  });
  state->sweeper = std::thread(sweep, state.get());
  return std::unique_ptr<HallServer>(new HallServer(std::move(state)));
}

void HallServer::handle(const protocol::Peer& peer, crypto::ByteView frame, Respond respond) {
  State& s = *state_;
  auto request = protocol::decode_request(frame);
  if (!request) {
    respond(protocol::encode_error(request.error()));
    return;
  }
  if (!protocol::allowed(peer.role, request->type)) {
    respond(protocol::encode_error(Error{make_error_code(ProtocolErrc::forbidden),
                                         "此证书（" + std::string(protocol::display_name_zh(peer.role)) +
                                             "）无权执行此操作 / role " +
                                             std::string(protocol::to_string(peer.role)) + " may not send " +
                                             std::string(protocol::to_string(request->type))}));
    return;
  }
  if (peer.role == protocol::Role::terminal) {
    const auto now = s.options.clock();
    if (s.refusals.cut_off(peer.id, now)) {
      const Error cut_off{make_error_code(ProtocolErrc::forbidden),
                          "终端因拒收过多被暂停服务 / terminal cut off for too many refused casts"};
      // Still counted: the log shows every refused cast and challenge.
      if (request->type == MessageType::cast || request->type == MessageType::challenge_ballot) {
        s.append_summaries(s.refusals.refused(peer.id, ProtocolErrc::forbidden, now).summaries);
      }
      respond(protocol::encode_error(cut_off));
      return;
    }
  }
  Result<json> result = json::object();
  try {
    switch (request->type) {
      case MessageType::status:
        result = handle_status(s, peer, request->body);
        break;
      case MessageType::challenge:
        result = handle_challenge(s, peer, request->body);
        break;
      case MessageType::sign_in:
        result = handle_sign_in(s, peer, request->body);
        break;
      case MessageType::cast:
        result = handle_cast(s, peer, request->body);
        break;
      case MessageType::challenge_ballot:
        result = handle_challenge_ballot(s, peer, request->body);
        break;
      case MessageType::attendance:
        result = handle_attendance(s, peer, request->body);
        break;
      case MessageType::progress:
        result = handle_progress(s, peer, request->body);
        break;
      case MessageType::tally:
        result = handle_tally(s, peer, request->body);
        break;
      case MessageType::submit_share:
        result = handle_submit_share(s, peer, request->body);
        break;
      case MessageType::result:
        result = handle_result(s, peer, request->body);
        break;
      case MessageType::checkpoint:
        result = handle_checkpoint(s, peer, request->body);
        break;
      case MessageType::cosign:
        result = handle_cosign(s, peer, request->body);
        break;
      case MessageType::certify:
        result = handle_certify(s, peer, request->body);
        break;
      case MessageType::decide:
        result = handle_decide(s, peer, request->body);
        break;
      case MessageType::fetch_ballot: {
        auto parked = handle_fetch_ballot(s, peer, request->body, respond);
        if (!parked) {
          result = forward(parked.error());
        } else if (!*parked) {
          return;  // answered later by the long poll
        } else {
          result = std::move(**parked);
        }
        break;
      }
      default:
        result = handle_control(s, peer, request->type, request->body);
        break;
    }
  } catch (const std::exception& e) {
    result = fail(ProtocolErrc::internal, std::string("unexpected: ") + e.what());
  }
  respond(result ? protocol::encode_ok(std::move(*result)) : protocol::encode_error(result.error()));
}

void HallServer::disconnected(const protocol::Peer& peer) {
  std::lock_guard lock(state_->mutex);
  state_->challenges.erase(peer.id);
}

bool HallServer::cut_off(const protocol::Peer& peer) const {
  return peer.role == protocol::Role::terminal && state_->refusals.cut_off(peer.id, state_->options.clock());
}

HallServer::Snapshot HallServer::snapshot() const {
  std::lock_guard lock(state_->mutex);
  return {state_->session.deputies_in_office(), state_->present(), state_->quorum_met(), state_->log.size()};
}

}  // namespace hallvote::server
