// Applying log entries to the state: the one path by which the state changes, live and at replay.
#include <algorithm>

#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/certification.h"
#include "hallvote/tlog/errors.h"
#include "state.h"

namespace hallvote::server {

using protocol::ProtocolErrc;

std::uint32_t HallServer::State::present() const {
  std::uint32_t count = 0;
  for (const auto& [deputy, terminal] : signed_in) {
    const auto* d = session.find_deputy(deputy);
    if (d != nullptr && d->in_office) ++count;
  }
  return count;
}

bool HallServer::State::quorum_met() const {
  return session::quorum_met(present(), session.deputies_in_office(), session.rules.quorum);
}

Result<audit::Appended> HallServer::State::append(const protocol::Event& event) {
  auto appended = log.append(protocol::type_of(event), "server", *options.server_key, protocol::encode(event));
  if (!appended && (appended.error().code == audit::AuditErrc::storage_failed ||
                    appended.error().code == audit::AuditErrc::writer_stopped)) {
    // Retryable: the log retries by itself and resumes when the disk can be written again (§4.4 `internal`).
    return fail(ProtocolErrc::internal,
                "审计日志写入已停止，操作未确认，请稍后重试 / writing to the audit log has stopped; not "
                "acknowledged, retry later: " +
                    appended.error().message());
  }
  if (!appended) {
    return fail(ProtocolErrc::internal,
                "审计日志写入失败，操作未生效 / audit log append failed, nothing recorded: " +
                    appended.error().message());
  }
  return appended;
}

void HallServer::State::append_summaries(const std::vector<protocol::CastsRefusedSummary>& summaries) {
  for (const auto& summary : summaries) {
    if (!append(summary)) return;  // the store is failing: the rest would fail too
  }
}

Result<std::uint64_t> HallServer::State::record(const protocol::Event& event) {
  auto appended = append(event);
  if (!appended) return forward(appended.error());
  std::lock_guard lock(mutex);
  if (auto ok = apply(event, appended->sequence); !ok) return forward(ok.error());
  changed.notify_all();
  return appended->sequence;
}

void VoteRuntime::clear_round() {
  prepared.reset();
  prepared_json.clear();
  base_hash = {};
  approvals.clear();
  server_signature = {};
  issued.clear();
  cast.clear();
  closing = false;
  opened_sequence.reset();
  present_at_close = 0;
  tally.clear();
  shares.clear();
  share_officials.clear();
}

Status HallServer::State::ensure_checkpoint(std::uint64_t sequence) {
  std::unique_lock lock(checkpoint_mutex);
  while (checkpointed_size <= sequence) {
    if (checkpoint_signing) {
      checkpoint_done.wait(lock);
      continue;
    }
    checkpoint_signing = true;
    const std::uint64_t covers = log.size();
    lock.unlock();
    auto note = log.sign_checkpoint();
    lock.lock();
    checkpoint_signing = false;
    checkpoint_done.notify_all();
    if (!note) return fail(ProtocolErrc::internal, "checkpoint: " + note.error().message());
    checkpointed_size = std::max(checkpointed_size, covers);
  }
  return {};
}

void HallServer::State::release_waiters() {
  for (auto& waiter : waiters) waiter.respond(protocol::encode_ok({{"ballot", nullptr}, {"retry", true}}));
  waiters.clear();
}

namespace {

Result<VoteRuntime*> vote_of(HallServer::State& s, const std::string& id) {
  auto it = s.votes.find(id);
  if (it == s.votes.end()) return fail(ProtocolErrc::wrong_vote, "log names unknown vote '" + id + "'");
  return &it->second;
}

Status lifecycle_error(const Status& status, const std::string& what) {
  if (status) return status;
  return fail(status.error().code, what + ": " + status.error().detail);
}

// A certification entry: the certifier joins the round's signers; the entry that completes the round certifies
// it and, when the round's result asks for another round, starts that round (drafted, runtime cleared).
Status apply_certification(const session::KeyCommittee& committee, VoteRuntime& v,
                           const protocol::Certification& certification) {
  const session::RoundRecord& current = v.lifecycle.current();
  if (certification.round != current.spec.number || current.state != session::VoteState::decrypted ||
      !v.result) {
    return fail(ProtocolErrc::wrong_state, "certification of round " + std::to_string(certification.round) +
                                               ", but round " + std::to_string(current.spec.number) + " is " +
                                               std::string(session::to_string(current.state)));
  }
  std::vector<std::string> signers = v.certifiers[certification.round];
  signers.push_back(certification.certifier);
  if (protocol::certification_progress(committee, signers).complete != certification.complete) {
    return fail(ProtocolErrc::malformed, "certification.complete disagrees with the signing rule");
  }
  if (certification.complete) {
    if (auto ok = v.lifecycle.certify(); !ok) return lifecycle_error(ok, "certify");
    if (const auto& next = v.result->next_round) {
      if (auto ok = v.lifecycle.start_round(*next); !ok) return lifecycle_error(ok, "start round");
      v.clear_round();
    }
  }
  v.certifiers[certification.round] = std::move(signers);
  return {};
}

// One function per event type (the server's reading of the log); each leaves the state unchanged when it
// refuses.
struct Apply {
  HallServer::State& s;
  std::uint64_t sequence;

