#include "hallvote/protocol/events.h"

#include <array>

#include "hallvote/protocol/json_fields.h"

namespace hallvote::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

// Indexed by wire value - 1; docs/audit-log.md §3 lists the same table.
constexpr std::array<std::string_view, kLastEntryType> kNames{"session_opened",
                                                              "terminal_enrolled",
                                                              "deputy_signed_in",
                                                              "vote_opened",
                                                              "ballot_approved",
                                                              "ballot_issued",
                                                              "ballot_cast",
                                                              "cast_rejected",
                                                              "vote_held",
                                                              "vote_resumed",
                                                              "vote_closed",
                                                              "tally",
                                                              "decryption_share",
                                                              "result",
                                                              "certification",
                                                              "checkpoint_cosigned",
                                                              "session_closed",
                                                              "sign_in_opened",
                                                              "session_started",
                                                              "ballot_prepared",
                                                              "casts_refused_summary",
                                                              "ballot_challenged",
                                                              "presidium_decision"};

bool has_float(const json& v) {
  if (v.is_number_float()) return true;
  if (v.is_structured()) {
    for (const auto& item : v) {
      if (has_float(item)) return true;
    }
  }
  return false;
}

std::string hex(crypto::ByteView bytes) { return crypto::to_hex(bytes); }

// ---- encoders: one per event, each the complete field list of docs/audit-log.md §3 ----

json to_json(const SessionOpened& e) { return e.record; }
json to_json(const TerminalEnrolled& e) {
  return {{"terminal_id", e.terminal_id}, {"seat", e.seat}, {"terminal_key", e.terminal_key.hex()}};
}
json to_json(const SignInOpened& e) { return {{"session_id", e.session_id}}; }
json to_json(const DeputySignedIn& e) {
  return {{"deputy_id", e.deputy_id},
          {"terminal_id", e.terminal_id},
          {"nonce", hex(e.nonce)},
          {"signature", hex(e.signature)}};
}
json to_json(const SessionStarted& e) {
  return {{"session_id", e.session_id}, {"present", e.present}, {"in_office", e.in_office}};
}
json to_json(const BallotPrepared& e) {
  return {{"vote_id", e.vote_id},
          {"round", e.round},
          {"base_hash", hex(e.base_hash)},
          {"definition", e.definition}};
}
json to_json(const BallotApproved& e) {
  return {{"vote_id", e.vote_id},
          {"round", e.round},
          {"official_id", e.official_id},
          {"base_hash", hex(e.base_hash)},
          {"signature", hex(e.signature)}};
}
json to_json(const VoteOpened& e) {
  return {{"vote_id", e.vote_id},
          {"round", e.round},
          {"title", e.title},
          {"kind", e.kind},
          {"base_hash", hex(e.base_hash)}};
}
json to_json(const VoteHeld& e) { return {{"vote_id", e.vote_id}, {"reason", e.reason}}; }
json to_json(const VoteResumed& e) { return {{"vote_id", e.vote_id}}; }
json to_json(const BallotIssued& e) {
  return {
      {"vote_id", e.vote_id}, {"round", e.round}, {"deputy_id", e.deputy_id}, {"terminal_id", e.terminal_id}};
}
json to_json(const BallotCast& e) {
  return {{"vote_id", e.vote_id},
          {"round", e.round},
          {"deputy_id", e.deputy_id},
          {"terminal_id", e.terminal_id},
          {"ballot_hash", hex(e.ballot_hash)},
          {"ballot", hex(e.ballot)},
          {"signature", hex(e.signature)}};
}
json to_json(const CastRejected& e) {
  return {{"vote_id", e.vote_id},
          {"deputy_id", e.deputy_id},
          {"terminal_id", e.terminal_id},
          {"reason", std::string(wire_name(e.reason))},
          {"detail", e.detail}};
}
json to_json(const CastsRefusedSummary& e) {
  json by_reason = json::object();
  for (const auto& [reason, count] : e.by_reason) by_reason[std::string(wire_name(reason))] = count;
  return {{"terminal_id", e.terminal_id},
          {"refused", e.refused},
          {"by_reason", std::move(by_reason)},
          {"cut_off", e.cut_off}};
}
json to_json(const BallotChallenged& e) {
  return {{"vote_id", e.vote_id},
          {"round", e.round},
          {"deputy_id", e.deputy_id},
          {"terminal_id", e.terminal_id},
          {"ballot_hash", hex(e.ballot_hash)},
          {"ballot", hex(e.ballot)},
          {"signature", hex(e.signature)},
          {"choices", e.reveal.choices_json()},
          {"nonces", e.reveal.nonces_json()}};
}
json to_json(const VoteClosed& e) {
  return {{"vote_id", e.vote_id},
          {"round", e.round},
          {"ballots", e.ballots},
          {"issued", e.issued},
          {"present", e.present}};
}
json to_json(const Tally& e) {
  json ciphertexts = json::array();
  for (const auto& c : e.ciphertexts) ciphertexts.push_back(hex(c));
  return {{"vote_id", e.vote_id},
          {"round", e.round},
          {"ballots", e.ballots},
          {"tally_hash", hex(e.tally_hash)},
          {"ciphertexts", std::move(ciphertexts)}};
}
json to_json(const DecryptionShare& e) {
  return {{"vote_id", e.vote_id},
          {"trustee", e.trustee},
          {"index", e.index},
          {"share_hash", hex(e.share_hash)},
          {"share", hex(e.share)}};
}
json to_json(const ResultEntry& e) { return {{"vote_id", e.vote_id}, {"outcome", e.outcome.to_json()}}; }
json to_json(const CertificationEntry& e) { return e.certification.to_payload(); }
json to_json(const CheckpointCosigned& e) {
  return {{"size", e.size}, {"root", hex(e.root)}, {"cosigner", e.cosigner}};
}
json to_json(const SessionClosed& e) { return {{"session_id", e.session_id}}; }
json to_json(const PresidiumDecisionSigned& e) {
  return {{"decision", e.decision.to_json()},
          {"official_id", e.official_id},
          {"name", e.name},
          {"signature", hex(e.signature)},
          {"complete", e.complete}};
}

