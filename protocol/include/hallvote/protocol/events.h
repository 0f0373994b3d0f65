// The audit log's vocabulary: one typed event per entry type, each with one encoder and one decoder. The only
// way any program writes or reads an entry payload — the server's live path and its replay, the auditor's
// log-level and vote-level walks, the records and the seat terminal all go through encode()/decode() here.
// Format: docs/audit-log.md §3 (every entry type with every field; log format version 2).
//
// Payloads are canonical JSON objects (keys sorted, no insignificant whitespace, integers only: exactly
// nlohmann::json::dump() of the parsed value). decode() checks every field's presence, kind and range and
// names the first bad one ("payload.ballot_hash: expected 64 hex digits"); it does not check signatures,
// proofs or the session's rules (the server and the auditor do). Fields beyond the listed ones are refused:
// every field of version 2 is listed. Pure and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/protocol/ballot_challenge.h"
#include "hallvote/protocol/certification.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/protocol/presidium_decision.h"
#include "hallvote/protocol/result_outcome.h"

namespace hallvote::protocol {

// Wire values are part of the log format and never change meaning.
enum class EntryType : std::uint16_t {
  session_opened = 1,
  terminal_enrolled = 2,
  deputy_signed_in = 3,
  vote_opened = 4,
  ballot_approved = 5,
  ballot_issued = 6,
  ballot_cast = 7,
  cast_rejected = 8,
  vote_held = 9,
  vote_resumed = 10,
  vote_closed = 11,
  tally = 12,
  decryption_share = 13,
  result = 14,
  certification = 15,
  checkpoint_cosigned = 16,
  session_closed = 17,
  sign_in_opened = 18,
  session_started = 19,
  ballot_prepared = 20,
  casts_refused_summary = 21,
  ballot_challenged = 22,
  presidium_decision = 23,
};

inline constexpr std::uint16_t kFirstEntryType = 1;
inline constexpr std::uint16_t kLastEntryType = 23;

// The registry name ("ballot_cast"), or nullopt for a value outside the registry.
[[nodiscard]] std::optional<std::string_view> entry_type_name(std::uint16_t wire_value);

using Hash32 = std::array<std::uint8_t, 32>;

// Entry 0. The session definition and the key ceremony's public result stay a JSON object here (`record`:
// what protocol::session_opened_payload() builds); read_session_opened() (session_record.h) rebuilds and
// cross-checks the definition from it.
struct SessionOpened {
  static constexpr EntryType kType = EntryType::session_opened;
  std::string session_id;
  std::string title;
  nlohmann::json record;  // the whole payload object (session_id, title, officials, quorum, keys, session…)
};

struct TerminalEnrolled {
  static constexpr EntryType kType = EntryType::terminal_enrolled;
  std::string terminal_id;
  std::string seat;
  crypto::VerifyKey terminal_key{{}};
};

struct SignInOpened {
  static constexpr EntryType kType = EntryType::sign_in_opened;
  std::string session_id;
};

struct DeputySignedIn {
  static constexpr EntryType kType = EntryType::deputy_signed_in;
  std::string deputy_id;
  std::string terminal_id;
  crypto::Bytes nonce;            // the server's sign-in challenge (32 bytes)
  crypto::Signature signature{};  // the card's, over sign_in_message(session id, terminal id, nonce)
};

struct SessionStarted {
  static constexpr EntryType kType = EntryType::session_started;
  std::string session_id;
  std::uint32_t present = 0;
  std::uint32_t in_office = 0;
};

struct BallotPrepared {
  static constexpr EntryType kType = EntryType::ballot_prepared;
  std::string vote_id;
  std::uint32_t round = 0;
  Hash32 base_hash{};
  std::string definition;  // the ballot definition's canonical JSON (docs/protocol.md §5)
};

struct BallotApproved {
  static constexpr EntryType kType = EntryType::ballot_approved;
  std::string vote_id;
  std::uint32_t round = 0;
  std::string official_id;
  Hash32 base_hash{};
  crypto::Signature signature{};
};

struct VoteOpened {
  static constexpr EntryType kType = EntryType::vote_opened;
  std::string vote_id;
  std::uint32_t round = 0;
  std::string title;
  std::string kind;  // session::to_string(VoteKind)
  Hash32 base_hash{};
};

struct VoteHeld {
  static constexpr EntryType kType = EntryType::vote_held;
  std::string vote_id;
  std::string reason;  // the chair's words (free text, at most 200 bytes of UTF-8)
};

struct VoteResumed {
  static constexpr EntryType kType = EntryType::vote_resumed;
  std::string vote_id;
};

struct BallotIssued {
  static constexpr EntryType kType = EntryType::ballot_issued;
  std::string vote_id;
  std::uint32_t round = 0;
  std::string deputy_id;
  std::string terminal_id;
};

struct BallotCast {
  static constexpr EntryType kType = EntryType::ballot_cast;
  std::string vote_id;
  std::uint32_t round = 0;
  std::string deputy_id;
  std::string terminal_id;
  Hash32 ballot_hash{};  // the confirmation code's hash: protocol::ballot_hash(ballot, signature)
  crypto::Bytes ballot;  // the encrypted ballot's bytes (docs/protocol.md §6)
  crypto::Signature signature{};
};

// A refused casting attempt: the error's wire name and its detail. vote_id and deputy_id are "unknown" when
// the attempt did not say.
struct CastRejected {
  static constexpr EntryType kType = EntryType::cast_rejected;
  std::string vote_id;
  std::string deputy_id;
  std::string terminal_id;
  ProtocolErrc reason = ProtocolErrc::malformed;
  std::string detail;  // at most 500 bytes of UTF-8
};

// Refused casting attempts of one terminal that were counted instead of logged one by one: those beyond the
// first few of its refusal window (docs/protocol.md §4.2.6). Written once per window, and when the terminal is
// cut off for too many refusals.
struct CastsRefusedSummary {
  static constexpr EntryType kType = EntryType::casts_refused_summary;
  std::string terminal_id;
  std::uint64_t refused = 0;                        // at least 1; the sum of by_reason
  std::map<ProtocolErrc, std::uint64_t> by_reason;  // each count at least 1
  bool cut_off = false;  // with this entry the terminal's connections were closed for the cool-down
};

// A prepared ballot the deputy challenged instead of casting (核验此票, docs/protocol.md §4.2.7): the signed
// ballot with the nonces and choices its terminal revealed, which the server checked reproduce every
// ciphertext. Never counted; its ballot and ciphertexts can never be cast.
struct BallotChallenged {
  static constexpr EntryType kType = EntryType::ballot_challenged;
  std::string vote_id;
  std::uint32_t round = 0;
  std::string deputy_id;
  std::string terminal_id;
  Hash32 ballot_hash{};  // protocol::ballot_hash(ballot, signature): the fingerprint shown before the choice
  crypto::Bytes ballot;  // the encrypted ballot's bytes (docs/protocol.md §6)
  crypto::Signature signature{};
  ChallengeReveal reveal;  // choices and nonces, per contest in ballot order (shape not checked by decode)
};

struct VoteClosed {
  static constexpr EntryType kType = EntryType::vote_closed;
  std::string vote_id;
  std::uint32_t round = 0;
  std::uint32_t ballots = 0;  // 收回
  std::uint32_t issued = 0;   // 发出
  std::uint32_t present = 0;  // 实到 at the close
};

struct Tally {
  static constexpr EntryType kType = EntryType::tally;
  std::string vote_id;
  std::uint32_t round = 0;
  std::uint32_t ballots = 0;
  Hash32 tally_hash{};
  std::vector<crypto::Bytes> ciphertexts;  // per selection, 64 bytes each (not yet checked as points)
};

struct DecryptionShare {
  static constexpr EntryType kType = EntryType::decryption_share;
  std::string vote_id;
  std::string trustee;      // the official's id
  std::uint32_t index = 0;  // the trustee's number, 1-based
  Hash32 share_hash{};      // SHA-256 of `share`
  crypto::Bytes share;      // crypto::PartialDecryption bytes (not yet checked)
};

struct ResultEntry {
  static constexpr EntryType kType = EntryType::result;
  std::string vote_id;
  ResultOutcome outcome;
};

struct CertificationEntry {
  static constexpr EntryType kType = EntryType::certification;
  Certification certification;
};

// Reserved: the server writes none (cosignatures are stored with their checkpoint).
struct CheckpointCosigned {
  static constexpr EntryType kType = EntryType::checkpoint_cosigned;
  std::uint64_t size = 0;
  Hash32 root{};
  std::string cosigner;
};

// One presidium member's signature over a decision (docs/protocol.md §4.5.9). `complete` is true exactly on
// the entry that brings decision_signatures_needed() distinct members' signatures over the identical decision:
// the decision takes effect there.
struct PresidiumDecisionSigned {
  static constexpr EntryType kType = EntryType::presidium_decision;
  PresidiumDecision decision;
  std::string official_id;
  std::string name;  // the official's name
  crypto::Signature signature{};
  bool complete = false;
};

// 闭会 (docs/protocol.md §4.3.9).
struct SessionClosed {
  static constexpr EntryType kType = EntryType::session_closed;
  std::string session_id;
};

using Event =
    std::variant<SessionOpened, TerminalEnrolled, SignInOpened, DeputySignedIn, SessionStarted, BallotPrepared,
                 BallotApproved, VoteOpened, VoteHeld, VoteResumed, BallotIssued, BallotCast, CastRejected,
                 CastsRefusedSummary, VoteClosed, Tally, DecryptionShare, ResultEntry, CertificationEntry,
                 CheckpointCosigned, SessionClosed, BallotChallenged, PresidiumDecisionSigned>;

[[nodiscard]] EntryType type_of(const Event& event) noexcept;

// The canonical JSON payload of `event`. Never fails: text fields are written as given (invalid UTF-8 is
// replaced by U+FFFD, so a refused request's bytes cannot break the log).
[[nodiscard]] std::string encode(const Event& event);

// The event of an entry of `type` with `payload`. ProtocolErrc::malformed naming "payload.<field>" when the
// payload is not canonical JSON, lacks a field, has one of the wrong kind or out of range, or has a field not
// in the list; unknown type values are malformed too.
[[nodiscard]] Result<Event> decode(EntryType type, std::string_view payload);

// decode(), for callers that expect one type: also malformed when `type` is not T's.
template <class T>
[[nodiscard]] Result<T> decode_as(EntryType type, std::string_view payload) {
  auto event = decode(type, payload);
  if (!event) return forward(event.error());
  if (auto* value = std::get_if<T>(&*event)) return std::move(*value);
  return fail(ProtocolErrc::malformed,
              "entry type: expected " + std::string(*entry_type_name(static_cast<std::uint16_t>(T::kType))));
}

}  // namespace hallvote::protocol
