// Check round.decision (docs/crypto.md §13.20): each presidium_decision entry is signed by the presidium
// member it names over the decision message (protocol/presidium_decision.h), names the round's latest result
// entry by sequence and hash, fits the vote as it stands (a re-reading decision before certification, which
// the rules engine accepts; an announcement of a certified, decided vote under an unused number), is no repeat
// of the member's signature, and marks `complete` exactly on the entry that brings the q-th distinct
// signature. The completing entry puts the decision in effect: a re-reading decision makes the round's new
// result entry due (results.cc checks it with the decision), an announcement moves the vote to announced.
#include <algorithm>

#include "hallvote/protocol/presidium_decision.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {
namespace {

constexpr std::string_view kCheck = "round.decision";

Check check_fits(Walk& walk, VoteState& v, const protocol::PresidiumDecision& d, const At& at) {
  const session::RoundRecord& current = v.lifecycle.current();
  if (d.round != v.number() || v.rounds.empty() || v.current().result_sequence == 0 || v.result_outdated) {
    return at(kCheck, "payload.decision.round", VoteAuditErrc::out_of_order,
              "决定不是针对本表决当前有计票结果的一轮 / the decision is not about the vote's current decrypted "
              "round");
  }
  const RoundState& r = v.current();
  if (d.result_sequence != r.result_sequence) {
    return at(kCheck, "payload.decision.result_sequence", VoteAuditErrc::mismatch,
              "决定依据的不是本轮最新的计票结果条目 " + std::to_string(r.result_sequence) +
                  " / the decision names entry " + std::to_string(d.result_sequence) +
                  ", the round's latest result is entry " + std::to_string(r.result_sequence));
  }
  if (d.result_hash != r.result_hash) {
    return at(kCheck, "payload.decision.result_hash", VoteAuditErrc::mismatch,
              "result_hash 不是结果条目的哈希 / result_hash is not the hash of the round's result entry");
  }
  if (d.kind == protocol::DecisionKind::announce) {
    if (current.state != session::VoteState::certified || !v.result ||
        v.result->status != session::VoteStatus::decided) {
      return at(kCheck, "payload.decision.kind", VoteAuditErrc::out_of_order,
                "只有已确认且已有最终结果的表决才能公告 / only a certified, decided vote is announced");
    }
    if (auto it = walk.notices.find(d.notice_number);
        it != walk.notices.end() && it->second != v.definition->id) {
      return at(kCheck, "payload.decision.notice_number", VoteAuditErrc::duplicate,
                "公告第 " + std::to_string(d.notice_number) + " 号已用于表决 " + it->second +
                    " / the notice number is already that of vote " + it->second);
    }
    return std::nullopt;
  }
  if (current.state != session::VoteState::decrypted) {
    return at(kCheck, "payload.decision.kind", VoteAuditErrc::out_of_order,
              "此类决定只能在计票结果确认前作出 / this decision is made before the result is certified");
  }
  std::vector<session::PresidiumDecision> decisions = v.decisions;
  decisions.push_back(*d.rules_decision());
  auto result = session::compute_vote_result(walk.session(), v.definition->id, v.tallies, decisions);
  if (!result) return at(kCheck, "payload.decision", VoteAuditErrc::out_of_order, result.error().message());
  return std::nullopt;
}

}  // namespace

Check check_decision(Walk& walk, const protocol::PresidiumDecisionSigned& e, At& at) {
  const protocol::PresidiumDecision& d = e.decision;
  auto vote = vote_of(walk, d.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  at.round = d.round;
  const session::Official* official = walk.session().find_official(e.official_id);
  if (official == nullptr || official->role != session::OfficialRole::presidium_member) {
    return at(kCheck, "payload.official_id", VoteAuditErrc::unknown_name,
              "'" + e.official_id + "' 不是主席团成员 / not a presidium member");
  }
  if (e.name != official->name) {
    return at(kCheck, "payload.name", VoteAuditErrc::mismatch,
              "签署人姓名与会议定义不符 / the signer's name differs from the session definition");
  }
  if (auto ok = protocol::verify_decision(walk.session().key_committee, walk.opened.session_id, d,
                                          e.official_id, e.signature);
      !ok) {
    return at(kCheck, "payload.signature", VoteAuditErrc::invalid_signature, ok.error().message());
  }
  if (auto c = check_fits(walk, v, d, at)) return c;
  const std::string key = d.to_json().dump();
  std::vector<std::string> signers = v.proposals[key];
  if (std::find(signers.begin(), signers.end(), e.official_id) != signers.end()) {
    return at(kCheck, "payload.official_id", VoteAuditErrc::duplicate,
              official->name + " 已签署同一决定 / " + e.official_id + " already signed this decision");
  }
  signers.push_back(e.official_id);
  const bool complete = signers.size() >= protocol::decision_signatures_needed(walk.session().key_committee);
  if (e.complete != complete) {
    return at(kCheck, "payload.complete", VoteAuditErrc::mismatch,
              std::string("complete 应为 ") + (complete ? "true" : "false") + " / complete must be " +
                  (complete ? "true" : "false") + " on this entry by the signing rule");
  }
  if (!complete) {
    v.proposals[key] = std::move(signers);
    return std::nullopt;
  }
  v.proposals.clear();
  if (auto rules = d.rules_decision()) {
    v.decisions.push_back(std::move(*rules));
    v.result_outdated = true;
    return std::nullopt;
  }
  if (auto c = transition(v.lifecycle.announce(), at)) return c;
  walk.notices[d.notice_number] = v.definition->id;
  walk.summary(v).state = std::string(session::to_string(v.lifecycle.current().state));
  return std::nullopt;
}

}  // namespace hallvote::vote_audit::internal
