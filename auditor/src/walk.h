// Internal: the state the vote-level walk rebuilds from the log, entry by entry, and the check functions of
// each entry type (one file per subject). The walk is the first of three passes (verifier.cc):
//   1. in entry order, every check that is cheap or depends on the state so far; expensive, independent work is
//      queued as jobs (card signatures of sign-ins, ballots' decoding, proofs and signatures) and the
//      comparison of each tally with the sum of its ballots is deferred until the ballots are decoded;
//   2. the jobs, on the worker threads;
//   3. the deferred tally sums.
// The reported failure is the one with the lowest entry sequence over all three, so the report is the one a
// strictly sequential verifier would give.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hallvote/auditor/report.h"
#include "hallvote/auditor/verifier.h"
#include "hallvote/crypto/elgamal.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/protocol/events.h"
#include "hallvote/protocol/session_record.h"
#include "hallvote/session/lifecycle.h"
#include "hallvote/session/rules.h"
#include "hallvote/tlog/bundle.h"
#include "hallvote/tlog/entry.h"
#include "problem.h"

namespace hallvote::vote_audit::internal {

using nlohmann::json;

// A deputy_signed_in whose card signature is checked on a worker thread.
struct SignInJob {
  std::uint64_t sequence = 0;
  crypto::VerifyKey credential{{}};
  crypto::Bytes message;  // protocol::sign_in_message(session id, terminal id, nonce)
  crypto::Signature signature{};
  std::optional<Problem> problem;  // set by the job
};

// A ballot_cast decoded and verified on a worker thread (ballot_checks.cc).
struct CastJob {
  std::uint64_t sequence = 0;
  std::string vote_id;
  std::uint32_t round = 0;
  const protocol::BallotDefinition* definition = nullptr;  // the round's; stable (RoundState lives in a deque)
  const crypto::ElectionKey* key = nullptr;                // the round's election key, shared read-only
  std::string deputy_id;                                   // as the payload names it
  crypto::VerifyKey credential{{}};                        // that deputy's card key from the session
  crypto::Bytes ballot;
  crypto::Signature signature{};
  crypto::Sha256Digest logged_hash{};
  // Set by the job: the selections' ciphertexts in ballot order (when the ballot decodes), and the problem.
  std::vector<crypto::Ciphertext> selections;
  std::optional<Problem> problem;
};

// The comparison of a tally entry with the sum of its round's counted ballots, once they are decoded.
struct TallyJob {
  std::uint64_t sequence = 0;
  std::string vote_id;
  std::uint32_t round = 0;
  std::vector<crypto::Ciphertext> logged;
  std::vector<std::size_t> counted;  // CastJob indices
};

struct RoundState {
  std::optional<protocol::BallotDefinition> definition;  // as rebuilt and matched (ballot.definition)
  std::optional<crypto::ElectionKey> key;
  protocol::BaseHash base_hash{};
  std::set<std::string> approvals;
  std::map<std::string, std::string> issued;   // deputy → terminal
  std::map<std::string, std::size_t> counted;  // deputy → CastJob index of the ballot that counts
  std::uint32_t present_at_close = 0;
  std::vector<crypto::Ciphertext> tally;  // the tally entry's ciphertexts
  std::vector<crypto::PartialDecryption> shares;
  std::vector<std::string> share_officials;
  std::uint64_t result_sequence = 0;
  audit::Hash result_hash{};
  std::vector<std::string> certifiers;
};

struct VoteState {
  const session::VoteDefinition* definition = nullptr;  // into Walk::opened.definition
  session::VoteLifecycle lifecycle;
  std::deque<RoundState> rounds;              // round n at [n − 1]
  std::vector<session::RoundTally> tallies;   // the decrypted rounds, as the rules engine reads them
  std::optional<session::VoteResult> result;  // recomputed after the latest decrypted round
  std::set<std::string> ballot_hashes;        // every ballot hash cast in the vote (any round)
  // Every challenged ballot of the vote (any round): its hash, and its ciphertexts (hex of the 64-byte
  // encodings) → the sequence of its ballot_challenged entry.
  std::set<std::string> challenged_hashes;
  std::map<std::string, std::uint64_t> challenged_ciphertexts;
  // Presidium decisions (decisions.cc): in effect, as the rules engine reads them; the signers of each decision
  // not yet in effect (canonical JSON → ids, in order); whether one took effect after the latest result entry.
  std::vector<session::PresidiumDecision> decisions;
  std::map<std::string, std::vector<std::string>> proposals;
  bool result_outdated = false;
  std::size_t summary = 0;  // index in VoteReport::votes

  explicit VoteState(const session::VoteDefinition& vote) : definition(&vote), lifecycle(vote) {}
  [[nodiscard]] RoundState& current() { return rounds.back(); }
  [[nodiscard]] std::uint32_t number() const { return lifecycle.current().spec.number; }
};

struct Walk {
  Walk(const audit::Bundle& b, VoteReport& r) : bundle(b), report(r) {}