// ---- decoders ----

struct Reader {
  const json& j;
  std::string where;

  Status fields(std::initializer_list<std::string_view> names) const {
    return jf::only_fields(j, names, where);
  }
  Result<std::string> text(const char* name) const { return jf::text(j, name, where); }
  Result<std::string> text_or_empty(const char* name) const { return jf::text(j, name, where, true); }
  Result<std::uint32_t> count32(const char* name) const { return jf::count32(j, name, where); }
  Result<std::uint64_t> count(const char* name) const { return jf::count(j, name, where); }
  Result<std::uint32_t> round(const char* name = "round") const {
    auto r = jf::count32(j, name, where);
    if (r && *r == 0) return fail(ProtocolErrc::malformed, where + "." + name + ": rounds are numbered from 1");
    return r;
  }
  template <std::size_t N>
  Result<std::array<std::uint8_t, N>> hex(const char* name) const {
    return jf::hex<N>(j, name, where);
  }
  Result<crypto::Bytes> bytes(const char* name, std::size_t max_size) const {
    auto b = jf::hex_bytes(j, name, where);
    if (b && b->size() > max_size) {
      return fail(ProtocolErrc::malformed,
                  where + "." + name + ": more than " + std::to_string(max_size) + " bytes");
    }
    return b;
  }
};

constexpr std::size_t kMaxBallotBytes = 1u << 20;  // as the hall protocol's frame limit (docs/protocol.md §2)

