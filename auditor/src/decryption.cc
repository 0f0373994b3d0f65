// Check round.shares (docs/crypto.md §13.13): every decryption_share is the named trustee's, its hash is that
// of its bytes, and its proofs verify against the round's tally and the trustee's public key share from the key
// ceremony recorded in entry 0 (crypto::verify_partial). Their combination is checked with the result
// (results.cc, round.decryption).
#include "hallvote/crypto/hash.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {

Check check_share(Walk& walk, const protocol::DecryptionShare& e, At& at) {
  constexpr std::string_view kCheck = "round.shares";
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  if (v.lifecycle.current().state != session::VoteState::tallied) {
    return transition(fail(VoteAuditErrc::out_of_order,
                           "份额只能在计票后、结果前提交 / shares come after the tally and "
                           "before the result"),
                      at);
  }
  RoundState& r = v.current();
  const std::string& trustee = e.trustee;
  const std::uint32_t index = e.index;
  if (!walk.opened.threshold_key) {
    return at(kCheck, "payload.share", VoteAuditErrc::missing_session,
              "首条目未记录密钥仪式结果，无法核验份额 / entry 0 records no key ceremony result: shares cannot "
              "be checked");
  }
  const auto& members = walk.session().key_committee.members;
  if (index < 1 || index > members.size() || members[index - 1].id != trustee) {
    return at(kCheck, "payload.index", VoteAuditErrc::unknown_name,
              "'" + trustee + "' 不是第 " + std::to_string(index) + " 号受托人 / not trustee " +
                  std::to_string(index));
  }
  if (crypto::sha256(e.share) != e.share_hash) {
    return at(kCheck, "payload.share_hash", VoteAuditErrc::mismatch,
              "share_hash 不是份额的哈希 / not the hash of the share");
  }
  auto share = crypto::PartialDecryption::decode(e.share);
  if (!share) return at(kCheck, "payload.share", VoteAuditErrc::malformed, share.error().message());
  if (share->trustee != index) {
    return at(kCheck, "payload.share", VoteAuditErrc::mismatch,
              "份额编号 " + std::to_string(share->trustee) + " 与受托人序号 " + std::to_string(index) +
                  " 不符 / the share's trustee index differs");
  }
  for (const auto& official : r.share_officials) {
    if (official == trustee) {
      return at(kCheck, "payload.trustee", VoteAuditErrc::duplicate,
                trustee + " 已提交份额 / a second share of " + trustee);
    }
  }
  if (auto ok = crypto::verify_partial(*walk.opened.threshold_key, r.base_hash, r.tally, *share); !ok) {
    return at(
        kCheck, "payload.share", VoteAuditErrc::invalid_proof,
        trustee + " 的解密份额证明无效 / the decryption share's proofs do not verify: " + ok.error().message());
  }
  r.shares.push_back(std::move(*share));
  r.share_officials.push_back(trustee);
  walk.summary(v).shares.push_back(trustee);
  ++walk.report.shares;
  return std::nullopt;
}

}  // namespace hallvote::vote_audit::internal
