// The result entry of a round: round.reconciliation (应到/实到/发出/收回/有效/无效/未按 as recounted from the
// log), round.decryption (the shares combine into the totals the result records, by the trustees it names) and
// round.result (the rules engine over every round of the vote gives the outcome recorded, field by field) —
// docs/crypto.md §13.11, §13.14, §13.15. The expected outcome is the one the server writes
// (protocol/result_outcome.h, docs/protocol.md §4.5.4).
#include "hallvote/protocol/result_outcome.h"
#include "hallvote/tlog/entry.h"
#include "json_diff.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {
namespace {

// Compares the fields `keys` of the expected and logged outcomes, reporting the first difference under `check`.
Check compare_fields(std::string_view check, std::initializer_list<const char*> keys, const json& expected,
                     const json& logged, const At& at) {
  for (const char* key : keys) {
    const std::string field = std::string("payload.outcome.") + key;
    if (!logged.contains(key)) {
      return at(check, field, VoteAuditErrc::malformed, field + ": 缺少字段 / missing field");
    }
    if (auto d = first_difference(expected.at(key), logged.at(key), field)) {
      return at(check, d->path, VoteAuditErrc::mismatch, d->describe());
    }
  }
  return std::nullopt;
}

}  // namespace

Check check_result(Walk& walk, const audit::Entry& entry, const protocol::ResultEntry& e, At& at) {
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  // A round re-decided after a presidium decision: the same tally read again; certification starts over.
  const bool redecided = v.result_outdated && v.lifecycle.current().state == session::VoteState::decrypted;
  if (!redecided) {
    if (auto c = transition(v.lifecycle.mark_decrypted(), at)) return c;
  }
  RoundState& r = v.current();
  const json logged = e.outcome.to_json();
  if (e.outcome.round.spec.number != v.number()) {
    return at("state.transition", "payload.outcome.round", VoteAuditErrc::out_of_order,
              "结果不是第" + std::to_string(v.number()) +
                  "轮的 / the result is not that of the current round " + std::to_string(v.number()));
  }
  if (!walk.opened.threshold_key) {
    return at("round.decryption", "payload.outcome.totals", VoteAuditErrc::missing_session,
              "首条目未记录密钥仪式结果，无法核验解密 / entry 0 records no key ceremony result: the decryption "
              "cannot be checked");
  }

  // round.decryption: the shares recorded, combined in submission order (crypto.md §7.5), bound 有效.
  session::RoundTally tally;
  tally.present = r.present_at_close;
  tally.accounting.issued = static_cast<std::uint32_t>(r.issued.size());
  tally.accounting.returned = static_cast<std::uint32_t>(r.counted.size());
  tally.accounting.valid = tally.accounting.returned;  // every counted ballot is verified (ballot.*)
  tally.accounting.invalid = 0;
  crypto::CombineReport combined;
  auto counts = crypto::combine_decryption(*walk.opened.threshold_key, r.base_hash, r.tally, r.shares,
                                           tally.accounting.valid, &combined);
  if (!counts) {
    return at("round.decryption", "payload.outcome.totals", counts.error());
  }
  std::size_t k = 0;
  for (const auto& contest : r.definition->shape.contests) {
    std::vector<std::uint32_t> totals;
    for (std::size_t i = 0; i < contest.selections.size(); ++i)
      totals.push_back(static_cast<std::uint32_t>((*counts)[k++]));
    tally.totals.push_back(std::move(totals));
  }
  std::vector<std::string> decrypted_by;
  for (std::uint32_t trustee : combined.used)
    decrypted_by.push_back(walk.session().key_committee.members[trustee - 1].id);

  // round.result: the rules engine over every round of the vote.
  std::vector<session::RoundTally> tallies = v.tallies;
  if (redecided) tallies.pop_back();
  tallies.push_back(tally);
  auto result = session::compute_vote_result(walk.session(), v.definition->id, tallies, v.decisions);
  if (!result) return at("round.result", "payload.outcome", result.error());
  const json expected = protocol::result_outcome(walk.session(), tally, *result, decrypted_by).to_json();
  if (auto c = compare_fields("round.reconciliation",
                              {"in_office", "present", "issued", "returned", "valid", "invalid", "no_ballot"},
                              expected, logged, at)) {
    return c;
  }
  if (auto c = compare_fields("round.decryption", {"totals", "decrypted_by"}, expected, logged, at)) return c;
  if (auto d = first_difference(expected, logged, "payload.outcome")) {
    return at(
        "round.result", d->path, VoteAuditErrc::mismatch,
        "规则引擎重算的结果与日志不符 / the rules engine's result differs from the log: " + d->describe());
  }

  v.tallies = std::move(tallies);
  v.result = std::move(*result);
  r.result_sequence = entry.sequence;
  r.result_hash = audit::entry_hash(walk.bundle.entries[entry.sequence]);
  RoundSummary& summary = walk.summary(v);
  if (redecided) {
    r.certifiers.clear();
    summary.certified_by.clear();
    v.result_outdated = false;
  }
  summary.state = std::string(session::to_string(v.lifecycle.current().state));
  summary.valid = tally.accounting.valid;
  summary.invalid = tally.accounting.invalid;
  summary.no_ballot = v.result->rounds.back().no_ballot;
  summary.decrypted_by = std::move(decrypted_by);
  summary.totals = tally.totals;
  summary.result_checked = true;
  ++walk.report.results;
  return std::nullopt;
}

}  // namespace hallvote::vote_audit::internal
