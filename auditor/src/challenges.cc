// Check ballot.challenge (docs/crypto.md §13.19): every ballot_challenged entry is a ballot the deputy's card
// signed for the open round, issued to the deputy at that seat before any cast of theirs in the round, whose
// revealed nonces re-encrypt the revealed choices to every ciphertext; no challenged ballot is challenged
// twice, and none — nor any of its ciphertexts — is ever cast (so never counted).
#include "hallvote/protocol/ballot_challenge.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {

namespace {
constexpr std::string_view kCheck = "ballot.challenge";
}  // namespace

Check check_challenged(Walk& walk, const audit::Entry& entry, const protocol::BallotChallenged& e, At& at) {
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  if (auto c = require_open(v, at)) return c;
  if (auto c = same_round(v, e.round, at)) return c;
  RoundState& r = v.current();
  auto seat = walk.signed_in.find(e.deputy_id);
  auto issued = r.issued.find(e.deputy_id);
  if (seat == walk.signed_in.end() || seat->second != e.terminal_id || issued == r.issued.end() ||
      issued->second != e.terminal_id) {
    return at(kCheck, "payload.terminal_id", VoteAuditErrc::out_of_order,
              "核验的选票未在该席位发给 " + e.deputy_id +
                  " / the challenged ballot was not issued to the deputy at this terminal");
  }
  if (r.counted.count(e.deputy_id) != 0) {
    return at(kCheck, "payload.deputy_id", VoteAuditErrc::out_of_order,
              e.deputy_id + " 已投票后又核验 / a challenge after the deputy's cast in this round");
  }
  const session::Deputy* deputy = walk.session().find_deputy(e.deputy_id);
  auto credential = deputy != nullptr && deputy->in_office
                        ? crypto::VerifyKey::from_hex(deputy->credential_key)
                        : Result<crypto::VerifyKey>(fail(VoteAuditErrc::unknown_name));
  if (!credential) {
    return at(kCheck, "payload.deputy_id", VoteAuditErrc::unknown_name,
              "'" + e.deputy_id + "' 不是在任代表，没有代表证 / not a deputy in office: no card key");
  }
  if (!credential->verify(protocol::cast_signing_message(e.ballot), e.signature)) {
    return at(kCheck, "payload.signature", VoteAuditErrc::invalid_signature,
              "核验的选票不是代表 " + e.deputy_id +
                  " 的代表证签署的 / the challenged ballot is not signed by " + e.deputy_id + "'s card");
  }
  if (protocol::ballot_hash(e.ballot, e.signature) != e.ballot_hash) {
    return at(kCheck, "payload.ballot_hash", VoteAuditErrc::mismatch,
              "ballot_hash 与选票及签名不符 / ballot_hash is not the hash of the ballot and signature");
  }
  auto ballot = protocol::CastBallot::decode(e.ballot, *r.definition);
  if (!ballot) return at(kCheck, "payload.ballot", VoteAuditErrc::malformed, ballot.error().detail);
  if (ballot->deputy_id != e.deputy_id) {
    return at(kCheck, "payload.deputy_id", VoteAuditErrc::mismatch,
              "选票属于 " + ballot->deputy_id + " / the ballot names deputy " + ballot->deputy_id);
  }
  if (auto ok = protocol::verify_reveal(*r.definition, *ballot, e.reveal); !ok) {
    return at(
        kCheck, "payload.nonces", VoteAuditErrc::mismatch,
        "公开的随机数不能重现密文 / the revealed nonces do not reproduce the ballot: " + ok.error().detail);
  }
  const std::string hash_hex = crypto::to_hex(e.ballot_hash);
  if (v.ballot_hashes.count(hash_hex) != 0 || !v.challenged_hashes.insert(hash_hex).second) {
    return at(kCheck, "payload.ballot_hash", VoteAuditErrc::duplicate,
              "此选票已投出或已核验 / this ballot was already cast or challenged (" + hash_hex + ")");
  }
  for (const auto& key : protocol::ciphertext_keys(*ballot)) {
    if (!v.challenged_ciphertexts.emplace(key, entry.sequence).second) {
      return at(kCheck, "payload.ballot", VoteAuditErrc::duplicate,
                "密文已在另一张核验的选票中公开 / a ciphertext of another challenged ballot");
    }
  }
  ++walk.summary(v).challenged;
  ++walk.report.challenged;
  return std::nullopt;
}

std::optional<std::pair<std::uint64_t, Problem>> find_cast_of_challenged(const Walk& walk,
                                                                         std::uint64_t limit) {
  for (const CastJob& job : walk.casts) {
    if (job.sequence >= limit) break;  // jobs are in entry order
    const VoteState& v = walk.votes.find(job.vote_id)->second;
    if (v.challenged_ciphertexts.empty()) continue;
    for (const auto& ciphertext : job.selections) {
      auto found = v.challenged_ciphertexts.find(crypto::to_hex(ciphertext.encode()));
      if (found == v.challenged_ciphertexts.end()) continue;
      return std::pair{job.sequence,
                       Problem{kCheck, job.vote_id, job.round, "payload.ballot",
                               Error{make_error_code(VoteAuditErrc::duplicate),
                                     "投出的选票含核验条目 " + std::to_string(found->second) +
                                         " 已公开的密文 / a cast ballot holds a ciphertext revealed by "
                                         "the challenge at entry " +
                                         std::to_string(found->second)}}};
    }
  }
  return std::nullopt;
}

}  // namespace hallvote::vote_audit::internal
