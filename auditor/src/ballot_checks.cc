// The ballots' own checks, on worker threads: each ballot decodes against its round's definition and its proofs
// verify (ballot.proofs), the deputy's card signature verifies (ballot.signature), and the logged ballot_hash
// is recomputed (ballot.hash) — docs/crypto.md §13.7–13.9. Proofs of a chunk of ballots are checked in one
// batch (crypto.md §4.5); when a batch fails, each of its ballots is verified alone to name the culprits.
#include <mutex>

#include "hallvote/crypto/batch_verifier.h"
#include "hallvote/protocol/cast_ballot.h"
#include "parallel.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {
namespace {

constexpr std::size_t kChunk = 32;

crypto::ContestShape shape_of(const session::Contest& contest) {
  return {contest.selections.size(), contest.min_selected, contest.max_selected};
}

Problem job_problem(const CastJob& job, std::string_view check, std::string field, VoteAuditErrc code,
                    std::string detail) {
  return Problem{check, job.vote_id, job.round, std::move(field),
                 Error{make_error_code(code), std::move(detail)}};
}

// Reports progress from worker threads, one call at a time.
class Progress {
 public:
  Progress(const VoteVerifyOptions& options, std::string_view stage, std::uint64_t total)
      : options_(options), stage_(stage), total_(total) {}
  void add(std::uint64_t n) {
    if (!options_.progress) return;
    std::lock_guard lock(mutex_);
    done_ += n;
    options_.progress(stage_, done_, total_);
  }

 private:
  const VoteVerifyOptions& options_;
  std::string_view stage_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  std::mutex mutex_;
};

// Decodes the ballot, checks it is the deputy's, and adds its proof equations to `batch` (or, for a ballot with
// an aggregate limit, verifies it on its own). Returns the decoded ballot when its proofs went into the batch.
std::optional<protocol::CastBallot> decode_and_add(CastJob& job, crypto::BatchVerifier& batch) {
  auto ballot = protocol::CastBallot::decode(job.ballot, *job.definition);
  if (!ballot) {
    job.problem =
        job_problem(job, "ballot.proofs", "payload.ballot", VoteAuditErrc::malformed,
                    "选票无法按本轮选票定义解码 / the ballot does not decode against its round's definition: " +
                        ballot.error().message());
    return std::nullopt;
  }
  if (ballot->deputy_id != job.deputy_id) {
    job.problem = job_problem(job, "ballot.proofs", "payload.ballot", VoteAuditErrc::mismatch,
                              "选票属于代表 " + ballot->deputy_id + "，条目记为 " + job.deputy_id +
                                  " / the ballot is deputy " + ballot->deputy_id + "'s, the entry names " +
                                  job.deputy_id);
    return std::nullopt;
  }
  for (const auto& contest : ballot->contests) {
    job.selections.insert(job.selections.end(), contest.selections.begin(), contest.selections.end());
  }
  auto invalid = [&](const Error& e) {
    job.problem = job_problem(job, "ballot.proofs", "payload.ballot", VoteAuditErrc::invalid_proof,
                              "选票证明无效 / the ballot's proofs do not verify: " + e.message());
  };
  if (job.definition->shape.aggregate_limit) {
    if (auto ok = protocol::verify_cast_ballot(*job.definition, job.credential, *ballot); !ok)
      invalid(ok.error());
    return std::nullopt;
  }
  const crypto::ProofContext context{ballot->base_hash, *job.key, job.credential.bytes()};
  for (std::size_t c = 0; c < ballot->contests.size(); ++c) {
    const auto& contest = job.definition->shape.contests[c];
    if (auto ok = crypto::add_contest(batch, context, contest.id, shape_of(contest), ballot->contests[c]);
        !ok) {
      invalid(ok.error());
      return std::nullopt;
    }
  }
  return std::move(*ballot);
}

void signature_and_hash(CastJob& job) {
  if (!job.credential.verify(protocol::cast_signing_message(job.ballot), job.signature)) {
    job.problem =
        job_problem(job, "ballot.signature", "payload.signature", VoteAuditErrc::invalid_signature,
                    "选票不是代表 " + job.deputy_id + " 的代表证签署的 / the ballot is not signed by deputy " +
                        job.deputy_id + "'s card");
    return;
  }
  const crypto::Sha256Digest hash = protocol::ballot_hash(job.ballot, job.signature);
  if (hash != job.logged_hash) {
    job.problem =
        job_problem(job, "ballot.hash", "payload.ballot_hash", VoteAuditErrc::mismatch,
                    "记录的选票哈希（确认码）与重算的 " + crypto::to_hex(hash) +
                        " 不符 / the logged ballot hash (confirmation code) differs from the recomputed one");
  }
}

// Ballots [begin, end): one batch per election key (every round of a session shares one, so normally one).
void verify_chunk(std::vector<CastJob>& jobs, std::size_t begin, std::size_t end) {
  struct Batch {
    const crypto::ElectionKey* key;
    crypto::BatchVerifier verifier;
    std::vector<std::pair<std::size_t, protocol::CastBallot>> members;
  };
  std::vector<Batch> batches;
  for (std::size_t i = begin; i < end; ++i) {
    CastJob& job = jobs[i];
    auto batch = std::find_if(batches.begin(), batches.end(), [&](const Batch& b) { return b.key == job.key; });
    if (batch == batches.end()) {
      batches.push_back(Batch{job.key, crypto::BatchVerifier(&job.key->table()), {}});
      batch = std::prev(batches.end());
    }
    if (auto ballot = decode_and_add(job, batch->verifier)) batch->members.emplace_back(i, std::move(*ballot));
  }
  for (auto& batch : batches) {
    if (batch.members.empty() || batch.verifier.holds()) continue;
    bool named = false;
    for (auto& [i, ballot] : batch.members) {
      if (auto ok = protocol::verify_cast_ballot(*jobs[i].definition, jobs[i].credential, ballot); !ok) {
        jobs[i].problem =
            job_problem(jobs[i], "ballot.proofs", "payload.ballot", VoteAuditErrc::invalid_proof,
                        "选票证明无效 / the ballot's proofs do not verify: " + ok.error().message());
        named = true;
      }
    }
    if (!named) {  // every ballot verifies alone but not the batch: only a verifier fault can do this
      CastJob& first = jobs[batch.members.front().first];
      first.problem =
          job_problem(first, "ballot.proofs", "payload.ballot", VoteAuditErrc::invalid_proof,
                      "批量验证失败而逐张验证通过 / the batch fails although each ballot verifies alone");
    }
  }
  for (std::size_t i = begin; i < end; ++i) {
    if (!jobs[i].problem) signature_and_hash(jobs[i]);
  }
}

}  // namespace

