// Check round.certification (docs/crypto.md §13.16): each certification entry names the round's result entry by
// sequence and hash, is signed by the key-committee member it names over the certification message
// (protocol/certification.h), comes in the order the rule allows (every scrutineer, then q presidium members,
// no repeats, nothing after completion), and marks `complete` exactly on the completing entry. The completing
// entry certifies the round and, when the recomputed result asks for another round, starts it (drafted).
#include "hallvote/protocol/certification.h"

#include "walk.h"

namespace hallvote::vote_audit::internal {

Check check_certification(Walk& walk, const protocol::Certification& cert, At& at) {
  constexpr std::string_view kCheck = "round.certification";
  auto vote = vote_of(walk, cert.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  at.round = cert.round;
  const auto& committee = walk.session().key_committee;
  if (cert.round < 1 || cert.round > v.rounds.size()) {
    return at(kCheck, "payload.round", VoteAuditErrc::unknown_name,
              "表决没有第" + std::to_string(cert.round) + "轮 / the vote has no such round");
  }
  RoundState& r = v.rounds[cert.round - 1];
  const bool current = cert.round == v.number();
  if (!current || v.lifecycle.current().state != session::VoteState::decrypted) {
    const bool certified = !current || v.lifecycle.current().state == session::VoteState::certified ||
                           v.lifecycle.current().state == session::VoteState::announced;
    return at(kCheck, "payload.round", VoteAuditErrc::out_of_order,
              certified ? "本轮已确认，不再接受签署 / the round is already certified: no further certification"
                        : "本轮尚无计票结果 / the round has no result to certify yet");
  }
  if (v.result_outdated) {
    return at(kCheck, "payload.result_sequence", VoteAuditErrc::out_of_order,
              "主席团决定已生效，本轮须先有新的计票结果 / a presidium decision took effect: the round's new "
              "result entry must come first");
  }
  if (v.result && v.result->status == session::VoteStatus::awaiting_decision) {
    return at(kCheck, "payload.round", VoteAuditErrc::out_of_order,
              "不足名额尚待主席团决定，不能确认 / the shortfall awaits the presidium's decision: nothing to "
              "certify yet");
  }
  if (cert.result_sequence != r.result_sequence) {
    return at(kCheck, "payload.result_sequence", VoteAuditErrc::mismatch,
              "签署的不是本轮结果条目 " + std::to_string(r.result_sequence) +
                  " / the certification names entry " + std::to_string(cert.result_sequence) +
                  ", the round's result is entry " + std::to_string(r.result_sequence));
  }
  if (cert.result_hash != r.result_hash) {
    return at(kCheck, "payload.result_hash", VoteAuditErrc::mismatch,
              "result_hash 不是结果条目的哈希 " + crypto::to_hex(r.result_hash) +
                  " / result_hash is not the hash of the round's result entry");
  }
  const session::Official* official = walk.session().find_official(cert.certifier);
  if (official == nullptr) {
    return at(kCheck, "payload.certifier", VoteAuditErrc::unknown_name,
              "'" + cert.certifier + "' 不是主席团/监票人成员 / not a key committee member");
  }
  if (cert.name != official->name || cert.role != session::to_string(official->role)) {
    return at(
        kCheck, cert.name != official->name ? "payload.name" : "payload.role", VoteAuditErrc::mismatch,
        "签署人姓名或身份与会议定义不符 / the certifier's name or role differs from the session definition");
  }
  if (auto ok = protocol::check_next_certifier(committee, r.certifiers, cert.certifier); !ok) {
    return at(kCheck, "payload.certifier", VoteAuditErrc::out_of_order, ok.error().message());
  }
  if (auto ok = protocol::verify_certification(committee, walk.opened.session_id, v.definition->id, cert.round,
                                               cert.result_sequence, cert.result_hash, cert.certifier,
                                               cert.signature);
      !ok) {
    return at(kCheck, "payload.signature", VoteAuditErrc::invalid_signature, ok.error().message());
  }
  std::vector<std::string> signers = r.certifiers;
  signers.push_back(cert.certifier);
  const bool complete = protocol::certification_progress(committee, signers).complete;
  if (cert.complete != complete) {
    return at(kCheck, "payload.complete", VoteAuditErrc::mismatch,
              std::string("complete 应为 ") + (complete ? "true" : "false") + " / complete must be " +
                  (complete ? "true" : "false") + " on this entry by the signing rule");
  }
  r.certifiers = std::move(signers);
  RoundSummary& summary = walk.summary(v);
  summary.certified_by.push_back(cert.certifier);
  ++walk.report.certifications;
  if (complete) {
    if (auto c = transition(v.lifecycle.certify(), at)) return c;
    summary.certified = true;
    summary.state = std::string(session::to_string(v.lifecycle.current().state));
    if (v.result && v.result->next_round) {
      if (auto c = transition(v.lifecycle.start_round(*v.result->next_round), at)) return c;
      begin_round(walk, v);
    }
  }
  return std::nullopt;
}

}  // namespace hallvote::vote_audit::internal
