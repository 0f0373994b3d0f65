// The round's close (round.reconciliation: 发出, 收回 and 实到 the vote_closed entry records) and its tally
// (round.tally: the ciphertexts are the homomorphic sum of the counted ballots, and tally_hash their hash) —
// docs/crypto.md §13.11–13.12.
#include "hallvote/protocol/cast_ballot.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {
namespace {

std::string counts(std::uint64_t logged, std::uint64_t recounted) {
  return "日志记录 " + std::to_string(logged) + "，重新统计为 " + std::to_string(recounted) + " / logged " +
         std::to_string(logged) + ", recounted " + std::to_string(recounted);
}

}  // namespace

Check check_closed(Walk& walk, const protocol::VoteClosed& e, At& at) {
  constexpr std::string_view kCheck = "round.reconciliation";
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  if (auto c = same_round(v, e.round, at)) return c;
  if (auto c = transition(v.lifecycle.close(), at)) return c;
  RoundState& r = v.current();
  if (e.issued != r.issued.size()) {
    return at(kCheck, "payload.issued", VoteAuditErrc::mismatch,
              "发出 / issued: " + counts(e.issued, r.issued.size()));
  }
  if (e.ballots != r.counted.size()) {
    return at(kCheck, "payload.ballots", VoteAuditErrc::mismatch,
              "收回 / returned: " + counts(e.ballots, r.counted.size()));
  }
  if (e.present != walk.present()) {
    return at(kCheck, "payload.present", VoteAuditErrc::mismatch,
              "实到 / present: " + counts(e.present, walk.present()));
  }
  r.present_at_close = walk.present();
  RoundSummary& summary = walk.summary(v);
  summary.state = std::string(session::to_string(v.lifecycle.current().state));
  summary.present = r.present_at_close;
  return std::nullopt;
}

Check check_tally(Walk& walk, const audit::Entry& entry, const protocol::Tally& e, At& at) {
  constexpr std::string_view kCheck = "round.tally";
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  if (auto c = same_round(v, e.round, at)) return c;
  if (auto c = transition(v.lifecycle.mark_tallied(), at)) return c;
  RoundState& r = v.current();
  std::size_t selections = 0;
  for (const auto& contest : r.definition->shape.contests) selections += contest.selections.size();
  if (e.ciphertexts.size() != selections) {
    return at(kCheck, "payload.ciphertexts", VoteAuditErrc::mismatch,
              "密文 " + std::to_string(e.ciphertexts.size()) + " 个，选票有 " + std::to_string(selections) +
                  " 个选项 / one ciphertext per selection expected");
  }
  std::vector<crypto::Ciphertext> tally;
  for (std::size_t s = 0; s < selections; ++s) {
    auto ciphertext = crypto::Ciphertext::decode(e.ciphertexts[s]);
    if (!ciphertext) {
      const std::string field = "payload.ciphertexts[" + std::to_string(s) + "]";
      return at(kCheck, field, VoteAuditErrc::malformed, field + ": " + ciphertext.error().message());
    }
    tally.push_back(*ciphertext);
  }
  if (e.ballots != r.counted.size()) {
    return at(kCheck, "payload.ballots", VoteAuditErrc::mismatch,
              "计入的选票 / ballots counted: " + counts(e.ballots, r.counted.size()));
  }
  if (protocol::tally_hash(tally) != e.tally_hash) {
    return at(kCheck, "payload.tally_hash", VoteAuditErrc::mismatch,
              "tally_hash 不是所记密文的哈希 / tally_hash is not the hash of the ciphertexts logged");
  }
  TallyJob job{entry.sequence, v.definition->id, v.number(), tally, {}};
  for (const auto& [deputy, index] : r.counted) job.counted.push_back(index);
  walk.tallies.push_back(std::move(job));
  r.tally = std::move(tally);
  RoundSummary& summary = walk.summary(v);
  summary.state = std::string(session::to_string(v.lifecycle.current().state));
  summary.tallied = true;
  return std::nullopt;
}

std::optional<std::pair<std::uint64_t, Problem>> run_tally_jobs(const Walk& walk, std::uint64_t limit) {
  for (const TallyJob& job : walk.tallies) {
    if (job.sequence >= limit) break;
    std::vector<crypto::Ciphertext> sum(job.logged.size(), crypto::Ciphertext::zero());
    bool complete = true;
    for (std::size_t index : job.counted) {
      const CastJob& ballot = walk.casts[index];
      if (ballot.selections.size() != sum.size()) {
        complete = false;  // the ballot failed to decode; its own failure comes first
        break;
      }
      for (std::size_t s = 0; s < sum.size(); ++s) sum[s] += ballot.selections[s];
    }
    if (!complete) continue;
    for (std::size_t s = 0; s < sum.size(); ++s) {
      if (!(sum[s] == job.logged[s])) {
        const std::string field = "payload.ciphertexts[" + std::to_string(s) + "]";
        return std::pair{
            job.sequence,
            Problem{"round.tally", job.vote_id, job.round, field,
                    Error{make_error_code(VoteAuditErrc::mismatch),
                          field + ": 不是计入选票之和 / not the homomorphic sum of the counted ballots"}}};
      }
    }
  }
  return std::nullopt;
}

}  // namespace hallvote::vote_audit::internal
