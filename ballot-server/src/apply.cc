// Applying log entries to the state: the one path by which the state changes, live and at replay.
#include <algorithm>

#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/certification.h"
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

Result<audit::Appended> HallServer::State::append(audit::EntryType type, const json& payload) {
  // Replacement characters for invalid UTF-8 (a refused request's text can be anything): never throw here.
  auto appended = log.append(type, "server", *options.server_key,
                             payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (!appended) {
    return fail(ProtocolErrc::internal, "审计日志写入失败，操作未生效 / audit log append failed, nothing recorded: " +
                                            appended.error().message());
  }
  return appended;
}

Result<std::uint64_t> HallServer::State::record(audit::EntryType type, const json& payload) {
  auto appended = append(type, payload);
  if (!appended) return forward(appended.error());
  std::lock_guard lock(mutex);
  if (auto ok = apply(type, payload, appended->sequence); !ok) return forward(ok.error());
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

Result<VoteRuntime*> vote_of(HallServer::State& s, const json& payload) {
  const std::string id = payload.value("vote_id", "");
  auto it = s.votes.find(id);
  if (it == s.votes.end()) return fail(ProtocolErrc::wrong_vote, "log names unknown vote '" + id + "'");
  return &it->second;
}

CastRecord cast_record(const json& payload, std::uint64_t sequence) {
  const std::string hash = payload.at("ballot_hash").get<std::string>();
  const auto digest = crypto::from_hex_fixed<32>(hash).value();
  return {hash, protocol::confirmation_code(digest), sequence};
}

Status lifecycle_error(const Status& status, const std::string& what) {
  if (status) return status;
  return fail(status.error().code, what + ": " + status.error().detail);
}

// The round a result's outcome asks for ("next_round": number, items, places, purpose in Chinese), linked to
// round `current`; nullopt when the vote is decided.
Result<std::optional<session::RoundSpec>> next_round_of(const json& outcome, std::uint32_t current) {
  auto it = outcome.find("next_round");
  if (it == outcome.end()) return std::optional<session::RoundSpec>();
  session::RoundSpec spec;
  spec.number = it->at("number").get<std::uint32_t>();
  spec.parent = current;
  spec.items = it->at("items").get<std::vector<std::string>>();
  spec.places = it->at("places").get<std::uint32_t>();
  const std::string purpose = it->at("purpose").get<std::string>();
  bool known = false;
  for (auto p : {session::RoundPurpose::initial, session::RoundPurpose::tie_run_off,
                 session::RoundPurpose::shortfall_run_off, session::RoundPurpose::re_vote}) {
    if (session::display_name_zh(p) == purpose) {
      spec.purpose = p;
      known = true;
    }
  }
  if (!known) return fail(ProtocolErrc::malformed, "result.next_round.purpose: unknown '" + purpose + "'");
  return std::optional<session::RoundSpec>(std::move(spec));
}

// A certification entry: the certifier joins the round's signers; the entry that completes the round certifies
// it and, when the round's result asks for another round, starts that round (drafted, runtime cleared).
Status apply_certification(const session::KeyCommittee& committee, VoteRuntime& v, const json& payload) {
  auto certification = protocol::Certification::from_payload(payload);
  if (!certification) return forward(certification.error());
  const session::RoundRecord& current = v.lifecycle.current();
  if (certification->round != current.spec.number || current.state != session::VoteState::decrypted) {
    return fail(ProtocolErrc::wrong_state, "certification of round " + std::to_string(certification->round) +
                                               ", but round " + std::to_string(current.spec.number) + " is " +
                                               std::string(session::to_string(current.state)));
  }
  std::vector<std::string> signers = v.certifiers[certification->round];
  signers.push_back(certification->certifier);
  if (protocol::certification_progress(committee, signers).complete != certification->complete) {
    return fail(ProtocolErrc::malformed, "certification.complete disagrees with the signing rule");
  }
  std::optional<session::RoundSpec> next;
  if (certification->complete) {
    auto wanted = next_round_of(v.result, current.spec.number);
    if (!wanted) return forward(wanted.error());
    next = std::move(*wanted);
    if (next && next->number != current.spec.number + 1) {  // checked first: a refusal changes nothing
      return fail(ProtocolErrc::malformed, "result.next_round.number: expected " + std::to_string(current.spec.number + 1));
    }
    if (auto ok = v.lifecycle.certify(); !ok) return lifecycle_error(ok, "certify");
    if (next) {
      if (auto ok = v.lifecycle.start_round(*next); !ok) return lifecycle_error(ok, "start round");
      v.clear_round();
    }
  }
  v.certifiers[certification->round] = std::move(signers);
  return {};
}

}  // namespace

Status HallServer::State::apply(audit::EntryType type, const json& payload, std::uint64_t sequence) {
  using audit::EntryType;
  try {
    switch (type) {
      case EntryType::session_opened:
        if (payload.at("session_id") != session.info.id) {
          return fail(ProtocolErrc::wrong_state, "the log belongs to session '" +
                                                     payload.at("session_id").get<std::string>() + "'");
        }
        if (payload.value("election_key", "") != crypto::to_hex(options.election_key) ||
            payload.value("server_key", "") != options.server_key->verify_key().hex()) {
          return fail(ProtocolErrc::wrong_state, "日志的选举公钥或服务器密钥与配置不符 / the log was started with another "
                                                 "election key or server key");
        }
        return {};
      case EntryType::terminal_enrolled:
        known_terminals.insert(payload.at("terminal_id").get<std::string>());
        return {};
      case EntryType::sign_in_opened:
        return lifecycle_error(lifecycle.open_sign_in(), "open sign-in");
      case EntryType::session_started:
        return lifecycle_error(lifecycle.start(payload.at("present").get<std::uint32_t>(),
                                               payload.at("in_office").get<std::uint32_t>(), session.rules.quorum),
                               "start session");
      case EntryType::deputy_signed_in:
        signed_in[payload.at("deputy_id").get<std::string>()] = payload.at("terminal_id").get<std::string>();
        return {};
      case EntryType::ballot_prepared: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        auto definition = protocol::BallotDefinition::from_json(payload.at("definition").get<std::string>());
        if (!definition) return forward(definition.error());
        VoteRuntime& v = **vote;
        v.prepared = std::move(*definition);
        v.prepared_json = v.prepared->canonical_json();
        v.base_hash = v.prepared->base_hash();
        v.server_signature = options.server_key->sign(protocol::issue_message(v.base_hash));
        v.approvals.clear();
        v.issued.clear();
        v.cast.clear();
        return {};
      }
      case EntryType::ballot_approved: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        VoteRuntime& v = **vote;
        const std::string official = payload.at("official_id").get<std::string>();
        const auto signature = crypto::from_hex_fixed<64>(payload.at("signature").get<std::string>()).value();
        const bool seen = std::any_of(v.approvals.begin(), v.approvals.end(),
                                      [&](const protocol::Approval& a) { return a.official_id == official; });
        if (!seen) v.approvals.push_back({official, signature});
        if (v.lifecycle.current().state == session::VoteState::drafted &&
            v.approvals.size() >= session.key_committee.quorum) {
          std::vector<std::string> ids;
          for (const auto& a : v.approvals) ids.push_back(a.official_id);
          return lifecycle_error(v.lifecycle.approve(session.key_committee, ids), "approve");
        }
        return {};
      }
      case EntryType::vote_opened:
      case EntryType::vote_resumed: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        return lifecycle_error((*vote)->lifecycle.open(lifecycle.state()), "open vote");
      }
      case EntryType::vote_held: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        return lifecycle_error((*vote)->lifecycle.hold(), "hold vote");
      }
      case EntryType::vote_closed: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        (*vote)->present_at_close = payload.value("present", present());
        return lifecycle_error((*vote)->lifecycle.close(), "close vote");
      }
      case EntryType::tally: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        (*vote)->tally.clear();
        for (const auto& hex : payload.at("ciphertexts")) {
          auto ciphertext = crypto::Ciphertext::decode(crypto::from_hex(hex.get<std::string>()).value());
          if (!ciphertext) return forward(ciphertext.error());
          (*vote)->tally.push_back(*ciphertext);
        }
        (*vote)->shares.clear();
        (*vote)->share_officials.clear();
        return lifecycle_error((*vote)->lifecycle.mark_tallied(), "tally");
      }
      case EntryType::decryption_share: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        auto share = crypto::PartialDecryption::decode(crypto::from_hex(payload.at("share").get<std::string>()).value());
        if (!share) return forward(share.error());
        (*vote)->shares.push_back(std::move(*share));
        (*vote)->share_officials.push_back(payload.at("trustee").get<std::string>());
        return {};
      }
      case EntryType::result: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        VoteRuntime& v = **vote;
        const json& outcome = payload.at("outcome");
        session::RoundTally round;
        round.present = outcome.at("present").get<std::uint32_t>();
        round.accounting.issued = outcome.at("issued").get<std::uint32_t>();
        round.accounting.returned = outcome.at("returned").get<std::uint32_t>();
        round.accounting.valid = outcome.at("valid").get<std::uint32_t>();
        round.accounting.invalid = outcome.at("invalid").get<std::uint32_t>();
        round.totals = outcome.at("totals").get<std::vector<std::vector<std::uint32_t>>>();
        v.rounds.push_back(std::move(round));
        v.result = outcome;
        v.result_sequence = sequence;
        return lifecycle_error(v.lifecycle.mark_decrypted(), "result");
      }
      case EntryType::ballot_issued: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        (*vote)->issued[payload.at("deputy_id").get<std::string>()] = payload.at("terminal_id").get<std::string>();
        return {};
      }
      case EntryType::ballot_cast: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        const CastRecord record = cast_record(payload, sequence);
        (*vote)->cast[payload.at("deputy_id").get<std::string>()] = record;
        (*vote)->by_ballot_hash[record.ballot_hash_hex] = record;
        return {};
      }
      case EntryType::certification: {
        auto vote = vote_of(*this, payload);
        if (!vote) return forward(vote.error());
        return apply_certification(session.key_committee, **vote, payload);
      }
      case EntryType::cast_rejected:
      case EntryType::checkpoint_cosigned:
        return {};
      default:
        // session_closed: no message writes it in this version.
        return {};
    }
  } catch (const nlohmann::json::exception& e) {
    return fail(ProtocolErrc::malformed, std::string("log entry ") + std::to_string(sequence) + ": " + e.what());
  }
}

}  // namespace hallvote::server
