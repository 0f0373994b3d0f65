// Chair, staff and presidium commands: sign-in, session start, ballot preparation and approval, and the vote's
// open ⇄ held → closed transitions. docs/protocol.md §4.3. Serialized by State::control.
#include "hallvote/protocol/ballot_definition.h"
#include "state.h"

namespace hallvote::server {

using protocol::MessageType;
using protocol::ProtocolErrc;

namespace {

Result<VoteRuntime*> find_vote(HallServer::State& s, const json& body) {
  const std::string id = text_field(body, "vote_id");
  auto it = s.votes.find(id);
  if (it == s.votes.end()) return reject(ProtocolErrc::wrong_vote, "没有表决“" + id + "” / no vote '" + id + "'");
  return &it->second;
}

Status require_state(const VoteRuntime& v, std::initializer_list<session::VoteState> allowed) {
  const auto state = v.lifecycle.current().state;
  for (auto a : allowed) {
    if (a == state) return {};
  }
  return reject(ProtocolErrc::wrong_state, "表决“" + v.definition->title + "”" +
                                               std::string(session::display_name_zh(state)) + " / vote is " +
                                               std::string(session::to_string(state)));
}

// Stops new casts for `v` and waits for the ones being written (hold and close must follow them in the log).
void drain_casts(HallServer::State& s, VoteRuntime& v) {
  std::unique_lock lock(s.mutex);
  v.closing = true;
  s.changed.wait(lock, [&] { return v.in_flight == 0; });
}

}  // namespace

Result<json> handle_control(HallServer::State& s, const protocol::Peer& peer, MessageType type, const json& body) {
  std::lock_guard control(s.control);
  switch (type) {
    case MessageType::open_sign_in: {
      {
        std::lock_guard lock(s.mutex);
        if (s.lifecycle.state() != session::SessionState::prepared) {
          return reject(ProtocolErrc::wrong_state, "签到已开始 / sign-in already opened");
        }
      }
      auto done = s.record(audit::EntryType::sign_in_opened, {{"session_id", s.session.info.id}});
      if (!done) return forward(done.error());
      return json{{"state", "sign_in_open"}};
    }
    case MessageType::start_session: {
      json payload;
      {
        std::unique_lock lock(s.mutex);
        s.changed.wait(lock, [&] { return s.signing_in.empty(); });  // 实到 counts every sign-in already written
        if (s.lifecycle.state() != session::SessionState::sign_in_open) {
          return reject(ProtocolErrc::wrong_state, "会议不在签到阶段 / the session is not in sign-in");
        }
        if (!s.quorum_met()) {
          return reject(ProtocolErrc::wrong_state, "实到 " + std::to_string(s.present()) + " 人，不足法定人数 " +
                                                       std::to_string(session::quorum_minimum(s.session.deputies_in_office(),
                                                                                              s.session.rules.quorum)) +
                                                       " 人 / quorum not met");
        }
        payload = {{"session_id", s.session.info.id}, {"present", s.present()},
                   {"in_office", s.session.deputies_in_office()}};
      }
      auto done = s.record(audit::EntryType::session_started, payload);
      if (!done) return forward(done.error());
      return payload;
    }
    case MessageType::prepare_vote: {
      json payload;
      {
        std::lock_guard lock(s.mutex);
        auto v = find_vote(s, body);
        if (!v) return forward(v.error());
        if (auto ok = require_state(**v, {session::VoteState::drafted}); !ok) return forward(ok.error());
        const auto definition = protocol::make_ballot_definition(s.session, *(*v)->definition,
                                                                  (*v)->lifecycle.current().spec, s.options.election_key);
        // Only a definition every terminal and auditor can read back is logged (limits of docs/crypto.md §5).
        if (auto readable = protocol::BallotDefinition::from_json(definition.canonical_json()); !readable) {
          return reject(ProtocolErrc::malformed, "选票定义超出限制 / ballot definition outside the limits: " +
                                                     readable.error().detail);
        }
        payload = {{"vote_id", (*v)->definition->id},
                   {"round", definition.shape.round},
                   {"base_hash", crypto::to_hex(definition.base_hash())},
                   {"definition", definition.canonical_json()}};
      }
      auto done = s.record(audit::EntryType::ballot_prepared, payload);
      if (!done) return forward(done.error());
      return payload;
    }
    case MessageType::ballot_definition: {
      std::lock_guard lock(s.mutex);
      auto v = find_vote(s, body);
      if (!v) return forward(v.error());
      if (!(*v)->prepared) return reject(ProtocolErrc::wrong_state, "选票尚未生成 / ballot not prepared");
      return json{{"vote_id", (*v)->definition->id},
                  {"base_hash", crypto::to_hex((*v)->base_hash)},
                  {"definition", (*v)->prepared_json},
                  {"approvals", (*v)->approvals.size()},
                  {"quorum", s.session.key_committee.quorum}};
    }
    case MessageType::approve_vote: {
      const std::string official = text_field(body, "official_id");
      auto signature = crypto::from_hex_fixed<64>(text_field(body, "signature"));
      if (official != peer.id) {
        return reject(ProtocolErrc::forbidden, "只能以本人身份批准 / approve only as yourself (" + peer.id + ")");
      }
      if (!signature) return reject(ProtocolErrc::malformed, "approve_vote.signature");
      json payload;
      {
        std::lock_guard lock(s.mutex);
        auto v = find_vote(s, body);
        if (!v) return forward(v.error());
        if (auto ok = require_state(**v, {session::VoteState::drafted}); !ok) return forward(ok.error());
        if (!(*v)->prepared) return reject(ProtocolErrc::wrong_state, "选票尚未生成 / ballot not prepared");
        if (auto ok = protocol::verify_approval(s.session.key_committee, (*v)->base_hash, {official, *signature}); !ok) {
          return forward(ok.error());
        }
        payload = {{"vote_id", (*v)->definition->id},
                   {"official_id", official},
                   {"round", (*v)->prepared->shape.round},
                   {"base_hash", crypto::to_hex((*v)->base_hash)},
                   {"signature", crypto::to_hex(*signature)}};
      }
      auto done = s.record(audit::EntryType::ballot_approved, payload);
      if (!done) return forward(done.error());
      std::lock_guard lock(s.mutex);
      const VoteRuntime& v = s.votes.at(payload["vote_id"].get<std::string>());
      return json{{"approvals", v.approvals.size()}, {"quorum", s.session.key_committee.quorum},
                  {"state", std::string(session::to_string(v.lifecycle.current().state))}};
    }
    case MessageType::open_vote:
    case MessageType::resume_vote: {
      json payload;
      const bool opening = type == MessageType::open_vote;
      {
        std::lock_guard lock(s.mutex);
        auto v = find_vote(s, body);
        if (!v) return forward(v.error());
        if (auto ok = require_state(**v, {opening ? session::VoteState::approved : session::VoteState::held}); !ok) {
          return forward(ok.error());
        }
        if (s.lifecycle.state() != session::SessionState::in_progress) {
          return reject(ProtocolErrc::wrong_state, "会议尚未开始 / the session has not started");
        }
        for (const auto& [id, other] : s.votes) {
          const auto state = other.lifecycle.current().state;
          if (id != (*v)->definition->id && (state == session::VoteState::open || state == session::VoteState::held)) {
            return reject(ProtocolErrc::wrong_state, "表决“" + other.definition->title + "”尚未截止 / another vote is open");
          }
        }
        payload = {{"vote_id", (*v)->definition->id}};
        if (opening) {
          payload["title"] = (*v)->definition->title;
          payload["kind"] = std::string(session::to_string((*v)->definition->kind));
          payload["round"] = (*v)->prepared->shape.round;
          payload["base_hash"] = crypto::to_hex((*v)->base_hash);
        }
        (*v)->closing = false;
      }
      auto done = s.record(opening ? audit::EntryType::vote_opened : audit::EntryType::vote_resumed, payload);
      if (!done) return forward(done.error());
      std::lock_guard lock(s.mutex);
      s.release_waiters();  // terminals waiting for a ballot fetch it now
      return json{{"state", "open"}};
    }
    case MessageType::hold_vote:
    case MessageType::close_vote: {
      const bool closing = type == MessageType::close_vote;
      bool tally_only = false;
      VoteRuntime* v = nullptr;
      {
        std::lock_guard lock(s.mutex);
        auto found = find_vote(s, body);
        if (!found) return forward(found.error());
        v = *found;
        if (closing && v->lifecycle.current().state == session::VoteState::closed && v->tally.empty()) {
          tally_only = true;  // closed, but the tally was not written (a crash between the two): write it now
        } else {
          auto allowed = closing ? require_state(*v, {session::VoteState::open, session::VoteState::held})
                                 : require_state(*v, {session::VoteState::open});
          if (!allowed) return forward(allowed.error());
        }
      }
      if (tally_only) {
        auto tally = record_tally(s, *v);
        if (!tally) return forward(tally.error());
        return json{{"vote_id", v->definition->id}, {"tally_hash", (*tally)["tally_hash"]}};
      }
      drain_casts(s, *v);
      json payload = {{"vote_id", v->definition->id}};
      {
        std::unique_lock lock(s.mutex);
        if (closing) s.changed.wait(lock, [&] { return s.signing_in.empty(); });
        if (closing) {
          payload["ballots"] = v->cast.size();
          payload["issued"] = v->issued.size();
          payload["present"] = s.present();
          payload["round"] = v->prepared->shape.round;
        } else {
          const std::string reason = text_field(body, "reason");
          payload["reason"] = reason.empty() ? std::string("主持人暂停 / held by the chair") : utf8_prefix(reason, 200);
        }
      }
      auto done = s.record(closing ? audit::EntryType::vote_closed : audit::EntryType::vote_held, payload);
      {
        std::lock_guard lock(s.mutex);
        v->closing = closing;  // a held vote takes ballots again when resumed; a closed one never
      }
      if (!done) return forward(done.error());
      if (closing) {
        auto tally = record_tally(s, *v);
        if (!tally) return forward(tally.error());
        payload["tally_hash"] = (*tally)["tally_hash"];
      }
      return payload;
    }
    default:
      return reject(ProtocolErrc::unknown_message, std::string(protocol::to_string(type)));
  }
}

}  // namespace hallvote::server