Result<Event> decode_fields(EntryType type, const Reader& r) {
  switch (type) {
    case EntryType::session_opened: {
      HALLVOTE_TRY(session_id, r.text("session_id"));
      HALLVOTE_TRY(title, r.text("title"));
      HALLVOTE_TRY(officials, jf::field(r.j, "officials", r.where));
      if (!(*officials)->is_array())
        return fail(ProtocolErrc::malformed, r.where + ".officials: expected an array");
      return SessionOpened{*session_id, *title, r.j};
    }
    case EntryType::terminal_enrolled: {
      HALLVOTE_TRY(ok, r.fields({"terminal_id", "seat", "terminal_key"}));
      HALLVOTE_TRY(terminal_id, r.text("terminal_id"));
      HALLVOTE_TRY(seat, r.text("seat"));
      HALLVOTE_TRY(key, r.text("terminal_key"));
      auto verify_key = crypto::VerifyKey::from_hex(*key);
      if (!verify_key)
        return fail(ProtocolErrc::malformed, r.where + ".terminal_key: " + verify_key.error().detail);
      return TerminalEnrolled{*terminal_id, *seat, *verify_key};
    }
    case EntryType::sign_in_opened:
    case EntryType::session_closed: {
      HALLVOTE_TRY(ok, r.fields({"session_id"}));
      HALLVOTE_TRY(session_id, r.text("session_id"));
      if (type == EntryType::sign_in_opened) return SignInOpened{*session_id};
      return SessionClosed{*session_id};
    }
    case EntryType::deputy_signed_in: {
      HALLVOTE_TRY(ok, r.fields({"deputy_id", "terminal_id", "nonce", "signature"}));
      HALLVOTE_TRY(deputy_id, r.text("deputy_id"));
      HALLVOTE_TRY(terminal_id, r.text("terminal_id"));
      HALLVOTE_TRY(nonce, r.hex<32>("nonce"));
      HALLVOTE_TRY(signature, r.hex<64>("signature"));
      return DeputySignedIn{*deputy_id, *terminal_id, crypto::Bytes(nonce->begin(), nonce->end()), *signature};
    }
    case EntryType::session_started: {
      HALLVOTE_TRY(ok, r.fields({"session_id", "present", "in_office"}));
      HALLVOTE_TRY(session_id, r.text("session_id"));
      HALLVOTE_TRY(present, r.count32("present"));
      HALLVOTE_TRY(in_office, r.count32("in_office"));
      return SessionStarted{*session_id, *present, *in_office};
    }
    case EntryType::ballot_prepared: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "round", "base_hash", "definition"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(round, r.round());
      HALLVOTE_TRY(base_hash, r.hex<32>("base_hash"));
      HALLVOTE_TRY(definition, r.text("definition"));
      return BallotPrepared{*vote_id, *round, *base_hash, *definition};
    }
    case EntryType::ballot_approved: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "round", "official_id", "base_hash", "signature"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(round, r.round());
      HALLVOTE_TRY(official_id, r.text("official_id"));
      HALLVOTE_TRY(base_hash, r.hex<32>("base_hash"));
      HALLVOTE_TRY(signature, r.hex<64>("signature"));
      return BallotApproved{*vote_id, *round, *official_id, *base_hash, *signature};
    }
    case EntryType::vote_opened: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "round", "title", "kind", "base_hash"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(round, r.round());
      HALLVOTE_TRY(title, r.text("title"));
      HALLVOTE_TRY(kind, r.text("kind"));
      HALLVOTE_TRY(base_hash, r.hex<32>("base_hash"));
      return VoteOpened{*vote_id, *round, *title, *kind, *base_hash};
    }
    case EntryType::vote_held: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "reason"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(reason, r.text("reason"));
      return VoteHeld{*vote_id, *reason};
    }
    case EntryType::vote_resumed: {
      HALLVOTE_TRY(ok, r.fields({"vote_id"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      return VoteResumed{*vote_id};
    }
    case EntryType::ballot_issued: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "round", "deputy_id", "terminal_id"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(round, r.round());
      HALLVOTE_TRY(deputy_id, r.text("deputy_id"));
      HALLVOTE_TRY(terminal_id, r.text("terminal_id"));
      return BallotIssued{*vote_id, *round, *deputy_id, *terminal_id};
    }
    case EntryType::ballot_cast: {
      HALLVOTE_TRY(
          ok, r.fields({"vote_id", "round", "deputy_id", "terminal_id", "ballot_hash", "ballot", "signature"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(round, r.round());
      HALLVOTE_TRY(deputy_id, r.text("deputy_id"));
      HALLVOTE_TRY(terminal_id, r.text("terminal_id"));
      HALLVOTE_TRY(ballot_hash, r.hex<32>("ballot_hash"));
      HALLVOTE_TRY(ballot, r.bytes("ballot", kMaxBallotBytes));
      HALLVOTE_TRY(signature, r.hex<64>("signature"));
      return BallotCast{*vote_id,           *round,    *deputy_id, *terminal_id, *ballot_hash,
                        std::move(*ballot), *signature};
    }
    case EntryType::ballot_challenged: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "round", "deputy_id", "terminal_id", "ballot_hash", "ballot",
                                 "signature", "choices", "nonces"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(round, r.round());
      HALLVOTE_TRY(deputy_id, r.text("deputy_id"));
      HALLVOTE_TRY(terminal_id, r.text("terminal_id"));
      HALLVOTE_TRY(ballot_hash, r.hex<32>("ballot_hash"));
      HALLVOTE_TRY(ballot, r.bytes("ballot", kMaxBallotBytes));
      HALLVOTE_TRY(signature, r.hex<64>("signature"));
      HALLVOTE_TRY(reveal, ChallengeReveal::from_json(r.j, r.where));
      return BallotChallenged{*vote_id,           *round,     *deputy_id,        *terminal_id, *ballot_hash,
                              std::move(*ballot), *signature, std::move(*reveal)};
    }
    case EntryType::cast_rejected: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "deputy_id", "terminal_id", "reason", "detail"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(deputy_id, r.text("deputy_id"));
      HALLVOTE_TRY(terminal_id, r.text("terminal_id"));
      HALLVOTE_TRY(reason, r.text("reason"));
      ProtocolErrc code{};
      if (!parse_wire_name(*reason, code)) {
        return fail(ProtocolErrc::malformed, r.where + ".reason: unknown error code '" + *reason + "'");
      }
      HALLVOTE_TRY(detail, r.text_or_empty("detail"));
      return CastRejected{*vote_id, *deputy_id, *terminal_id, code, *detail};
    }
    case EntryType::casts_refused_summary: {
      HALLVOTE_TRY(ok, r.fields({"terminal_id", "refused", "by_reason", "cut_off"}));
      HALLVOTE_TRY(terminal_id, r.text("terminal_id"));
      HALLVOTE_TRY(refused, r.count("refused"));
      HALLVOTE_TRY(cut_off, jf::boolean(r.j, "cut_off", r.where));
      HALLVOTE_TRY(by_reason_json, jf::field(r.j, "by_reason", r.where));
      if (!(*by_reason_json)->is_object() || (*by_reason_json)->empty()) {
        return fail(ProtocolErrc::malformed, r.where + ".by_reason: expected a non-empty object");
      }
      CastsRefusedSummary summary{*terminal_id, *refused, {}, *cut_off};
      std::uint64_t sum = 0;
      for (const auto& [name, value] : (*by_reason_json)->items()) {
        ProtocolErrc code{};
        if (!parse_wire_name(name, code)) {
          return fail(ProtocolErrc::malformed, r.where + ".by_reason: unknown error code '" + name + "'");
        }
        HALLVOTE_TRY(count, jf::count(**by_reason_json, name, r.where + ".by_reason"));
        if (*count == 0 || *count > *refused - sum) {
          return fail(ProtocolErrc::malformed, r.where + ".by_reason." + name +
                                                   ": expected 1 .. refused, all counts summing to refused");
        }
        sum += *count;
        summary.by_reason.emplace(code, *count);
      }
      if (sum != *refused) {
        return fail(ProtocolErrc::malformed, r.where + ".refused: not the sum of by_reason");
      }
      return summary;
    }
    case EntryType::vote_closed: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "round", "ballots", "issued", "present"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(round, r.round());
      HALLVOTE_TRY(ballots, r.count32("ballots"));
      HALLVOTE_TRY(issued, r.count32("issued"));
      HALLVOTE_TRY(present, r.count32("present"));
      return VoteClosed{*vote_id, *round, *ballots, *issued, *present};
    }
    case EntryType::tally: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "round", "ballots", "tally_hash", "ciphertexts"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(round, r.round());
      HALLVOTE_TRY(ballots, r.count32("ballots"));
      HALLVOTE_TRY(tally_hash, r.hex<32>("tally_hash"));
      HALLVOTE_TRY(list, jf::texts(r.j, "ciphertexts", r.where));
      Tally tally{*vote_id, *round, *ballots, *tally_hash, {}};
      for (std::size_t i = 0; i < list->size(); ++i) {
        auto bytes = crypto::from_hex((*list)[i]);
        if (!bytes || bytes->size() != 64) {
          return fail(ProtocolErrc::malformed,
                      r.where + ".ciphertexts[" + std::to_string(i) + "]: expected 128 hex digits");
        }
        tally.ciphertexts.push_back(std::move(*bytes));
      }
      return tally;
    }
    case EntryType::decryption_share: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "trustee", "index", "share_hash", "share"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(trustee, r.text("trustee"));
      HALLVOTE_TRY(index, r.count32("index"));
      HALLVOTE_TRY(share_hash, r.hex<32>("share_hash"));
      HALLVOTE_TRY(share, r.bytes("share", kMaxBallotBytes));
      return DecryptionShare{*vote_id, *trustee, *index, *share_hash, std::move(*share)};
    }
    case EntryType::result: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "outcome"}));
      HALLVOTE_TRY(vote_id, r.text("vote_id"));
      HALLVOTE_TRY(outcome_json, jf::field(r.j, "outcome", r.where));
      HALLVOTE_TRY(outcome, ResultOutcome::from_json(**outcome_json));
      return ResultEntry{*vote_id, std::move(*outcome)};
    }
    case EntryType::certification: {
      HALLVOTE_TRY(ok, r.fields({"vote_id", "round", "result_sequence", "result_hash", "certifier", "name",
                                 "role", "signature", "complete"}));
      HALLVOTE_TRY(certification, Certification::from_payload(r.j));
      return CertificationEntry{std::move(*certification)};
    }
    case EntryType::presidium_decision: {
      HALLVOTE_TRY(ok, r.fields({"decision", "official_id", "name", "signature", "complete"}));
      HALLVOTE_TRY(decision_json, jf::field(r.j, "decision", r.where));
      HALLVOTE_TRY(decision, PresidiumDecision::from_json(**decision_json, r.where + ".decision"));
      HALLVOTE_TRY(official_id, r.text("official_id"));
      HALLVOTE_TRY(name, r.text("name"));
      HALLVOTE_TRY(signature, r.hex<64>("signature"));
      HALLVOTE_TRY(complete, jf::boolean(r.j, "complete", r.where));
      return PresidiumDecisionSigned{std::move(*decision), *official_id, *name, *signature, *complete};
    }
    case EntryType::checkpoint_cosigned: {
      HALLVOTE_TRY(ok, r.fields({"size", "root", "cosigner"}));
      HALLVOTE_TRY(size, r.count("size"));
      HALLVOTE_TRY(root, r.hex<32>("root"));
      HALLVOTE_TRY(cosigner, r.text("cosigner"));
      return CheckpointCosigned{*size, *root, *cosigner};
    }
  }
  return fail(ProtocolErrc::malformed,
              "entry type " + std::to_string(static_cast<unsigned>(type)) + ": not in the registry");
}

}  // namespace

std::optional<std::string_view> entry_type_name(std::uint16_t wire_value) {
  if (wire_value < kFirstEntryType || wire_value > kLastEntryType) return std::nullopt;
  return kNames[wire_value - 1u];
}

EntryType type_of(const Event& event) noexcept {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kType; }, event);
}

std::string encode(const Event& event) {
  const json payload = std::visit([](const auto& e) { return to_json(e); }, event);
  return payload.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Event> decode(EntryType type, std::string_view payload) {
  const auto name = entry_type_name(static_cast<std::uint16_t>(type));
  if (!name) {
    return fail(ProtocolErrc::malformed,
                "entry type " + std::to_string(static_cast<unsigned>(type)) + ": not in the registry");
  }
  const json j = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return fail(ProtocolErrc::malformed, "payload: not a JSON object");
  if (has_float(j)) return fail(ProtocolErrc::malformed, "payload: floating-point numbers are not allowed");
  if (j.dump() != payload) return fail(ProtocolErrc::malformed, "payload: not canonical JSON");
  return decode_fields(type, Reader{j, "payload"});
}

}  // namespace hallvote::protocol
