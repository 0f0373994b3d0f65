// Check session.definition (the session recorded in entry 0) and deputy.sign_in (docs/crypto.md §13.1–13.2),
// and the session's own state machine (state.transition).
#include "hallvote/protocol/messages.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {

std::uint32_t Walk::present() const {
  std::uint32_t count = 0;
  for (const auto& [deputy, terminal] : signed_in) {
    const auto* d = session().find_deputy(deputy);
    if (d != nullptr && d->in_office) ++count;
  }
  return count;
}

Check check_session_opened(Walk& walk, const audit::Entry& entry, const protocol::SessionOpened& e, At& at) {
  constexpr std::string_view kCheck = "session.definition";
  if (entry.sequence != 0) {
    return at("state.transition", "type", VoteAuditErrc::out_of_order,
              "会议只能开启一次 / a second session_opened entry");
  }
  const json& payload = e.record;
  auto opened = protocol::read_session_opened(payload);
  if (!opened) {
    return at(
        kCheck, "payload.session", VoteAuditErrc::missing_session,
        "无法从首条目重建会议定义 / the session cannot be rebuilt from entry 0: " + opened.error().message());
  }
  if (!(opened->server_key == walk.bundle.log_key.key)) {
    return at(kCheck, "payload.server_key", VoteAuditErrc::mismatch,
              "首条目记录的服务器密钥不是日志密钥 / the server key recorded in entry 0 is not the log's key");
  }
  const json* title = payload.contains("title") ? &payload["title"] : nullptr;
  const json* quorum = payload.contains("quorum") ? &payload["quorum"] : nullptr;
  if (title == nullptr || *title != opened->definition.info.body || quorum == nullptr ||
      *quorum != opened->definition.key_committee.quorum) {
    return at(kCheck,
              title == nullptr || *title != opened->definition.info.body ? "payload.title" : "payload.quorum",
              VoteAuditErrc::mismatch,
              "首条目的会议名称或法定人数与所记会议文件不符 / title or quorum differ from the recorded session "
              "files");
  }
  walk.opened = std::move(*opened);
  walk.report.session_id = walk.opened.session_id;
  if (auto problem = check_card_list(walk, payload, at)) return problem;
  if (auto problem = check_key_ceremony(walk, payload, at)) return problem;
  for (const auto& vote : walk.session().votes) {
    VoteState& state = walk.votes.emplace(vote.id, VoteState(vote)).first->second;
    state.summary = walk.report.votes.size();
    walk.report.votes.push_back({vote.id, vote.title, std::string(session::to_string(vote.kind)), {}});
    begin_round(walk, state);
  }
  return std::nullopt;
}

Check check_session_state(Walk& walk, audit::EntryType type, const std::string& session_id, At& at) {
  if (session_id != walk.opened.session_id) {
    return at("state.transition", "payload.session_id", VoteAuditErrc::mismatch,
              "条目属于会议 " + session_id + " / the entry names another session");
  }
  switch (type) {
    case audit::EntryType::sign_in_opened:
      return transition(walk.session_state.open_sign_in(), at);
    case audit::EntryType::session_closed:
      for (const auto& [id, vote] : walk.votes) {
        const auto state = vote.lifecycle.current().state;
        if (state == session::VoteState::open || state == session::VoteState::held) {
          return at("state.transition", "payload.session_id", VoteAuditErrc::out_of_order,
                    "表决 " + id + " 尚未截止时闭会 / the session closed while vote " + id + " was " +
                        std::string(session::to_string(state)));
        }
      }
      return transition(walk.session_state.close(), at);
    default:
      return std::nullopt;
  }
}

Check check_session_started(Walk& walk, const protocol::SessionStarted& e, At& at) {
  if (auto c = check_session_state(walk, e.kType, e.session_id, at)) return c;
  if (e.present != walk.present() || e.in_office != walk.session().deputies_in_office()) {
    return at("deputy.sign_in", "payload.present", VoteAuditErrc::mismatch,
              "开会时实到/应到 " + std::to_string(e.present) + "/" + std::to_string(e.in_office) +
                  "，签到记录为 " + std::to_string(walk.present()) + "/" +
                  std::to_string(walk.session().deputies_in_office()) +
                  " / present/in office at the start differ from the sign-ins");
  }
  return transition(walk.session_state.start(e.present, e.in_office, walk.session().rules.quorum), at);
}

Check check_sign_in(Walk& walk, const audit::Entry& entry, const protocol::DeputySignedIn& e, At& at) {
  constexpr std::string_view kCheck = "deputy.sign_in";
  const auto state = walk.session_state.state();
  if (state != session::SessionState::sign_in_open && state != session::SessionState::in_progress) {
    return at("state.transition", "type", VoteAuditErrc::out_of_order,
              "签到未开放时记录了签到 / a sign-in while sign-in is not open (" +
                  std::string(session::to_string(state)) + ")");
  }
  const std::string& deputy_id = e.deputy_id;
  const std::string& terminal = e.terminal_id;
  const session::Deputy* deputy = walk.session().find_deputy(deputy_id);
  if (deputy == nullptr || !deputy->in_office) {
    return at(kCheck, "payload.deputy_id", VoteAuditErrc::unknown_name,
              "'" + deputy_id + "' 不是在任代表 / not a deputy in office");
  }
  auto credential = crypto::VerifyKey::from_hex(deputy->credential_key);
  if (!credential) {
    return at(kCheck, "payload.deputy_id", VoteAuditErrc::malformed,
              deputy_id + ": 代表证公钥无效 / invalid card key");
  }
  if (auto where = walk.signed_in.find(deputy_id); where != walk.signed_in.end() && where->second != terminal) {
    return at(
        kCheck, "payload.terminal_id", VoteAuditErrc::out_of_order,
        deputy_id + " 已在席位 " + where->second + " 签到 / already signed in at terminal " + where->second);
  }
  if (auto seat = walk.seated.find(terminal); seat != walk.seated.end() && seat->second != deputy_id) {
    return at(kCheck, "payload.terminal_id", VoteAuditErrc::out_of_order,
              "席位 " + terminal + " 已有代表 " + seat->second + " / terminal seats deputy " + seat->second);
  }
  walk.sign_ins.push_back({entry.sequence, *credential,
                           protocol::sign_in_message(walk.opened.session_id, terminal, e.nonce), e.signature,
                           std::nullopt});
  walk.signed_in[deputy_id] = terminal;
  walk.seated[terminal] = deputy_id;
  return std::nullopt;
}

}  // namespace hallvote::vote_audit::internal
