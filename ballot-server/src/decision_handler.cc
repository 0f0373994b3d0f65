// Presidium decisions (主席团决定, docs/protocol.md §4.5.9): a member's signature over a decision about a
// vote's round; the signature that completes it puts it in effect — a re-decided round gets a new result entry,
// an announcement moves the vote to 已公告. Serialized with the other commands by State::control.
#include "hallvote/protocol/presidium_decision.h"
#include "hallvote/tlog/entry.h"
#include "state.h"

namespace hallvote::server {

using protocol::DecisionKind;
using protocol::ProtocolErrc;

namespace {

std::string round_words(std::uint32_t round) { return "第" + std::to_string(round) + "轮"; }

// Whether `d` fits the vote as it stands: the current round, its latest result, the state each kind needs, and
// for a decision the rules engine reads, that the engine accepts it. Precondition: mutex held.
Status check_fits(const HallServer::State& s, const VoteRuntime& v, const protocol::PresidiumDecision& d) {
  const session::RoundRecord& current = v.lifecycle.current();
  const bool further_round = v.result && v.result->round.spec.number != current.spec.number;
  if (d.kind == DecisionKind::announce && (!v.result || !v.result->decided || further_round)) {
    return reject(ProtocolErrc::wrong_state,
                  "本表决尚未有最终结果（尚未计票，或还有一轮投票），不能公告 / the vote is not decided yet: "
                  "nothing to announce");
  }
  if (d.round != current.spec.number || !v.result || further_round) {
    return reject(ProtocolErrc::wrong_state, round_words(d.round) + "不是本表决当前有计票结果的一轮 / round " +
                                                 std::to_string(d.round) +
                                                 " is not the vote's current decrypted round");
  }
  if (d.result_sequence != v.result_sequence) {
    return reject(ProtocolErrc::wrong_state,
                  "计票结果已更新（现为第 " + std::to_string(v.result_sequence) +
                      " 条），请重新查看后再签署 / the result was updated (now entry " +
                      std::to_string(v.result_sequence) + "): review it again before signing");
  }
  if (d.kind == DecisionKind::announce) {
    if (current.state != session::VoteState::certified) {
      return reject(ProtocolErrc::wrong_state,
                    "表决结果" + std::string(session::display_name_zh(current.state)) +
                        "，须确认后才能公告 / only a certified result is announced (the round is " +
                        std::string(session::to_string(current.state)) + ")");
    }
    if (auto it = s.notices.find(d.notice_number); it != s.notices.end()) {
      return reject(ProtocolErrc::wrong_state, "公告第 " + std::to_string(d.notice_number) + " 号已用于表决“" +
                                                   s.votes.at(it->second).definition->title +
                                                   "” / notice number already used");
    }
    return {};
  }
  if (current.state != session::VoteState::decrypted) {
    return reject(ProtocolErrc::wrong_state,
                  round_words(d.round) + std::string(session::display_name_zh(current.state)) +
                      "；主席团只能在计票结果确认前作此决定 / the presidium decides this before the result is "
                      "certified (the round is " +
                      std::string(session::to_string(current.state)) + ")");
  }
  std::vector<session::PresidiumDecision> decisions = v.decisions;
  decisions.push_back(*d.rules_decision());
  auto result = session::compute_vote_result(s.session, v.definition->id, v.rounds, decisions);
  if (!result) return reject(ProtocolErrc::wrong_state, result.error().detail);
  return {};
}

json progress_json(const HallServer::State& s, const std::vector<std::string>& signers, bool complete) {
  std::vector<std::string> names;
  for (const std::string& id : signers) {
    const session::Official* official = s.session.find_official(id);
    names.push_back(official != nullptr ? official->name : id);
  }
  return {{"signed", signers},
          {"signed_names", names},
          {"needed", protocol::decision_signatures_needed(s.session.key_committee)},
          {"complete", complete}};
}

}  // namespace

Status record_redecided_result(HallServer::State& s, const std::string& vote_id) {
  protocol::ResultOutcome outcome;
  {
    std::lock_guard lock(s.mutex);
    const VoteRuntime& v = s.votes.at(vote_id);
    auto result = session::compute_vote_result(s.session, vote_id, v.rounds, v.decisions);
    if (!result) return fail(ProtocolErrc::internal, "rules engine: " + result.error().message());
    outcome = protocol::result_outcome(s.session, v.rounds.back(), *result, v.result->decrypted_by);
  }
  auto recorded = s.record(protocol::ResultEntry{vote_id, outcome});
  if (!recorded) return forward(recorded.error());
  return {};
}

Status record_redecided_result_if_due(HallServer::State& s, const std::string& vote_id) {
  {
    std::lock_guard lock(s.mutex);
    auto it = s.votes.find(vote_id);
    if (it == s.votes.end() || !it->second.result_outdated) return {};
  }
  return record_redecided_result(s, vote_id);
}

Result<json> handle_decide(HallServer::State& s, const protocol::Peer& peer, const json& body) {
  std::lock_guard control(s.control);
  const std::string official_id = text_field(body, "official_id");
  if (official_id != peer.id) {
    return reject(ProtocolErrc::forbidden, "只能以本人身份签署 / sign only as yourself (" + peer.id + ")");
  }
  const auto decision_json = body.find("decision");
  if (decision_json == body.end()) return reject(ProtocolErrc::malformed, "decide.decision: missing");
  HALLVOTE_TRY(decision, protocol::PresidiumDecision::from_json(*decision_json, "decide.decision"));
  auto signature = crypto::from_hex_fixed<64>(text_field(body, "signature"));
  if (!signature) return reject(ProtocolErrc::malformed, "decide.signature");
  if (auto ok = protocol::verify_decision(s.session.key_committee, s.session.info.id, *decision, official_id,
                                          *signature);
      !ok) {
    return forward(ok.error());
  }
  if (auto ok = record_redecided_result_if_due(s, decision->vote_id); !ok) return forward(ok.error());
  const std::string key = decision->to_json().dump();
  std::vector<std::string> signers;
  {
    std::lock_guard lock(s.mutex);
    auto it = s.votes.find(decision->vote_id);
    if (it == s.votes.end()) {
      return reject(ProtocolErrc::wrong_vote,
                    "没有表决“" + decision->vote_id + "” / no vote '" + decision->vote_id + "'");
    }
    const VoteRuntime& v = it->second;
    if (auto ok = check_fits(s, v, *decision); !ok) return forward(ok.error());
    if (auto p = v.proposals.find(key); p != v.proposals.end()) signers = p->second;
    if (std::find(signers.begin(), signers.end(), official_id) != signers.end()) {
      json answer = progress_json(s, signers, false);
      answer["already_signed"] = true;
      return answer;
    }
  }
  // The decision names the result entry by its hash too: the member signed what the log holds.
  auto entry = s.log.entry(decision->result_sequence);
  if (!entry) return fail(ProtocolErrc::internal, "result entry: " + entry.error().message());
  if (audit::entry_hash(*entry) != decision->result_hash) {
    return reject(ProtocolErrc::wrong_state,
                  "决定所依据的计票结果与审计日志不符 / the decision's result_hash "
                  "is not that of the result entry it names");
  }
  signers.push_back(official_id);
  const bool complete = signers.size() >= protocol::decision_signatures_needed(s.session.key_committee);
  const session::Official* official = s.session.find_official(official_id);
  auto recorded =
      s.record(protocol::PresidiumDecisionSigned{*decision, official_id, official->name, *signature, complete});
  if (!recorded) return forward(recorded.error());
  if (complete && decision->kind != DecisionKind::announce) {
    if (auto ok = record_redecided_result(s, decision->vote_id); !ok) return forward(ok.error());
  }
  json answer = progress_json(s, signers, complete);
  std::lock_guard lock(s.mutex);
  const VoteRuntime& v = s.votes.at(decision->vote_id);
  answer["vote_id"] = decision->vote_id;
  answer["decision"] = decision->to_json();
  answer["state"] = std::string(session::to_string(v.lifecycle.current().state));
  if (complete && v.result) {
    answer["result"] = v.result->to_json();
    answer["result_sequence"] = v.result_sequence;
  }
  return answer;
}

}  // namespace hallvote::server
