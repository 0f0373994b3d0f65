#include "hallvote/auditor/verifier.h"

#include <algorithm>
#include <limits>

#include "hallvote/auditor/records_check.h"
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

Check dispatch(Walk& walk, const audit::Entry& entry, const json& payload, At& at) {
  using audit::EntryType;
  switch (entry.type) {
    case EntryType::session_opened:
      return check_session_opened(walk, entry, payload, at);
    case EntryType::sign_in_opened:
    case EntryType::session_started:
    case EntryType::session_closed:
      return check_session_state(walk, entry, payload, at);
    case EntryType::deputy_signed_in:
      return check_sign_in(walk, entry, payload, at);
    case EntryType::ballot_prepared:
      return check_prepared(walk, entry, payload, at);
    case EntryType::ballot_approved:
      return check_approved(walk, entry, payload, at);
    case EntryType::vote_opened:
    case EntryType::vote_held:
    case EntryType::vote_resumed:
      return check_vote_state(walk, entry, payload, at);
    case EntryType::ballot_issued:
      return check_issued(walk, entry, payload, at);
    case EntryType::ballot_cast:
      return check_cast(walk, entry, payload, at);
    case EntryType::cast_rejected:
      return check_rejected(walk, entry, payload, at);
    case EntryType::vote_closed:
      return check_closed(walk, entry, payload, at);
    case EntryType::tally:
      return check_tally(walk, entry, payload, at);
    case EntryType::decryption_share:
      return check_share(walk, entry, payload, at);
    case EntryType::result:
      return check_result(walk, entry, payload, at);
    case EntryType::certification:
      return check_certification(walk, entry, payload, at);
    case EntryType::terminal_enrolled:
    case EntryType::checkpoint_cosigned:
      return std::nullopt;  // log-level only (enrolment, reserved)
  }
  return std::nullopt;
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
    const json payload = json::parse(e.payload, nullptr, false);
    if (!payload.is_object()) {
      return Found{i, at("state.transition", "payload", VoteAuditErrc::malformed,
                         "payload 不是 JSON 对象 / not a JSON object")};
    }
    if (e.actor != "server") {
      return Found{i, at("state.transition", "actor", VoteAuditErrc::out_of_order,
                         "会议条目只能由服务器写入，此条目由 " + e.actor +
                             " 写入 / session entries are the server's; this one is by " + e.actor)};
    }
    if (auto problem = dispatch(walk, e, payload, at)) return Found{i, std::move(*problem)};
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
    if (state == "certified") continue;
    std::optional<std::uint32_t> round;
    if (!vote.rounds.empty()) round = vote.rounds.back().number;
    report.failure = to_failure(
        Problem{"session.final", vote.vote_id, round, "state",
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
  auto files = regenerate_records(bundle, options.render);
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
  // Pass 3: each tally against the sum of its decoded ballots.
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
