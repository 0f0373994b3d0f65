// Chair, staff and presidium commands: sign-in, session start, ballot preparation and approval, and the vote's
// open ⇄ held → closed transitions. docs/protocol.md §4.3. Serialized by State::control.
#include <algorithm>

#include "hallvote/protocol/ballot_definition.h"
#include "state.h"

namespace hallvote::server {

using protocol::MessageType;
using protocol::ProtocolErrc;

namespace {

Result<VoteRuntime*> find_vote(HallServer::State& s, const json& body) {
  const std::string id = text_field(body, "vote_id");
  auto it = s.votes.find(id);
  if (it == s.votes.end())
    return reject(ProtocolErrc::wrong_vote, "没有表决“" + id + "” / no vote '" + id + "'");
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

Result<json> handle_control(HallServer::State& s, const protocol::Peer& peer, MessageType type,
                            const json& body) {
  std::lock_guard control(s.control);
  switch (type) {
    case MessageType::open_sign_in: {
      {
        std::lock_guard lock(s.mutex);
        if (s.lifecycle.state() != session::SessionState::prepared) {
          return reject(ProtocolErrc::wrong_state, "签到已开始 / sign-in already opened");
        }
      }
      auto done = s.record(protocol::SignInOpened{s.session.info.id});
      if (!done) return forward(done.error());
      return json{{"state", "sign_in_open"}};
    }
    case MessageType::start_session: {
      protocol::SessionStarted event;
      {
        std::unique_lock lock(s.mutex);
        s.changed.wait(lock,
                       [&] { return s.signing_in.empty(); });  // 实到 counts every sign-in already written
        if (s.lifecycle.state() != session::SessionState::sign_in_open) {
          return reject(ProtocolErrc::wrong_state, "会议不在签到阶段 / the session is not in sign-in");
        }
        if (!s.quorum_met()) {
          return reject(ProtocolErrc::wrong_state,
                        "实到 " + std::to_string(s.present()) + " 人，不足法定人数 " +
                            std::to_string(session::quorum_minimum(s.session.deputies_in_office(),
                                                                   s.session.rules.quorum)) +
                            " 人 / quorum not met");
        }
        event = {s.session.info.id, s.present(), s.session.deputies_in_office()};
      }
      auto done = s.record(event);
      if (!done) return forward(done.error());
      return json{{"session_id", event.session_id}, {"present", event.present}, {"in_office", event.in_office}};
    }
    case MessageType::close_session: {
      {
        std::lock_guard lock(s.mutex);
        if (s.lifecycle.state() != session::SessionState::in_progress) {
          return reject(ProtocolErrc::wrong_state, "会议不在进行中 / the session is not in progress");
        }
        for (const auto& [id, v] : s.votes) {
          const auto state = v.lifecycle.current().state;
          if (state == session::VoteState::open || state == session::VoteState::held) {
            return reject(ProtocolErrc::wrong_state,
                          "表决“" + v.definition->title + "”尚未截止，请先截止再闭会 / vote '" + id + "' is " +
                              std::string(session::to_string(state)) + ": close it first");
          }
        }
      }
      auto done = s.record(protocol::SessionClosed{s.session.info.id});
      if (!done) return forward(done.error());
      return json{{"state", "closed"}};
    }
    case MessageType::prepare_vote: {
      protocol::BallotPrepared event;
      {
        std::lock_guard lock(s.mutex);
        auto v = find_vote(s, body);
        if (!v) return forward(v.error());
        if (auto ok = require_state(**v, {session::VoteState::drafted}); !ok) return forward(ok.error());
        const auto definition = protocol::make_ballot_definition(
            s.session, *(*v)->definition, (*v)->lifecycle.current().spec, s.options.election_key);
        // Only a definition every terminal and auditor can read back is logged (limits of docs/crypto.md §5).
        if (auto readable = protocol::BallotDefinition::from_json(definition.canonical_json()); !readable) {
          return reject(ProtocolErrc::malformed,
                        "选票定义超出限制 / ballot definition outside the limits: " + readable.error().detail);
        }
        event = {(*v)->definition->id, definition.shape.round, definition.base_hash(),
                 definition.canonical_json()};
      }
      auto done = s.record(event);
      if (!done) return forward(done.error());
      return json{{"vote_id", event.vote_id},
                  {"round", event.round},
                  {"base_hash", crypto::to_hex(event.base_hash)},
                  {"definition", event.definition}};
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
        return reject(ProtocolErrc::forbidden,
                      "只能以本人身份批准 / approve only as yourself (" + peer.id + ")");
      }
      if (!signature) return reject(ProtocolErrc::malformed, "approve_vote.signature");
      protocol::BallotApproved event;
      {
        std::lock_guard lock(s.mutex);
        auto v = find_vote(s, body);
        if (!v) return forward(v.error());
        const auto& approvals = (*v)->approvals;
        if (std::any_of(approvals.begin(), approvals.end(),
                        [&](const protocol::Approval& a) { return a.official_id == official; })) {
          return reject(ProtocolErrc::wrong_state,
                        "您已批准过这张选票（已批准 " + std::to_string(approvals.size()) + "/" +
                            std::to_string(s.session.key_committee.quorum) +
                            "），无需再批准 / you have already approved this ballot");
        }
        if (auto ok = require_state(**v, {session::VoteState::drafted}); !ok) return forward(ok.error());
        if (!(*v)->prepared) return reject(ProtocolErrc::wrong_state, "选票尚未生成 / ballot not prepared");
        if (auto ok =
                protocol::verify_approval(s.session.key_committee, (*v)->base_hash, {official, *signature});
            !ok) {
          return forward(ok.error());
        }
        event = {(*v)->definition->id, (*v)->prepared->shape.round, official, (*v)->base_hash, *signature};
      }
      auto done = s.record(event);
      if (!done) return forward(done.error());
      std::lock_guard lock(s.mutex);
      const VoteRuntime& v = s.votes.at(event.vote_id);
      return json{{"approvals", v.approvals.size()},
                  {"quorum", s.session.key_committee.quorum},
                  {"state", std::string(session::to_string(v.lifecycle.current().state))}};
    }
    case MessageType::open_vote:
    case MessageType::resume_vote: {
      protocol::Event event;
      const bool opening = type == MessageType::open_vote;
      {
        std::lock_guard lock(s.mutex);
        auto v = find_vote(s, body);
        if (!v) return forward(v.error());
        if (opening && (*v)->lifecycle.current().state == session::VoteState::drafted) {
          const std::size_t have = (*v)->approvals.size();
          const std::size_t need = s.session.key_committee.quorum;
          return reject(ProtocolErrc::wrong_state, "选票尚缺 " + std::to_string(need > have ? need - have : 0) +
                                                       " 名主席团成员批准（已批准 " + std::to_string(have) +
                                                       "/" + std::to_string(need) +
                                                       "），请先批准再开始表决 / the ballot needs " +
                                                       std::to_string(need - std::min(need, have)) +
                                                       " more approvals before the vote can open");
        }
        if (auto ok = require_state(**v, {opening ? session::VoteState::approved : session::VoteState::held});
            !ok) {
          return forward(ok.error());
        }
        if (s.lifecycle.state() != session::SessionState::in_progress) {
          return reject(ProtocolErrc::wrong_state, "会议尚未开始 / the session has not started");
        }
        for (const auto& [id, other] : s.votes) {
          const auto state = other.lifecycle.current().state;
          if (id != (*v)->definition->id &&
              (state == session::VoteState::open || state == session::VoteState::held)) {
            return reject(ProtocolErrc::wrong_state,
                          "表决“" + other.definition->title + "”尚未截止 / another vote is open");
          }
        }
        const VoteRuntime& vote = **v;
        if (opening) {
          event = protocol::VoteOpened{vote.definition->id, vote.prepared->shape.round, vote.definition->title,
                                       std::string(session::to_string(vote.definition->kind)), vote.base_hash};
        } else {
          event = protocol::VoteResumed{vote.definition->id};
        }
        (*v)->closing = false;
      }
      auto done = s.record(event);
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
        return json{{"vote_id", v->definition->id}, {"tally_hash", crypto::to_hex(tally->tally_hash)}};
      }
      drain_casts(s, *v);
      protocol::Event event;
      {
        std::unique_lock lock(s.mutex);
        if (closing) {
          s.changed.wait(lock, [&] { return s.signing_in.empty(); });
          event = protocol::VoteClosed{v->definition->id, v->prepared->shape.round,
                                       static_cast<std::uint32_t>(v->cast.size()),
                                       static_cast<std::uint32_t>(v->issued.size()), s.present()};
        } else {
          const std::string reason = text_field(body, "reason");
          event = protocol::VoteHeld{v->definition->id, reason.empty()
                                                            ? std::string("主持人暂停 / held by the chair")
                                                            : utf8_prefix(reason, 200)};
        }
      }
      auto done = s.record(event);
      {
        std::lock_guard lock(s.mutex);
        v->closing = closing;  // a held vote takes ballots again when resumed; a closed one never
      }
      if (!done) return forward(done.error());
      json answer = {{"vote_id", v->definition->id}};
      if (const auto* closed = std::get_if<protocol::VoteClosed>(&event)) {
        answer.update({{"round", closed->round},
                       {"ballots", closed->ballots},
                       {"issued", closed->issued},
                       {"present", closed->present}});
        auto tally = record_tally(s, *v);
        if (!tally) return forward(tally.error());
        answer["tally_hash"] = crypto::to_hex(tally->tally_hash);
      } else {
        answer["reason"] = std::get<protocol::VoteHeld>(event).reason;
      }
      return answer;
    }
    default:
      return reject(ProtocolErrc::unknown_message, std::string(protocol::to_string(type)));
  }
}

}  // namespace hallvote::server
