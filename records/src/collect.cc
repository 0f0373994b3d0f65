#include "hallvote/records/collect.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <type_traits>

#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/protocol/events.h"
#include "hallvote/session/wording.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/note.h"

namespace hallvote::records {
namespace {

using nlohmann::json;

std::string entry_where(const audit::Entry& entry) {
  return "entry " + std::to_string(entry.sequence) + " (" +
         std::string(audit::entry_type_name(static_cast<std::uint16_t>(entry.type)).value_or("?")) + ")";
}

// The event of a records entry (vote_closed, result, certification), or malformed_payload naming the entry.
Result<protocol::Event> decode_event(const audit::Entry& entry) {
  auto event = protocol::decode(entry.type, entry.payload);
  if (!event) return fail(RecordsErrc::malformed_payload, entry_where(entry) + ": " + event.error().detail);
  return event;
}

bool is_item_of(const session::VoteDefinition& vote, std::string_view id) {
  return std::find(vote.items.begin(), vote.items.end(), id) != vote.items.end();
}

// The number of totals an item of `vote` carries in an outcome.
std::size_t totals_per_item(const session::VoteDefinition& vote) {
  switch (vote.kind) {
    case session::VoteKind::choose:
      return 1;
    case session::VoteKind::per_item:
      return 3;
    case session::VoteKind::satisfaction:
      return vote.allow_abstain ? 4 : 3;
  }
  return 1;
}

// The records' view of a result entry's outcome: the typed outcome checked against the vote (its items, the
// number of totals per item, the counts) and worded (session/wording.h).
Result<Outcome> outcome_view(const session::SessionDefinition& session, const session::VoteDefinition& vote,
                             const protocol::ResultOutcome& outcome, const std::string& where) {
  const session::RoundResult& round = outcome.round;
  const session::BallotAccounting& a = round.accounting;
  Outcome out;
  out.round = round.spec.number;
  out.in_office = round.in_office;
  out.present = round.present;
  out.issued = a.issued;
  out.returned = a.returned;
  out.valid = a.valid;
  out.invalid = a.invalid;
  out.no_ballot = round.no_ballot;
  out.quorum_met = round.quorum_met;
  out.base = round.base;
  out.threshold = round.threshold;
  out.decided = outcome.decided;
  out.summary_zh = session::round_summary(round).zh;
  for (const session::Decision& d : outcome.decisions)
    out.decisions_zh.push_back(session::decision_words(d).zh);
  out.decrypted_by = outcome.decrypted_by;
  if (outcome.next_round)
    out.next_round_purpose_zh = std::string(session::display_name_zh(outcome.next_round->purpose));
  if (std::uint64_t{a.valid} + a.invalid != a.returned) {
    return fail(RecordsErrc::inconsistent_outcome, where + ": valid " + std::to_string(a.valid) +
                                                       " + invalid " + std::to_string(a.invalid) +
                                                       " ≠ returned " + std::to_string(a.returned));
  }
  for (std::size_t i = 0; i < outcome.adopted.size(); ++i) {
    if (!is_item_of(vote, outcome.adopted[i])) {
      return fail(RecordsErrc::unknown_item, where + ".adopted[" + std::to_string(i) + "]: '" +
                                                 outcome.adopted[i] + "' is not an item of vote " + vote.id);
    }
  }
  out.adopted = outcome.adopted;
  const std::size_t expected_totals = totals_per_item(vote);
  for (std::size_t i = 0; i < round.items.size(); ++i) {
    const session::ItemResult& result = round.items[i];
    const std::string at = where + ".items[" + std::to_string(i) + "]";
    if (!is_item_of(vote, result.item_id)) {
      return fail(RecordsErrc::unknown_item,
                  at + ".item_id: '" + result.item_id + "' is not an item of vote " + vote.id);
    }
    for (const auto& earlier : out.items) {
      if (earlier.item_id == result.item_id) {
        return fail(RecordsErrc::inconsistent_outcome, at + ".item_id: '" + result.item_id + "' appears twice");
      }
    }
    if (result.totals.size() != expected_totals) {
      return fail(RecordsErrc::inconsistent_outcome, at + ".totals: expected " +
                                                         std::to_string(expected_totals) + " counts for a " +
                                                         std::string(session::to_string(vote.kind)) +
                                                         " vote, got " + std::to_string(result.totals.size()));
    }
    std::uint64_t marked = 0;
    for (std::size_t t = 0; t < result.totals.size(); ++t) {
      if (result.totals[t] > a.valid) {
        return fail(RecordsErrc::inconsistent_outcome,
                    at + ".totals[" + std::to_string(t) + "]: " + std::to_string(result.totals[t]) +
                        " exceeds the valid ballots " + std::to_string(a.valid));
      }
      marked += result.totals[t];
    }
    if (vote.kind != session::VoteKind::choose && marked > a.valid) {
      return fail(RecordsErrc::inconsistent_outcome, at + ".totals: sum exceeds the valid ballots");
    }
    const session::Wording reason = session::item_reason(round, result);
    out.items.push_back(ItemOutcome{result.item_id, std::string(session.item_title(result.item_id)),
                                    result.totals, result.blank, result.rank, result.verdict,
                                    std::string(session::display_name_zh(result.verdict)), reason.zh,
                                    reason.en});
  }
  if (out.items.empty()) return fail(RecordsErrc::inconsistent_outcome, where + ".items: empty");
  return out;
}

struct Closing {
  std::uint64_t sequence = 0;
  std::int64_t time_ms = 0;
  std::uint64_t ballots = 0;
};

struct VoteState {
  std::optional<Closing> last_close;
  std::vector<RoundRecord> rounds;
};

std::ptrdiff_t vote_index(const session::SessionDefinition& session, std::string_view id) {
  for (std::size_t i = 0; i < session.votes.size(); ++i) {
    if (session.votes[i].id == id) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

Result<std::size_t> find_vote(const session::SessionDefinition& session, const std::string& id,
                              const std::string& where) {
  const std::ptrdiff_t index = vote_index(session, id);
  if (index < 0) {
    return fail(RecordsErrc::unknown_vote,
                where + ".vote_id: '" + id + "' is not a vote of session " + session.info.id);
  }
  return static_cast<std::size_t>(index);
}

// The entries the records are made of, each of the vote its payload's vote_id names: `where` names the
// payload in errors, `state` is the vote's so far.
Status on_closed(const audit::Entry& entry, const protocol::VoteClosed& closed, VoteState& state) {
  state.last_close = Closing{entry.sequence, entry.time_ms, closed.ballots};
  return {};
}

Status on_result(const session::SessionDefinition& session, const session::VoteDefinition& vote,
                 const audit::Entry& entry, const protocol::ResultEntry& result, const std::string& where,
                 VoteState& state) {
  auto outcome = outcome_view(session, vote, result.outcome, where + ".outcome");
  if (!outcome) return forward(outcome.error());
  // A round re-decided after a presidium decision (docs/protocol.md §4.5.9): its new result replaces the
  // reading of the same tally, before any certification completes; certification starts over.
  if (!state.rounds.empty() && outcome->round == state.rounds.size() &&
      !state.rounds.back().certified_sequence) {
    RoundRecord& round = state.rounds.back();
    round.outcome = result.outcome.to_json();
    round.parsed = std::move(*outcome);
    round.result_sequence = entry.sequence;
    round.result_time_ms = entry.time_ms;
    round.result_hash_hex = crypto::to_hex(audit::entry_hash(audit::encode(entry)));
    round.signers.clear();
    return {};
  }
  if (outcome->round != state.rounds.size() + 1) {
    return fail(
        RecordsErrc::inconsistent_outcome,
        where + ".outcome.round" + ": round " + std::to_string(outcome->round) + " of vote " + vote.id +
            " follows " +
            (state.rounds.empty() ? std::string("no round") : "round " + std::to_string(state.rounds.size())));
  }
  if (!state.rounds.empty() && state.rounds.back().parsed.decided) {
    return fail(RecordsErrc::inconsistent_outcome, where + ".outcome.round" + ": vote " + vote.id +
                                                       " was already decided in round " +
                                                       std::to_string(state.rounds.size()));
  }
  const std::uint64_t previous_result = state.rounds.empty() ? 0 : state.rounds.back().result_sequence;
  if (!state.last_close || (!state.rounds.empty() && state.last_close->sequence < previous_result)) {
    return fail(RecordsErrc::inconsistent_outcome,
                where + ".outcome.round" + ": no vote_closed entry of vote " + vote.id +
                    " before the result of round " + std::to_string(outcome->round));
  }
  if (entry.actor.empty() || entry.actor.size() > audit::kMaxActorSize ||
      entry.payload.size() > audit::kMaxPayloadSize || entry.time_ms < 0) {
    return fail(
        RecordsErrc::malformed_payload,
        entry_where(entry) + ": actor, payload size or time outside the entry format (not a decoded entry)");
  }
  RoundRecord round;
  round.outcome = result.outcome.to_json();
  round.parsed = std::move(*outcome);
  round.purpose_zh = state.rounds.empty()
                         ? "第一次投票"
                         : state.rounds.back().parsed.next_round_purpose_zh.value_or("再次投票");
  round.result_sequence = entry.sequence;
  round.result_time_ms = entry.time_ms;
  round.result_hash_hex = crypto::to_hex(audit::entry_hash(audit::encode(entry)));
  round.closed_sequence = state.last_close->sequence;
  round.closed_time_ms = state.last_close->time_ms;
  round.ballots = state.last_close->ballots;
  state.rounds.push_back(std::move(round));
  return {};
}

Status on_certification(const session::SessionDefinition& session, const session::VoteDefinition& vote,
                        const audit::Entry& entry, const protocol::Certification& c, const std::string& where,
                        VoteState& state) {
  if (c.round == 0 || c.round > state.rounds.size()) {
    return fail(RecordsErrc::orphan_certification,
                where + ".round: vote " + vote.id + " has no result for round " + std::to_string(c.round));
  }
  RoundRecord& round = state.rounds[c.round - 1];
  if (c.result_sequence != round.result_sequence) {
    return fail(RecordsErrc::certification_mismatch,
                where + ".result_sequence: " + std::to_string(c.result_sequence) +
                    ", but the result of round " + std::to_string(c.round) + " of vote " + vote.id +
                    " is entry " + std::to_string(round.result_sequence));
  }
  if (crypto::to_hex(c.result_hash) != round.result_hash_hex) {
    return fail(RecordsErrc::certification_mismatch,
                where + ".result_hash: not the hash of entry " + std::to_string(round.result_sequence));
  }
  const session::Official* official = session.find_official(c.certifier);
  if (official == nullptr) {
    return fail(RecordsErrc::unknown_official,
                where + ".certifier: '" + c.certifier + "' is not a member of the key committee");
  }
  if (session::to_string(official->role) != c.role) {
    return fail(RecordsErrc::role_mismatch, where + ".role: " + c.certifier + " is " +
                                                std::string(session::to_string(official->role)) + ", not " +
                                                c.role);
  }
  for (const Signer& earlier : round.signers) {
    if (earlier.official_id == c.certifier) {
      return fail(RecordsErrc::certification_mismatch,
                  where + ".certifier: " + c.certifier + " already certified round " + std::to_string(c.round) +
                      " of vote " + vote.id + " at entry " + std::to_string(earlier.sequence));
    }
  }
  round.signers.push_back(Signer{c.certifier, official->name, c.role, entry.time_ms, entry.sequence,
                                 crypto::to_hex(c.signature), c.complete});
  if (c.complete && !round.certified_sequence) {
    round.certified_sequence = entry.sequence;
    round.certified_time_ms = entry.time_ms;
  }
  return {};
}

Result<std::vector<CheckpointRef>> parse_checkpoints(std::span<const std::string> notes) {
  std::vector<CheckpointRef> out;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const std::string where = "checkpoint note " + std::to_string(i);
    auto note = audit::parse_note(notes[i]);
    if (!note) return fail(RecordsErrc::bad_checkpoint, where + ": " + note.error().message());
    auto checkpoint = audit::Checkpoint::parse(note->text);
    if (!checkpoint) return fail(RecordsErrc::bad_checkpoint, where + ": " + checkpoint.error().message());
    if (!out.empty() && checkpoint->size <= out.back().size) {
      return fail(RecordsErrc::bad_checkpoint, where + ": size " + std::to_string(checkpoint->size) +
                                                   " does not exceed the previous note's " +
                                                   std::to_string(out.back().size));
    }
    out.push_back(CheckpointRef{checkpoint->origin, checkpoint->size, crypto::to_hex(checkpoint->root),
                                note->text, crypto::to_hex(crypto::sha256(crypto::as_bytes(note->text))), i});
  }
  return out;
}

}  // namespace

Result<RecordSet> collect_records(const session::SessionDefinition& session,
                                  std::span<const audit::Entry> entries,
                                  std::span<const std::string> checkpoint_notes) {
  // Dates are printed from entry times: keep them in years 1970–9999 (no overflow in the UTC+8 arithmetic).
  constexpr std::int64_t kLastPrintableMs = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
  for (const audit::Entry& entry : entries) {
    if (entry.time_ms < 0 || entry.time_ms > kLastPrintableMs) {
      return fail(RecordsErrc::malformed_payload, entry_where(entry) + ": time " +
                                                      std::to_string(entry.time_ms) +
                                                      " ms is outside the years 1970–9999");
    }
  }
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].sequence <= entries[i - 1].sequence) {
      return fail(RecordsErrc::out_of_order,
                  entry_where(entries[i]) + ": follows entry " + std::to_string(entries[i - 1].sequence));
    }
  }
  std::vector<VoteState> votes(session.votes.size());
  for (const audit::Entry& entry : entries) {
    if (entry.type != audit::EntryType::vote_closed && entry.type != audit::EntryType::result &&
        entry.type != audit::EntryType::certification) {
      continue;
    }
    auto event = decode_event(entry);
    if (!event) return forward(event.error());
    const std::string where = entry_where(entry) + ": payload";
    const std::string& vote_id = std::visit(
        [](const auto& e) -> const std::string& {
          using E = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<E, protocol::CertificationEntry>) {
            return e.certification.vote_id;
          } else if constexpr (std::is_same_v<E, protocol::VoteClosed> ||
                               std::is_same_v<E, protocol::ResultEntry>) {
            return e.vote_id;
          } else {
            std::abort();  // unreachable: only the three types above get here
          }
        },
        *event);
    auto index = find_vote(session, vote_id, where);
    if (!index) return forward(index.error());
    const session::VoteDefinition& vote = session.votes[*index];
    VoteState& state = votes[*index];
    Status ok;
    if (const auto* closed = std::get_if<protocol::VoteClosed>(&*event)) {
      ok = on_closed(entry, *closed, state);
    } else if (const auto* result = std::get_if<protocol::ResultEntry>(&*event)) {
      ok = on_result(session, vote, entry, *result, where, state);
    } else {
      ok = on_certification(session, vote, entry, std::get<protocol::CertificationEntry>(*event).certification,
                            where, state);
    }
    if (!ok) return forward(ok.error());
  }
  auto checkpoints = parse_checkpoints(checkpoint_notes);
  if (!checkpoints) return forward(checkpoints.error());

  RecordSet set;
  set.session = &session;
  std::optional<std::uint64_t> last_sequence;
  for (std::size_t v = 0; v < session.votes.size(); ++v) {
    const session::VoteDefinition& vote = session.votes[v];
    VoteState& state = votes[v];
    if (state.rounds.empty()) {
      set.pending.push_back(PendingVote{&vote, "not_held", "尚无计票结果"});
      continue;
    }
    const RoundRecord& last = state.rounds.back();
    if (!last.parsed.decided) {
      set.pending.push_back(PendingVote{&vote, "undecided", "尚未决定（需再次投票）"});
      continue;
    }
    if (!last.certified_sequence) {
      set.pending.push_back(PendingVote{&vote, "not_certified", "计票结果尚未签署"});
      continue;
    }
    VoteRecord record;
    record.vote = &vote;
    record.signers = last.signers;
    record.certified_sequence = *last.certified_sequence;
    record.certified_time_ms = last.certified_time_ms;
    record.date_ms = last.closed_time_ms;
    for (const RoundRecord& round : state.rounds) {
      for (const Signer& signer : round.signers) {
        record.last_sequence = std::max(record.last_sequence, signer.sequence);
        set.issued_time_ms = std::max(set.issued_time_ms, signer.time_ms);
      }
    }
    last_sequence = std::max(last_sequence.value_or(0), record.last_sequence);
    record.rounds = std::move(state.rounds);
    set.votes.push_back(std::move(record));
  }
  if (set.votes.empty()) {
    return fail(RecordsErrc::nothing_certified, "session " + session.info.id + ": " +
                                                    std::to_string(set.pending.size()) +
                                                    " votes, none decided and certified");
  }
  for (const CheckpointRef& checkpoint : *checkpoints) {
    if (checkpoint.size > *last_sequence) {
      set.closing = checkpoint;
      return set;
    }
  }
  return fail(RecordsErrc::not_checkpointed,
              "the last certification included is entry " + std::to_string(*last_sequence) +
                  "; the largest of " + std::to_string(checkpoints->size()) + " checkpoint notes covers " +
                  (checkpoints->empty() ? std::string("no entry")
                                        : std::to_string(checkpoints->back().size) + " entries"));
}

}  // namespace hallvote::records
