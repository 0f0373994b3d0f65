#include "hallvote/auditor/verifier.h"

#include <algorithm>
#include <limits>

#include "hallvote/auditor/records_check.h"
#include "hallvote/records/regenerate.h"
#include "walk.h"

namespace hallvote::vote_audit {
namespace {

using namespace internal;

constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

struct Found {
  std::uint64_t sequence = kNoLimit;
  Problem problem;
};

VoteFailure to_failure(Problem p, std::optional<std::uint64_t> sequence) {
  const CheckInfo* info = find_check(p.check);
  return VoteFailure{std::string(p.check),
                     info ? std::string(info->number) : std::string(),
                     sequence,
                     std::move(p.vote_id),
                     p.round,
                     std::move(p.field),
                     std::move(p.error)};
}

// The check of each event type; terminal_enrolled and checkpoint_cosigned are log-level only (enrolment,
// reserved) and never reach here.
struct Dispatch {
  Walk& walk;
  const audit::Entry& entry;
  At& at;

  Check operator()(const protocol::SessionOpened& e) const { return check_session_opened(walk, entry, e, at); }
  Check operator()(const protocol::SignInOpened& e) const {
    return check_session_state(walk, e.kType, e.session_id, at);
  }
  Check operator()(const protocol::SessionStarted& e) const { return check_session_started(walk, e, at); }
  Check operator()(const protocol::SessionClosed& e) const {
    return check_session_state(walk, e.kType, e.session_id, at);
  }
  Check operator()(const protocol::DeputySignedIn& e) const { return check_sign_in(walk, entry, e, at); }
  Check operator()(const protocol::BallotPrepared& e) const { return check_prepared(walk, e, at); }
  Check operator()(const protocol::BallotApproved& e) const { return check_approved(walk, e, at); }
  Check operator()(const protocol::VoteOpened& e) const { return check_vote_opened(walk, e, at); }
  Check operator()(const protocol::VoteHeld& e) const {
    return check_vote_held_or_resumed(walk, e.vote_id, /*resumed=*/false, at);
  }
  Check operator()(const protocol::VoteResumed& e) const {
    return check_vote_held_or_resumed(walk, e.vote_id, /*resumed=*/true, at);
  }
  Check operator()(const protocol::BallotIssued& e) const { return check_issued(walk, e, at); }
  Check operator()(const protocol::BallotCast& e) const { return check_cast(walk, entry, e, at); }
  Check operator()(const protocol::BallotChallenged& e) const { return check_challenged(walk, entry, e, at); }
  Check operator()(const protocol::CastRejected& e) const {
    count_rejected(walk, e);
    return std::nullopt;
  }
  Check operator()(const protocol::CastsRefusedSummary& e) const {
    ++walk.report.refusal_summaries;  // informative only: refusals change nothing
    walk.report.refusals_summarised += e.refused;
    return std::nullopt;
  }
  Check operator()(const protocol::VoteClosed& e) const { return check_closed(walk, e, at); }
  Check operator()(const protocol::Tally& e) const { return check_tally(walk, entry, e, at); }
  Check operator()(const protocol::DecryptionShare& e) const { return check_share(walk, e, at); }
  Check operator()(const protocol::ResultEntry& e) const { return check_result(walk, entry, e, at); }
  Check operator()(const protocol::CertificationEntry& e) const {
    return check_certification(walk, e.certification, at);
  }
  Check operator()(const protocol::PresidiumDecisionSigned& e) const { return check_decision(walk, e, at); }
  Check operator()(const protocol::TerminalEnrolled&) const { return std::nullopt; }
  Check operator()(const protocol::CheckpointCosigned&) const { return std::nullopt; }
};

// The field a decode error names ("payload.outcome.round: …" → "payload.outcome.round").
std::string field_of(const std::string& detail) {
  const auto colon = detail.find(':');
  return colon == std::string::npos ? std::string("payload") : detail.substr(0, colon);
}

// Pass 1: every entry in order. Stops at the first problem.
std::optional<Found> walk_entries(Walk& walk) {
  const auto& bytes = walk.bundle.entries;
  if (bytes.empty()) {
    return Found{kNoLimit, Problem{"session.definition", "", std::nullopt, "entries",
                                   Error{make_error_code(VoteAuditErrc::missing_session),
                                         "日志为空 / the log is empty"}}};
  }
  walk.entries.reserve(bytes.size());
  for (std::uint64_t i = 0; i < bytes.size(); ++i) {
    At at;
    auto entry = audit::decode(bytes[i]);
    if (!entry || entry->sequence != i) {
      return Found{i, at("state.transition", "entry", VoteAuditErrc::malformed,
                         "条目无法解码 / the entry does not decode" +
                             (entry ? std::string() : ": " + entry.error().message()))};
    }
    walk.entries.push_back(std::move(*entry));
    const audit::Entry& e = walk.entries.back();
    walk.report.entries = i + 1;
    if (i == 0 && e.type != audit::EntryType::session_opened) {
      return Found{i, at("session.definition", "type", VoteAuditErrc::missing_session,
                         "首条目不是 session_opened / entry 0 is not session_opened")};
    }
    if (e.type == audit::EntryType::terminal_enrolled || e.type == audit::EntryType::checkpoint_cosigned)
      continue;
    auto event = protocol::decode(e.type, e.payload);
    if (!event) {
      return Found{i,
                   at("state.transition", field_of(event.error().detail), VoteAuditErrc::malformed,
                      "条目内容不符合格式 / the payload does not follow the format: " + event.error().detail)};
    }
    if (e.actor != "server") {
      return Found{i, at("state.transition", "actor", VoteAuditErrc::out_of_order,
                         "会议条目只能由服务器写入，此条目由 " + e.actor +
                             " 写入 / session entries are the server's; this one is by " + e.actor)};
    }
    if (auto problem = std::visit(Dispatch{walk, e, at}, *event)) return Found{i, std::move(*problem)};
  }
  return std::nullopt;
}

void keep_earliest(std::optional<Found>& first, std::uint64_t sequence, const Problem& problem) {
  if (!first || sequence <= first->sequence) first = Found{sequence, problem};
}

// session.final: every vote held, and its last round certified.
void check_final(VoteReport& report) {
  for (const VoteSummary& vote : report.votes) {
    const std::string state = vote.rounds.empty() ? std::string("not held") : vote.rounds.back().state;
    if (state == "certified" || state == "announced") continue;
    std::optional<std::uint32_t> round;
    if (!vote.rounds.empty()) round = vote.rounds.back().number;
    report.failure =
        to_failure(Problem{"session.final", vote.vote_id, round, "state",
                           Error{make_error_code(VoteAuditErrc::out_of_order),
                                 "表决 " + vote.vote_id + " 未完成（" + state + "）/ vote " + vote.vote_id +
                                     " is not decided and certified: its last round is " + state}},
                   std::nullopt);
    return;
  }
}

void check_records(const audit::Bundle& bundle, const VoteVerifyOptions& options, VoteReport& report) {
  const std::string dir = options.records_dir->string();
  auto failure = [&](std::string field, VoteAuditErrc code, std::string detail) {
    report.failure = to_failure(Problem{"records.match", "", std::nullopt, std::move(field),
                                        Error{make_error_code(code), std::move(detail)}},
                                std::nullopt);
  };
  auto files = records::regenerate_records(bundle, options.render);
  if (!files) {
    return failure("records", VoteAuditErrc::records_unavailable,
                   "无法从日志重新生成决议文件 / the records cannot be regenerated from the log: " +
                       files.error().message());
  }
  auto comparison = compare_records(*files, *options.records_dir);
  if (!comparison)
    return failure(dir,
                   comparison.error().code == VoteAuditErrc::records_unavailable
                       ? VoteAuditErrc::records_unavailable
                       : VoteAuditErrc::records_differ,
                   comparison.error().detail);
  auto names = [](const std::vector<std::string>& list) {
    std::string out;
    for (const auto& n : list) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  if (!comparison->different.empty()) {
    return failure(comparison->different.front(), VoteAuditErrc::records_differ,
                   "内容不同 / different bytes: " + names(comparison->different));
  }
  if (!comparison->missing.empty()) {
    return failure(comparison->missing.front(), VoteAuditErrc::records_differ,
                   "缺少文件 / missing: " + names(comparison->missing));
  }
  if (!comparison->extra.empty()) {
    return failure(comparison->extra.front(), VoteAuditErrc::records_differ,
                   "多出文件 / not regenerated from the log: " + names(comparison->extra));
  }
  report.records = RecordsSummary{dir, comparison->matched};
}

}  // namespace

VoteReport verify_votes(const audit::Bundle& bundle, const VoteVerifyOptions& options) {
  VoteReport report;
  Walk walk(bundle, report);
  walk.card_issuer = options.card_issuer;
  std::optional<Found> first = walk_entries(walk);
  const std::uint64_t limit = first ? first->sequence : kNoLimit;

  // Pass 2: every job queued before the first problem of pass 1 (later entries were never reached).
  run_sign_in_jobs(walk.sign_ins, options);
  run_cast_jobs(walk.casts, options);
  for (auto& job : walk.sign_ins) {
    if (job.problem && job.sequence <= limit) {
      keep_earliest(first, job.sequence, *job.problem);
      break;  // jobs are in entry order
    }
  }
  for (auto& job : walk.casts) {
    if (job.problem && job.sequence <= limit) {
      keep_earliest(first, job.sequence, *job.problem);
      break;
    }
  }
  // Pass 3: no cast holds a ciphertext of a challenged ballot; each tally against the sum of its decoded
  // ballots.
  if (auto replay = find_cast_of_challenged(walk, first ? first->sequence : kNoLimit)) {
    keep_earliest(first, replay->first, replay->second);
  }
  if (auto tally = run_tally_jobs(walk, first ? first->sequence : kNoLimit)) {
    keep_earliest(first, tally->first, tally->second);
  }
  if (first) {
    report.failure =
        to_failure(std::move(first->problem),
                   first->sequence == kNoLimit ? std::nullopt : std::optional<std::uint64_t>(first->sequence));
    return report;
  }
  report.sign_ins = walk.sign_ins.size();
  report.ballots = walk.casts.size();
  if (options.records_dir) check_records(bundle, options, report);
  if (options.final && report.ok()) check_final(report);
  return report;
}

SessionReport verify_session(const audit::Bundle& bundle, const SessionVerifyOptions& options) {
  SessionReport report;
  report.log = audit::verify_bundle(bundle, options.log);
  if (report.log.ok() && !options.log_only) report.votes = verify_votes(bundle, options.votes);
  return report;
}

}  // namespace hallvote::vote_audit