  Status operator()(const protocol::SessionOpened& e) const {
    if (e.session_id != s.session.info.id) {
      return fail(ProtocolErrc::wrong_state, "the log belongs to session '" + e.session_id + "'");
    }
    if (e.record.value("election_key", "") != crypto::to_hex(s.options.election_key) ||
        e.record.value("server_key", "") != s.options.server_key->verify_key().hex()) {
      return fail(ProtocolErrc::wrong_state,
                  "日志的选举公钥或服务器密钥与配置不符 / the log was started with another "
                  "election key or server key");
    }
    return {};
  }
  Status operator()(const protocol::TerminalEnrolled& e) const {
    s.known_terminals.insert(e.terminal_id);
    return {};
  }
  Status operator()(const protocol::SignInOpened&) const {
    return lifecycle_error(s.lifecycle.open_sign_in(), "open sign-in");
  }
  Status operator()(const protocol::SessionStarted& e) const {
    return lifecycle_error(s.lifecycle.start(e.present, e.in_office, s.session.rules.quorum), "start session");
  }
  Status operator()(const protocol::DeputySignedIn& e) const {
    s.signed_in[e.deputy_id] = e.terminal_id;
    return {};
  }
  Status operator()(const protocol::BallotPrepared& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    HALLVOTE_TRY(definition, protocol::BallotDefinition::from_json(e.definition));
    VoteRuntime& v = **vote;
    v.prepared = std::move(*definition);
    v.prepared_json = v.prepared->canonical_json();
    v.base_hash = v.prepared->base_hash();
    v.server_signature = s.options.server_key->sign(protocol::issue_message(v.base_hash));
    v.approvals.clear();
    v.issued.clear();
    v.cast.clear();
    return {};
  }
  Status operator()(const protocol::BallotApproved& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    VoteRuntime& v = **vote;
    const bool seen = std::any_of(v.approvals.begin(), v.approvals.end(),
                                  [&](const protocol::Approval& a) { return a.official_id == e.official_id; });
    if (!seen) v.approvals.push_back({e.official_id, e.signature});
    if (v.lifecycle.current().state == session::VoteState::drafted &&
        v.approvals.size() >= s.session.key_committee.quorum) {
      std::vector<std::string> ids;
      for (const auto& a : v.approvals) ids.push_back(a.official_id);
      return lifecycle_error(v.lifecycle.approve(s.session.key_committee, ids), "approve");
    }
    return {};
  }
  Status open(const std::string& vote_id) const {
    HALLVOTE_TRY(vote, vote_of(s, vote_id));
    return lifecycle_error((*vote)->lifecycle.open(s.lifecycle.state()), "open vote");
  }
  Status operator()(const protocol::VoteOpened& e) const {
    if (auto ok = open(e.vote_id); !ok) return ok;
    s.votes.at(e.vote_id).opened_sequence = sequence;
    return {};
  }
  Status operator()(const protocol::VoteResumed& e) const { return open(e.vote_id); }
  Status operator()(const protocol::VoteHeld& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    return lifecycle_error((*vote)->lifecycle.hold(), "hold vote");
  }
  Status operator()(const protocol::VoteClosed& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    if (auto ok = (*vote)->lifecycle.close(); !ok) return lifecycle_error(ok, "close vote");
    (*vote)->present_at_close = e.present;
    return {};
  }
  Status operator()(const protocol::Tally& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    std::vector<crypto::Ciphertext> tally;
    for (const auto& bytes : e.ciphertexts) {
      HALLVOTE_TRY(ciphertext, crypto::Ciphertext::decode(bytes));
      tally.push_back(*ciphertext);
    }
    if (auto ok = (*vote)->lifecycle.mark_tallied(); !ok) return lifecycle_error(ok, "tally");
    (*vote)->tally = std::move(tally);
    (*vote)->shares.clear();
    (*vote)->share_officials.clear();
    return {};
  }
  Status operator()(const protocol::DecryptionShare& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    HALLVOTE_TRY(share, crypto::PartialDecryption::decode(e.share));
    (*vote)->shares.push_back(std::move(*share));
    (*vote)->share_officials.push_back(e.trustee);
    return {};
  }
  Status operator()(const protocol::ResultEntry& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    VoteRuntime& v = **vote;
    if (v.result_outdated && v.lifecycle.current().state == session::VoteState::decrypted) {
      // The round re-decided after a presidium decision: same tally, new reading; certification starts over.
      v.rounds.back() = e.outcome.tally();
      v.result = e.outcome;
      v.result_sequence = sequence;
      v.certifiers.erase(e.outcome.round.spec.number);
      v.result_outdated = false;
      return {};
    }
    if (auto ok = v.lifecycle.mark_decrypted(); !ok) return lifecycle_error(ok, "result");
    v.rounds.push_back(e.outcome.tally());
    v.result = e.outcome;
    v.result_sequence = sequence;
    return {};
  }
  Status operator()(const protocol::BallotIssued& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    (*vote)->issued[e.deputy_id] = e.terminal_id;
    return {};
  }
  Status operator()(const protocol::BallotCast& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    const CastRecord record{crypto::to_hex(e.ballot_hash), protocol::confirmation_code(e.ballot_hash),
                            sequence};
    (*vote)->cast[e.deputy_id] = record;
    (*vote)->by_ballot_hash[record.ballot_hash_hex] = record;
    return {};
  }
  // A challenged ballot: remembered so that a resent challenge gets its answer and neither the ballot nor any
  // of its ciphertexts is ever cast; never counted (the tally sums `cast` only).
  Status operator()(const protocol::BallotChallenged& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.vote_id));
    VoteRuntime& v = **vote;
    if (!v.prepared || v.prepared->shape.round != e.round) {
      return fail(ProtocolErrc::wrong_state, "challenged ballot of " + e.vote_id + " round " +
                                                 std::to_string(e.round) + ", which is not the current round");
    }
    HALLVOTE_TRY(ballot, protocol::CastBallot::decode(e.ballot, *v.prepared));
    const CastRecord record{crypto::to_hex(e.ballot_hash), protocol::confirmation_code(e.ballot_hash),
                            sequence};
    v.challenged[record.ballot_hash_hex] = record;
    for (auto& key : protocol::ciphertext_keys(*ballot)) v.challenged_ciphertexts.insert(std::move(key));
    return {};
  }
  Status operator()(const protocol::CertificationEntry& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.certification.vote_id));
    return apply_certification(s.session.key_committee, **vote, e.certification);
  }
  // A presidium member's signature over a decision; the one that completes it puts the decision in effect.
  Status operator()(const protocol::PresidiumDecisionSigned& e) const {
    HALLVOTE_TRY(vote, vote_of(s, e.decision.vote_id));
    VoteRuntime& v = **vote;
    const std::string key = e.decision.to_json().dump();
    std::vector<std::string> signers = v.proposals[key];
    if (std::find(signers.begin(), signers.end(), e.official_id) == signers.end()) {
      signers.push_back(e.official_id);
    }
    const bool complete = signers.size() >= protocol::decision_signatures_needed(s.session.key_committee);
    if (complete != e.complete) {
      return fail(ProtocolErrc::malformed, "presidium_decision.complete disagrees with the signing rule");
    }
    if (!complete) {
      v.proposals[key] = std::move(signers);
      return {};
    }
    if (auto rules = e.decision.rules_decision()) {
      v.decisions.push_back(std::move(*rules));
      v.result_outdated = true;
    } else {
      if (auto ok = v.lifecycle.announce(); !ok) return lifecycle_error(ok, "announce");
      v.notice_number = e.decision.notice_number;
      s.notices[e.decision.notice_number] = e.decision.vote_id;
    }
    v.proposals.clear();  // every other proposal was made on the result as it stood
    return {};
  }
  // Recorded for the auditor only; no state follows from them. checkpoint_cosigned is reserved (no message
  // writes it in this version).
  Status operator()(const protocol::CastRejected&) const { return {}; }
  // Refusal windows are not replayed: they are rate-limiting state that starts afresh (§4.2.6).
  Status operator()(const protocol::CastsRefusedSummary&) const { return {}; }
  Status operator()(const protocol::CheckpointCosigned&) const { return {}; }
  Status operator()(const protocol::SessionClosed&) const {  // 闭会: no sign-in and no vote opens after it
    return lifecycle_error(s.lifecycle.close(), "close session");
  }
};

}  // namespace

Status HallServer::State::apply(const protocol::Event& event, std::uint64_t sequence) {
  return std::visit(Apply{*this, sequence}, event);
}

}  // namespace hallvote::server
