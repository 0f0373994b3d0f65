// Seat-terminal requests: status, sign-in, ballot issue (long poll) and casting. docs/protocol.md §4.2.
#include "casting.h"
#include "hallvote/protocol/cast_ballot.h"

namespace hallvote::server {

using protocol::ProtocolErrc;

const session::Deputy* deputy_in_office(const HallServer::State& s, const std::string& id) {
  const auto* deputy = s.session.find_deputy(id);
  return deputy != nullptr && deputy->in_office ? deputy : nullptr;
}

namespace {

// The vote whose ballot is out, if any (precondition: mutex held).
VoteRuntime* open_vote(HallServer::State& s) {
  for (auto& [id, vote] : s.votes) {
    if (vote.lifecycle.current().state == session::VoteState::open && vote.prepared) return &vote;
  }
  return nullptr;
}

json signed_ballot_json(const VoteRuntime& v) {
  const protocol::SignedBallot ballot{*v.prepared, v.approvals, v.server_signature};
  return json::parse(ballot.to_json());
}

}  // namespace

Reservation::Reservation(HallServer::State& s, VoteRuntime& v, std::string deputy, bool in_flight)
    : s_(s), v_(v), deputy_(std::move(deputy)), in_flight_(in_flight) {
  v_.reserved.insert(deputy_);
  if (in_flight_) ++v_.in_flight;
}

Reservation::~Reservation() {
  std::lock_guard lock(s_.mutex);
  v_.reserved.erase(deputy_);
  if (in_flight_) --v_.in_flight;
  s_.changed.notify_all();
}

Result<json> handle_status(HallServer::State& s, const protocol::Peer&, const json&) {
  const auto writing_stopped = s.log.writing_stopped();
  std::lock_guard lock(s.mutex);
  json vote = nullptr;
  if (const VoteRuntime* v = open_vote(s)) {
    vote = {
        {"vote_id", v->definition->id}, {"title", v->definition->title}, {"round", v->prepared->shape.round}};
  }
  json votes = json::array();
  for (const auto& definition : s.session.votes) {
    const session::RoundRecord& round = s.votes.at(definition.id).lifecycle.current();
    votes.push_back({{"vote_id", definition.id},
                     {"round", round.spec.number},
                     {"purpose", std::string(session::display_name_zh(round.spec.purpose))},
                     {"state", std::string(session::to_string(round.state))},
                     {"state_zh", std::string(session::display_name_zh(round.state))}});
  }
  return json{{"session_id", s.session.info.id},
              {"session", s.session.info.body},
              {"votes", votes},
              {"state", std::string(session::to_string(s.lifecycle.state()))},
              {"state_zh", std::string(session::display_name_zh(s.lifecycle.state()))},
              {"in_office", s.session.deputies_in_office()},
              {"present", s.present()},
              {"quorum_met", s.quorum_met()},
              {"open_vote", vote},
              {"writing", !writing_stopped},
              {"writing_text", writing_stopped ? json(*writing_stopped) : json()}};
}

Result<json> handle_challenge(HallServer::State& s, const protocol::Peer& peer, const json&) {
  crypto::Bytes nonce(32);
  std::lock_guard lock(s.mutex);  // also serializes the random source, which need not be thread-safe
  s.options.random->fill(nonce);
  s.challenges[peer.id] = nonce;
  return json{{"nonce", crypto::to_hex(nonce)}};
}

Result<json> handle_sign_in(HallServer::State& s, const protocol::Peer& peer, const json& body) {
  const std::string deputy_id = text_field(body, "deputy_id");
  auto signature = crypto::from_hex_fixed<64>(text_field(body, "signature"));
  if (deputy_id.empty() || !signature)
    return reject(ProtocolErrc::malformed, "sign_in: deputy_id and signature");
  crypto::Bytes nonce;
  {
    std::lock_guard lock(s.mutex);
    const auto state = s.lifecycle.state();
    if (state != session::SessionState::sign_in_open && state != session::SessionState::in_progress) {
      return reject(ProtocolErrc::wrong_state, "签到尚未开始或已结束 / sign-in is not open");
    }
    const auto* deputy = deputy_in_office(s, deputy_id);
    if (deputy == nullptr) return reject(ProtocolErrc::unknown_deputy, deputy_id);
    auto challenge = s.challenges.find(peer.id);
    if (challenge == s.challenges.end()) {
      return reject(ProtocolErrc::stale_challenge, "没有待答的签到挑战 / no sign-in challenge outstanding");
    }
    nonce = std::move(challenge->second);
    s.challenges.erase(challenge);  // single use: a replayed sign-in finds none
    auto credential = crypto::VerifyKey::from_hex(deputy->credential_key);
    if (!credential ||
        !credential->verify(protocol::sign_in_message(s.session.info.id, peer.id, nonce), *signature)) {
      return reject(ProtocolErrc::wrong_credential, deputy_id);
    }
    auto where = s.signed_in.find(deputy_id);
    if (where != s.signed_in.end() && where->second != peer.id) {
      return reject(ProtocolErrc::signed_in_elsewhere, deputy_id + " @ " + where->second);
    }
    for (const auto& [other, terminal] : s.signed_in) {
      if (terminal == peer.id && other != deputy_id) {
        return reject(ProtocolErrc::wrong_state,
                      "本席位已有代表 " + other + " 签到 / deputy " + other + " is signed in at this seat");
      }
    }
    if (s.signing_in.count(deputy_id) != 0 || s.signing_in.count("terminal:" + peer.id) != 0) {
      return reject(ProtocolErrc::wrong_state,
                    "签到正在进行 / a sign-in for this deputy or seat is in progress");
    }
    s.signing_in.insert(deputy_id);
    s.signing_in.insert("terminal:" + peer.id);
  }
  struct Release {
    HallServer::State& s;
    std::string deputy, terminal;
    ~Release() {
      std::lock_guard lock(s.mutex);
      s.signing_in.erase(deputy);
      s.signing_in.erase(terminal);
      s.changed.notify_all();
    }
  } release{s, deputy_id, "terminal:" + peer.id};
  const protocol::DeputySignedIn event{deputy_id, peer.id, nonce, *signature};
  auto appended = s.append(event);
  if (!appended) return forward(appended.error());
  std::lock_guard lock(s.mutex);
  if (auto ok = s.apply(event, appended->sequence); !ok) return forward(ok.error());
  const auto* deputy = s.session.find_deputy(deputy_id);
  return json{{"deputy_id", deputy_id},      {"name", deputy->name},
              {"seat", deputy->seat},        {"delegation", deputy->delegation},
              {"present", s.present()},      {"in_office", s.session.deputies_in_office()},
              {"quorum_met", s.quorum_met()}};
}

Result<std::optional<json>> handle_fetch_ballot(HallServer::State& s, const protocol::Peer& peer,
                                                const json& body, const HallServer::Respond& respond) {
  const std::string deputy_id = text_field(body, "deputy_id");
  const std::uint64_t wait_ms = count_field(body, "wait_ms", 0);
  // Declared before the lock so that it is released after the lock, even when an exception unwinds the
  // stack: its release takes the lock (docs/concurrency.md).
  std::optional<Reservation> reservation;
  std::unique_lock lock(s.mutex);
  auto where = s.signed_in.find(deputy_id);
  if (where == s.signed_in.end() || where->second != peer.id) {
    return reject(ProtocolErrc::not_signed_in, deputy_id);
  }
  VoteRuntime* v = open_vote(s);
  const bool voted = v != nullptr && v->cast.count(deputy_id) != 0 && !v->prepared->replacement_allowed;
  if (v == nullptr || voted || v->closing || v->reserved.count(deputy_id) != 0) {
    if (wait_ms == 0) return std::optional<json>(json{{"ballot", nullptr}});
    const auto wait = std::chrono::milliseconds(std::min<std::uint64_t>(wait_ms, s.options.max_wait_ms));
    s.waiters.push_back({std::chrono::steady_clock::now() + wait, respond});
    return std::optional<json>();
  }
  if (v->issued.count(deputy_id) != 0) return std::optional<json>(json{{"ballot", signed_ballot_json(*v)}});
  // Counted as in flight: hold and close wait for it, so no ballot is issued after (or uncounted by) a close.
  reservation.emplace(s, *v, deputy_id, /*in_flight=*/true);
  const protocol::BallotIssued event{v->definition->id, v->prepared->shape.round, deputy_id, peer.id};
  lock.unlock();
  auto appended = s.append(event);
  if (!appended) return forward(appended.error());
  lock.lock();
  const Status applied = s.apply(event, appended->sequence);
  json ballot = applied ? signed_ballot_json(*v) : json();
  lock.unlock();  // before the reservation, whose release takes the lock
  if (!applied) return forward(applied.error());
  return std::optional<json>(json{{"ballot", std::move(ballot)}});
}

Result<json> refuse(HallServer::State& s, const protocol::Peer& peer, const CastAttempt& attempt,
                    const Error& error) {
  const auto code = error.code.category() == protocol::protocol_category()
                        ? static_cast<ProtocolErrc>(error.code.value())
                        : ProtocolErrc::internal;
  const RefusalLimiter::Decision decision = s.refusals.refused(peer.id, code, s.options.clock());
  s.append_summaries(decision.summaries);
  if (!decision.log_individually) return forward(error);
  const auto or_unknown = [](const std::string& text) {
    return text.empty() ? std::string("unknown") : utf8_prefix(text, 64);
  };
  const auto recorded =
      s.append(protocol::CastRejected{or_unknown(attempt.vote_id), or_unknown(attempt.deputy_id), peer.id, code,
                                      utf8_prefix(error.detail, 500)});
  if (!recorded) {
    return forward(Error{error.code, error.detail + "（未能记入审计日志 / not recorded in the audit log: " +
                                         recorded.error().detail + "）"});
  }
  return forward(error);
}

Result<json> receipt_fields(HallServer::State& s, const CastRecord& record, std::uint64_t known_size) {
  if (auto ok = s.ensure_checkpoint(record.sequence); !ok) return forward(ok.error());
  auto receipt = s.log.receipt(record.sequence);
  if (!receipt) return fail(ProtocolErrc::internal, "receipt: " + receipt.error().message());
  json fields{{"confirmation_code", record.confirmation_code},
              {"ballot_hash", record.ballot_hash_hex},
              {"index", record.sequence},
              {"receipt", receipt->format()}};
  auto note = audit::parse_note(receipt->checkpoint_note);
  auto checkpoint =
      note ? audit::Checkpoint::parse(note->text) : Result<audit::Checkpoint>(forward(note.error()));
  if (!checkpoint) return fail(ProtocolErrc::internal, "receipt checkpoint: " + checkpoint.error().message());
  if (auto ok = add_consistency(s, known_size, checkpoint->size, fields); !ok) return forward(ok.error());
  return fields;
}

Status add_consistency(HallServer::State& s, std::uint64_t known_size, std::uint64_t size, json& fields) {
  if (known_size == 0 || known_size >= size) return {};
  auto proof = s.log.consistency_proof(known_size, size);
  if (!proof) return fail(ProtocolErrc::internal, "consistency proof: " + proof.error().message());
  json hashes = json::array();
  for (const auto& hash : *proof) hashes.push_back(crypto::to_hex(hash));
  fields["consistency"] = std::move(hashes);
  return {};
}

Result<json> handle_cast(HallServer::State& s, const protocol::Peer& peer, const json& body) {
  auto request = parse_ballot_request(body, "cast");
  if (!request) return refuse(s, peer, CastAttempt{text_field(body, "vote_id")}, request.error());
  // A ballot the log already holds is answered with its receipt whatever the vote's state or round now (a
  // terminal that lost the answer resends the identical bytes).
  if (auto answer = check_ballot_request(s, peer, *request, &VoteRuntime::by_ballot_hash)) return *answer;
  const CastAttempt& attempt = request->attempt;
  const std::uint64_t known_size = request->known_size;
  const std::string& hash_hex = request->hash_hex;
  const auto& definition = request->definition;
  const auto& ballot = request->ballot;
  const auto& credential = request->credential;
  std::unique_lock lock(s.mutex);
  VoteRuntime& v = s.votes.at(attempt.vote_id);
  // A resend while the first attempt is still being written waits for it, then finds it below.
  s.changed.wait(lock, [&] { return v.reserved.count(ballot->deputy_id) == 0; });
  if (auto known = v.by_ballot_hash.find(hash_hex); known != v.by_ballot_hash.end()) {
    const CastRecord record = known->second;  // the same ballot again: the same receipt, nothing new recorded
    lock.unlock();
    return receipt_fields(s, record, known_size);
  }
  const auto state = v.lifecycle.current().state;
  if (state != session::VoteState::open || v.closing || v.prepared->base_hash() != definition->base_hash()) {
    lock.unlock();
    return refuse(s, peer, attempt,
                  Error{make_error_code(ProtocolErrc::wrong_state),
                        "表决" + std::string(session::display_name_zh(state)) + "，不接受选票 / vote " +
                            std::string(session::to_string(state)) + ", ballots not accepted"});
  }
  auto error_now = [&]() -> std::optional<Error> {
    auto where = s.signed_in.find(ballot->deputy_id);
    if (where == s.signed_in.end() || where->second != peer.id)
      return Error{make_error_code(ProtocolErrc::not_signed_in), ballot->deputy_id};
    if (v.issued.count(ballot->deputy_id) == 0)
      return Error{make_error_code(ProtocolErrc::not_issued), ballot->deputy_id};
    if (v.cast.count(ballot->deputy_id) != 0 && !definition->replacement_allowed) {
      return Error{make_error_code(ProtocolErrc::already_cast), ballot->deputy_id};
    }
    if (auto revealed = challenged_ciphertext(v, *ballot)) return *revealed;
    return std::nullopt;
  }();
  if (error_now) {
    lock.unlock();
    return refuse(s, peer, attempt, *error_now);
  }
  Reservation reservation(s, v, ballot->deputy_id, /*in_flight=*/true);
  lock.unlock();

  if (auto ok = protocol::verify_cast_ballot(*definition, *credential, *ballot); !ok)
    return refuse(s, peer, attempt, ok.error());
  const protocol::BallotCast event{attempt.vote_id,   ballot->round, ballot->deputy_id,
                                   peer.id,           request->hash, std::move(request->bytes),
                                   request->signature};
  auto appended = s.append(event);
  if (!appended) return forward(appended.error());
  CastRecord record;
  Status applied;
  {
    std::lock_guard relock(s.mutex);
    applied = s.apply(event, appended->sequence);
    if (applied) record = v.by_ballot_hash.at(hash_hex);
  }  // released before the reservation, whose release takes the lock
  if (!applied) return forward(applied.error());
  return receipt_fields(s, record, known_size);
}

Result<json> handle_attendance(HallServer::State& s, const protocol::Peer&, const json&) {
  std::lock_guard lock(s.mutex);
  json deputies = json::array();
  for (const auto& d : s.session.roster) {
    if (!d.in_office) continue;
    auto where = s.signed_in.find(d.id);
    deputies.push_back({{"id", d.id},
                        {"name", d.name},
                        {"seat", d.seat},
                        {"delegation", d.delegation},
                        {"signed_in", where != s.signed_in.end()},
                        {"terminal", where != s.signed_in.end() ? where->second : ""}});
  }
  return json{{"in_office", s.session.deputies_in_office()},
              {"present", s.present()},
              {"quorum_met", s.quorum_met()},
              {"deputies", deputies}};
}

namespace {

// The time of the log entry at `sequence`, or null when it cannot be read (the answer stays useful without it).
json entry_time(HallServer::State& s, std::optional<std::uint64_t> sequence) {
  if (!sequence) return nullptr;
  auto bytes = s.log.entry(*sequence);
  if (!bytes) return nullptr;
  auto entry = audit::decode(*bytes);
  if (!entry) return nullptr;
  return entry->time_ms;
}

// The progress answer under the state's lock; `opened` receives the current round's vote_opened entry.
Result<json> progress_json(HallServer::State& s, const json& body, std::optional<std::uint64_t>& opened) {
  std::lock_guard lock(s.mutex);
  auto it = s.votes.find(text_field(body, "vote_id"));
  if (it == s.votes.end()) return reject(ProtocolErrc::wrong_vote, text_field(body, "vote_id"));
  const VoteRuntime& v = it->second;
  const auto state = v.lifecycle.current().state;
  json certification = nullptr;  // of the round of the latest result
  if (v.result) {
    const auto round = v.result->round.spec.number;
    certification = certification_json(s, v, round);
    certification["round"] = round;
  }
  json approved_by = json::array();
  for (const auto& approval : v.approvals) approved_by.push_back(approval.official_id);
  opened = v.opened_sequence;
  // Present deputies a ballot of the running round has not reached (their seat has not fetched it).
  json without_ballot = json::array();
  if (state == session::VoteState::open || state == session::VoteState::held) {
    for (const auto& [deputy, terminal] : s.signed_in) {
      if (!v.issued.contains(deputy)) without_ballot.push_back(deputy);
    }
  }
  return json{{"vote_id", it->first},
              {"state", std::string(session::to_string(state))},
              {"state_zh", std::string(session::display_name_zh(state))},
              {"round", v.lifecycle.current().spec.number},
              {"purpose", std::string(session::display_name_zh(v.lifecycle.current().spec.purpose))},
              {"certification", certification},
              {"prepared", v.prepared.has_value()},
              {"approvals", v.approvals.size()},
              {"approved_by", approved_by},
              {"quorum", s.session.key_committee.quorum},
              {"issued", v.issued.size()},
              {"returned", v.cast.size()},
              {"present", s.present()},
              {"present_without_ballot", without_ballot}};
}

}  // namespace

Result<json> handle_progress(HallServer::State& s, const protocol::Peer&, const json& body) {
  std::optional<std::uint64_t> opened;
  auto answer = progress_json(s, body, opened);
  if (answer) (*answer)["opened_ms"] = entry_time(s, opened);  // read outside the state's lock
  return answer;
}

}  // namespace hallvote::server