void run_sign_in_jobs(std::vector<SignInJob>& jobs, const VoteVerifyOptions& options) {
  Progress progress(options, "sign-ins", jobs.size());
  const std::size_t chunks = (jobs.size() + kChunk * 4 - 1) / (kChunk * 4);
  parallel_for(options.threads, chunks, [&](std::size_t c) {
    const std::size_t end = std::min(jobs.size(), (c + 1) * kChunk * 4);
    for (std::size_t i = c * kChunk * 4; i < end; ++i) {
      SignInJob& job = jobs[i];
      if (!job.credential.verify(job.message, job.signature)) {
        job.problem =
            Problem{"deputy.sign_in", "", std::nullopt, "payload.signature",
                    Error{make_error_code(VoteAuditErrc::invalid_signature),
                          "签到签名不是该代表的代表证签署的 / the sign-in is not signed by the deputy's card"}};
      }
    }
    progress.add(end - c * kChunk * 4);
  });
}

void run_cast_jobs(std::vector<CastJob>& jobs, const VoteVerifyOptions& options) {
  Progress progress(options, "ballots", jobs.size());
  const std::size_t chunks = (jobs.size() + kChunk - 1) / kChunk;
  parallel_for(options.threads, chunks, [&](std::size_t c) {
    const std::size_t end = std::min(jobs.size(), (c + 1) * kChunk);
    verify_chunk(jobs, c * kChunk, end);
    progress.add(end - c * kChunk);
  });
}

}  // namespace hallvote::vote_audit::internal