  const audit::Bundle& bundle;
  VoteReport& report;
  std::vector<audit::Entry> entries;  // decoded, sequence order
  protocol::OpenedSession opened;     // from entry 0 (session.definition)
  session::SessionLifecycle session_state;
  std::map<std::string, std::string> signed_in;  // deputy → terminal
  std::map<std::string, std::string> seated;     // terminal → deputy
  std::map<std::string, VoteState, std::less<>> votes;
  std::map<std::uint32_t, std::string> notices;  // 公告 number → the vote announced under it
  std::vector<SignInJob> sign_ins;
  std::vector<CastJob> casts;
  std::vector<TallyJob> tallies;
  std::optional<crypto::VerifyKey> card_issuer;  // VoteVerifyOptions::card_issuer

  [[nodiscard]] const session::SessionDefinition& session() const { return opened.definition; }
  [[nodiscard]] RoundSummary& summary(const VoteState& vote) {
    return report.votes[vote.summary].rounds.back();
  }
  // Deputies in office signed in so far (实到).
  [[nodiscard]] std::uint32_t present() const;
};

// One entry's checks, each on the entry's typed event (protocol/events.h, decoded once by the walk); `at`
// collects the vote and round.
// session.cc
[[nodiscard]] Check check_session_opened(Walk& walk, const audit::Entry& entry,
                                         const protocol::SessionOpened& e, At& at);
// card_list_check.cc: entry 0's card list (part of session.definition).
[[nodiscard]] Check check_card_list(Walk& walk, const json& payload, At& at);
// key_ceremony_check.cc: entry 0's key ceremony transcript (part of session.definition).
[[nodiscard]] Check check_key_ceremony(Walk& walk, const json& payload, At& at);
// sign_in_opened, session_started (also through check_session_started) and session_closed.
[[nodiscard]] Check check_session_state(Walk& walk, audit::EntryType type, const std::string& session_id,
                                        At& at);
[[nodiscard]] Check check_session_started(Walk& walk, const protocol::SessionStarted& e, At& at);
[[nodiscard]] Check check_sign_in(Walk& walk, const audit::Entry& entry, const protocol::DeputySignedIn& e,
                                  At& at);
// ballots.cc
[[nodiscard]] Check check_vote_opened(Walk& walk, const protocol::VoteOpened& e, At& at);
[[nodiscard]] Check check_vote_held_or_resumed(Walk& walk, const std::string& vote_id, bool resumed, At& at);
[[nodiscard]] Check check_prepared(Walk& walk, const protocol::BallotPrepared& e, At& at);
[[nodiscard]] Check check_approved(Walk& walk, const protocol::BallotApproved& e, At& at);
[[nodiscard]] Check check_issued(Walk& walk, const protocol::BallotIssued& e, At& at);
[[nodiscard]] Check check_cast(Walk& walk, const audit::Entry& entry, const protocol::BallotCast& e, At& at);
void count_rejected(Walk& walk, const protocol::CastRejected& e);
// challenges.cc: a ballot_challenged entry (ballot.challenge) — checked in full here, challenges being rare.
[[nodiscard]] Check check_challenged(Walk& walk, const audit::Entry& entry, const protocol::BallotChallenged& e,
                                     At& at);
// After the cast jobs: the first counted or recorded cast that holds a ciphertext of a challenged ballot, among
// casts before `limit`.
[[nodiscard]] std::optional<std::pair<std::uint64_t, Problem>> find_cast_of_challenged(const Walk& walk,
                                                                                       std::uint64_t limit);
// tally.cc
[[nodiscard]] Check check_closed(Walk& walk, const protocol::VoteClosed& e, At& at);
[[nodiscard]] Check check_tally(Walk& walk, const audit::Entry& entry, const protocol::Tally& e, At& at);
// decryption.cc
[[nodiscard]] Check check_share(Walk& walk, const protocol::DecryptionShare& e, At& at);
// results.cc
[[nodiscard]] Check check_result(Walk& walk, const audit::Entry& entry, const protocol::ResultEntry& e, At& at);
// certification.cc
[[nodiscard]] Check check_certification(Walk& walk, const protocol::Certification& c, At& at);
// decisions.cc: a presidium_decision entry (round.decision).
[[nodiscard]] Check check_decision(Walk& walk, const protocol::PresidiumDecisionSigned& e, At& at);

// Shared by the check functions (ballots.cc).
// The vote `vote_id` names; sets at.vote_id and at.round (the vote's current round).
[[nodiscard]] Got<VoteState*> vote_of(Walk& walk, const std::string& vote_id, At& at);
// An entry's round must be the vote's current round (state.transition).
[[nodiscard]] Check same_round(const VoteState& vote, std::uint32_t round, const At& at);
// A lifecycle step's refusal as a state.transition problem.
[[nodiscard]] Check transition(const Status& status, const At& at);
// The round must be open (not held, closed or later) for issues, casts and challenges.
[[nodiscard]] Check require_open(const VoteState& vote, const At& at);
// Starts the bookkeeping of the vote's current round (a RoundState and its summary).
void begin_round(Walk& walk, VoteState& vote);

// The passes after the walk (ballot_checks.cc, tally.cc): each job sets its problem.
void run_sign_in_jobs(std::vector<SignInJob>& jobs, const VoteVerifyOptions& options);
void run_cast_jobs(std::vector<CastJob>& jobs, const VoteVerifyOptions& options);
// The first tally whose ciphertexts differ from the sum of its counted ballots, among tallies before `limit`.
[[nodiscard]] std::optional<std::pair<std::uint64_t, Problem>> run_tally_jobs(const Walk& walk,
                                                                              std::uint64_t limit);

}  // namespace hallvote::vote_audit::internal
