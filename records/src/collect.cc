#include "hallvote/records/collect.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/note.h"

namespace hallvote::records {
namespace {

using nlohmann::json;

bool is_lower_hex(std::string_view text, std::size_t length) {
  return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Reads the fields of one JSON object, naming "<where>.<key>" in every error.
class Fields {
 public:
  Fields(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] std::string at(std::string_view key) const { return where_ + "." + std::string(key); }
  [[nodiscard]] bool has(std::string_view key) const { return object_.contains(key); }

  [[nodiscard]] Result<const json*> get(std::string_view key) const {
    auto it = object_.find(key);
    if (it == object_.end()) return fail(RecordsErrc::malformed_payload, at(key) + ": missing");
    return &*it;
  }

  [[nodiscard]] Result<std::string> text(std::string_view key) const {
    auto value = get(key);
    if (!value) return forward(value.error());
    if (!(*value)->is_string() || (*value)->get_ref<const std::string&>().empty()) {
      return fail(RecordsErrc::malformed_payload, at(key) + ": expected non-empty text");
    }
    return (*value)->get<std::string>();
  }

  // Text of exactly `digits` lower-case hex digits.
  [[nodiscard]] Result<std::string> lower_hex(std::string_view key, std::size_t digits) const {
    auto value = text(key);
    if (!value) return forward(value.error());
    if (!is_lower_hex(*value, digits)) {
      return fail(RecordsErrc::malformed_payload,
                  at(key) + ": expected " + std::to_string(digits) + " lower-case hex digits");
    }
    return value;
  }

  // A string that may be empty; `fallback` when absent.
  [[nodiscard]] Result<std::string> optional_string(std::string_view key, std::string fallback = {}) const {
    if (!has(key)) return fallback;
    const json& value = object_.at(key);
    if (!value.is_string()) return fail(RecordsErrc::malformed_payload, at(key) + ": expected a string");
    return value.get<std::string>();
  }

  [[nodiscard]] Result<std::uint64_t> count(std::string_view key) const {
    auto value = get(key);
    if (!value) return forward(value.error());
    return as_count(**value, at(key));
  }

  [[nodiscard]] Result<std::uint32_t> count32(std::string_view key) const {
    auto value = count(key);
    if (!value) return forward(value.error());
    if (*value > std::numeric_limits<std::uint32_t>::max()) {
      return fail(RecordsErrc::malformed_payload, at(key) + ": count out of range");
    }
    return static_cast<std::uint32_t>(*value);
  }

  [[nodiscard]] Result<std::uint32_t> optional_count32(std::string_view key, std::uint32_t fallback) const {
    if (!has(key)) return fallback;
    return count32(key);
  }

  [[nodiscard]] Result<bool> boolean(std::string_view key) const {
    auto value = get(key);
    if (!value) return forward(value.error());
    if (!(*value)->is_boolean())
      return fail(RecordsErrc::malformed_payload, at(key) + ": expected true or false");
    return (*value)->get<bool>();
  }

  [[nodiscard]] Result<const json*> array(std::string_view key) const {
    auto value = get(key);
    if (!value) return forward(value.error());
    if (!(*value)->is_array()) return fail(RecordsErrc::malformed_payload, at(key) + ": expected an array");
    return *value;
  }

  [[nodiscard]] Result<const json*> object(std::string_view key) const {
    auto value = get(key);
    if (!value) return forward(value.error());
    if (!(*value)->is_object()) return fail(RecordsErrc::malformed_payload, at(key) + ": expected an object");
    return *value;
  }

  // An array of strings (each non-empty unless `allow_empty`).
  [[nodiscard]] Result<std::vector<std::string>> texts(std::string_view key, bool allow_empty = false) const {
    auto list = array(key);
    if (!list) return forward(list.error());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < (*list)->size(); ++i) {
      const json& v = (**list)[i];
      if (!v.is_string() || (!allow_empty && v.get_ref<const std::string&>().empty())) {
        return fail(RecordsErrc::malformed_payload, at(key) + "[" + std::to_string(i) + "]: expected text");
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  static Result<std::uint64_t> as_count(const json& value, const std::string& where) {
    if (value.is_number_unsigned()) return value.get<std::uint64_t>();
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
      return static_cast<std::uint64_t>(value.get<std::int64_t>());
    }
    return fail(RecordsErrc::malformed_payload, where + ": expected a non-negative integer");
  }

 private:
  const json& object_;
  std::string where_;
};

std::string entry_where(const audit::Entry& entry) {
  return "entry " + std::to_string(entry.sequence) + " (" +
         std::string(audit::entry_type_name(static_cast<std::uint16_t>(entry.type)).value_or("?")) + ")";
}

Result<json> parse_payload(const audit::Entry& entry) {
  json payload = json::parse(entry.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return fail(RecordsErrc::malformed_payload, entry_where(entry) + ": payload: not a JSON object");
  }
  return payload;
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

Result<Outcome> parse_outcome(const session::SessionDefinition& session, const session::VoteDefinition& vote,
                              const json& outcome, const std::string& where) {
  Fields f(outcome, where);
  Outcome out;
  auto take32 = [&](std::string_view key, std::uint32_t& into) -> Status {
    auto v = f.count32(key);
    if (!v) return forward(v.error());
    into = *v;
    return {};
  };
  for (auto [key, into] : {std::pair<std::string_view, std::uint32_t*>{"round", &out.round},
                           {"in_office", &out.in_office},
                           {"present", &out.present},
                           {"issued", &out.issued},
                           {"returned", &out.returned},
                           {"valid", &out.valid},
                           {"invalid", &out.invalid},
                           {"no_ballot", &out.no_ballot}}) {
    if (auto ok = take32(key, *into); !ok) return forward(ok.error());
  }
  if (out.round == 0)
    return fail(RecordsErrc::inconsistent_outcome, f.at("round") + ": rounds are numbered from 1");
  if (std::uint64_t{out.valid} + out.invalid != out.returned) {
    return fail(RecordsErrc::inconsistent_outcome, where + ": valid " + std::to_string(out.valid) +
                                                       " + invalid " + std::to_string(out.invalid) +
                                                       " ≠ returned " + std::to_string(out.returned));
  }
  auto decided = f.boolean("decided");
  if (!decided) return forward(decided.error());
  out.decided = *decided;
  if (f.has("quorum_met")) {
    auto q = f.boolean("quorum_met");
    if (!q) return forward(q.error());
    out.quorum_met = *q;
  }
  auto base = f.optional_count32("base", 0);
  if (!base) return forward(base.error());
  out.base = *base;
  auto threshold = f.optional_count32("threshold", 0);
  if (!threshold) return forward(threshold.error());
  out.threshold = *threshold;
  auto summary = f.optional_string("summary_zh");
  if (!summary) return forward(summary.error());
  out.summary_zh = *summary;

  auto adopted = f.texts("adopted");
  if (!adopted) return forward(adopted.error());
  for (std::size_t i = 0; i < adopted->size(); ++i) {
    if (!is_item_of(vote, (*adopted)[i])) {
      return fail(RecordsErrc::unknown_item, f.at("adopted") + "[" + std::to_string(i) + "]: '" +
                                                 (*adopted)[i] + "' is not an item of vote " + vote.id);
    }
  }
  out.adopted = std::move(*adopted);
  auto decrypted_by = f.texts("decrypted_by");
  if (!decrypted_by) return forward(decrypted_by.error());
  out.decrypted_by = std::move(*decrypted_by);
  if (f.has("decisions_zh")) {
    auto decisions = f.texts("decisions_zh", true);
    if (!decisions) return forward(decisions.error());
    out.decisions_zh = std::move(*decisions);
  }
  if (f.has("next_round")) {
    auto next = f.object("next_round");
    if (!next) return forward(next.error());
    auto purpose = Fields(**next, f.at("next_round")).text("purpose");
    if (!purpose) return forward(purpose.error());
    out.next_round_purpose_zh = *purpose;
  }

  auto items = f.array("items");
  if (!items) return forward(items.error());
  const std::size_t expected_totals = totals_per_item(vote);
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    const std::string at = f.at("items") + "[" + std::to_string(i) + "]";
    const json& entry = (**items)[i];
    if (!entry.is_object()) return fail(RecordsErrc::malformed_payload, at + ": expected an object");
    Fields item_fields(entry, at);
    ItemOutcome item;
    auto id = item_fields.text("item_id");
    if (!id) return forward(id.error());
    if (!is_item_of(vote, *id)) {
      return fail(RecordsErrc::unknown_item, at + ".item_id: '" + *id + "' is not an item of vote " + vote.id);
    }
    for (const auto& earlier : out.items) {
      if (earlier.item_id == *id) {
        return fail(RecordsErrc::inconsistent_outcome, at + ".item_id: '" + *id + "' appears twice");
      }
    }
    item.item_id = *id;
    item.title = std::string(session.item_title(*id));
    auto totals = item_fields.array("totals");
    if (!totals) return forward(totals.error());
    if ((*totals)->size() != expected_totals) {
      return fail(RecordsErrc::inconsistent_outcome, at + ".totals: expected " +
                                                         std::to_string(expected_totals) + " counts for a " +
                                                         std::string(session::to_string(vote.kind)) +
                                                         " vote, got " + std::to_string((*totals)->size()));
    }
    std::uint64_t marked = 0;
    for (std::size_t t = 0; t < (*totals)->size(); ++t) {
      auto v = Fields::as_count((**totals)[t], at + ".totals[" + std::to_string(t) + "]");
      if (!v) return forward(v.error());
      if (*v > out.valid) {
        return fail(RecordsErrc::inconsistent_outcome,
                    at + ".totals[" + std::to_string(t) + "]: " + std::to_string(*v) +
                        " exceeds the valid ballots " + std::to_string(out.valid));
      }
      marked += *v;
      item.totals.push_back(static_cast<std::uint32_t>(*v));
    }
    if (vote.kind != session::VoteKind::choose && marked > out.valid) {
      return fail(RecordsErrc::inconsistent_outcome, at + ".totals: sum exceeds the valid ballots");
    }
    auto blank = item_fields.optional_count32("blank", 0);
    if (!blank) return forward(blank.error());
    item.blank = *blank;
    auto rank = item_fields.count32("rank");
    if (!rank) return forward(rank.error());
    item.rank = *rank;
    auto verdict = item_fields.text("verdict");
    if (!verdict) return forward(verdict.error());
    item.verdict_zh = *verdict;
    auto reason_zh = item_fields.text("reason_zh");
    if (!reason_zh) return forward(reason_zh.error());
    item.reason_zh = *reason_zh;
    auto reason_en = item_fields.optional_string("reason_en");
    if (!reason_en) return forward(reason_en.error());
    item.reason_en = *reason_en;
    out.items.push_back(std::move(item));
  }
  if (out.items.empty()) return fail(RecordsErrc::inconsistent_outcome, f.at("items") + ": empty");
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

Result<std::size_t> find_vote(const session::SessionDefinition& session, const Fields& f) {
  auto id = f.text("vote_id");
  if (!id) return forward(id.error());
  const std::ptrdiff_t index = vote_index(session, *id);
  if (index < 0) {
    return fail(RecordsErrc::unknown_vote,
                f.at("vote_id") + ": '" + *id + "' is not a vote of session " + session.info.id);
  }
  return static_cast<std::size_t>(index);
}

// The entries the records are made of, each of the vote its payload's vote_id names: `f` reads the payload,
// `state` is the vote's so far.
Status on_closed(const audit::Entry& entry, const Fields& f, VoteState& state) {
  auto ballots = f.count("ballots");
  if (!ballots) return forward(ballots.error());
  state.last_close = Closing{entry.sequence, entry.time_ms, *ballots};
  return {};
}

Status on_result(const session::SessionDefinition& session, const session::VoteDefinition& vote,
                 const audit::Entry& entry, const Fields& f, VoteState& state) {
  auto outcome_json = f.object("outcome");
  if (!outcome_json) return forward(outcome_json.error());
  auto outcome = parse_outcome(session, vote, **outcome_json, f.at("outcome"));
  if (!outcome) return forward(outcome.error());
  if (outcome->round != state.rounds.size() + 1) {
    return fail(
        RecordsErrc::inconsistent_outcome,
        f.at("outcome.round") + ": round " + std::to_string(outcome->round) + " of vote " + vote.id +
            " follows " +
            (state.rounds.empty() ? std::string("no round") : "round " + std::to_string(state.rounds.size())));
  }
  if (!state.rounds.empty() && state.rounds.back().parsed.decided) {
    return fail(RecordsErrc::inconsistent_outcome, f.at("outcome.round") + ": vote " + vote.id +
                                                       " was already decided in round " +
                                                       std::to_string(state.rounds.size()));
  }
  const std::uint64_t previous_result = state.rounds.empty() ? 0 : state.rounds.back().result_sequence;
  if (!state.last_close || (!state.rounds.empty() && state.last_close->sequence < previous_result)) {
    return fail(RecordsErrc::inconsistent_outcome, f.at("outcome.round") + ": no vote_closed entry of vote " +
                                                       vote.id + " before the result of round " +
                                                       std::to_string(outcome->round));
  }
  if (entry.actor.empty() || entry.actor.size() > audit::kMaxActorSize ||
      entry.payload.size() > audit::kMaxPayloadSize || entry.time_ms < 0) {
    return fail(
        RecordsErrc::malformed_payload,
        entry_where(entry) + ": actor, payload size or time outside the entry format (not a decoded entry)");
  }
  RoundRecord round;
  round.outcome = **outcome_json;
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
                        const audit::Entry& entry, const Fields& f, VoteState& state) {
  auto round_number = f.count("round");
  if (!round_number) return forward(round_number.error());
  auto certifier = f.text("certifier");
  if (!certifier) return forward(certifier.error());
  auto role = f.text("role");
  if (!role) return forward(role.error());
  session::OfficialRole parsed_role{};
  if (!session::parse_official_role(*role, parsed_role)) {
    return fail(RecordsErrc::malformed_payload,
                f.at("role") + ": '" + *role + "' is not chief_scrutineer, scrutineer or presidium_member");
  }
  auto result_sequence = f.count("result_sequence");
  if (!result_sequence) return forward(result_sequence.error());
  auto result_hash = f.lower_hex("result_hash", 64);
  if (!result_hash) return forward(result_hash.error());
  auto signature = f.lower_hex("signature", 128);
  if (!signature) return forward(signature.error());
  auto complete = f.boolean("complete");
  if (!complete) return forward(complete.error());

  if (*round_number == 0 || *round_number > state.rounds.size()) {
    return fail(
        RecordsErrc::orphan_certification,
        f.at("round") + ": vote " + vote.id + " has no result for round " + std::to_string(*round_number));
  }
  RoundRecord& round = state.rounds[*round_number - 1];
  if (*result_sequence != round.result_sequence) {
    return fail(RecordsErrc::certification_mismatch,
                f.at("result_sequence") + ": " + std::to_string(*result_sequence) +
                    ", but the result of round " + std::to_string(*round_number) + " of vote " + vote.id +
                    " is entry " + std::to_string(round.result_sequence));
  }
  if (*result_hash != round.result_hash_hex) {
    return fail(RecordsErrc::certification_mismatch,
                f.at("result_hash") + ": not the hash of entry " + std::to_string(round.result_sequence));
  }
  const session::Official* official = session.find_official(*certifier);
  if (official == nullptr) {
    return fail(RecordsErrc::unknown_official,
                f.at("certifier") + ": '" + *certifier + "' is not a member of the key committee");
  }
  if (official->role != parsed_role) {
    return fail(RecordsErrc::role_mismatch, f.at("role") + ": " + *certifier + " is " +
                                                std::string(session::to_string(official->role)) + ", not " +
                                                *role);
  }
  for (const Signer& earlier : round.signers) {
    if (earlier.official_id == *certifier) {
      return fail(RecordsErrc::certification_mismatch,
                  f.at("certifier") + ": " + *certifier + " already certified round " +
                      std::to_string(*round_number) + " of vote " + vote.id + " at entry " +
                      std::to_string(earlier.sequence));
    }
  }
  round.signers.push_back(
      Signer{*certifier, official->name, *role, entry.time_ms, entry.sequence, *signature, *complete});
  if (*complete && !round.certified_sequence) {
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
      return fail(RecordsErrc::malformed_payload,
                  entry_where(entry) + ": time " + std::to_string(entry.time_ms) + " ms is outside the years 1970–9999");
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
    auto payload = parse_payload(entry);
    if (!payload) return forward(payload.error());
    const Fields f(*payload, entry_where(entry) + ": payload");
    auto index = find_vote(session, f);
    if (!index) return forward(index.error());
    const session::VoteDefinition& vote = session.votes[*index];
    VoteState& state = votes[*index];
    Status ok;
    if (entry.type == audit::EntryType::vote_closed) {
      ok = on_closed(entry, f, state);
    } else if (entry.type == audit::EntryType::result) {
      ok = on_result(session, vote, entry, f, state);
    } else {
      ok = on_certification(session, vote, entry, f, state);
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
