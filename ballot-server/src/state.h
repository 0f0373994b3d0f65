// Internal: the server's in-memory state, rebuilt from the audit log, and the helpers its handlers share.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hallvote/audit/log.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/protocol/events.h"
#include "hallvote/protocol/json_fields.h"
#include "hallvote/server/hall_server.h"
#include "hallvote/session/lifecycle.h"
#include "hallvote/session/rules.h"
#include "refusal_limiter.h"

namespace hallvote::server {

using nlohmann::json;

struct CastRecord {
  std::string ballot_hash_hex;
  std::string confirmation_code;
  std::uint64_t sequence = 0;
};

// One vote: its lifecycle and the current round's ballot, issues and casts.
struct VoteRuntime {
  const session::VoteDefinition* definition = nullptr;
  session::VoteLifecycle lifecycle;
  std::optional<protocol::BallotDefinition> prepared;  // the current round's ballot definition
  std::string prepared_json;                           // its canonical JSON
  protocol::BaseHash base_hash{};
  std::vector<protocol::Approval> approvals;  // distinct officials, current round
  crypto::Signature server_signature{};       // the issuing signature over the base hash
  std::map<std::string, std::string> issued;  // deputy → terminal, current round (发出)
  std::map<std::string, CastRecord> cast;     // deputy → the ballot that counts, current round (收回)
  std::map<std::string, CastRecord> by_ballot_hash;  // every accepted ballot hash → its record (resubmission)
  // Every challenged ballot of the vote (any round): its hash → the record of its ballot_challenged entry (a
  // resent challenge gets the same answer), and the hex encodings of its ciphertexts (never cast: §4.2.7).
  std::map<std::string, CastRecord> challenged;
  std::set<std::string> challenged_ciphertexts;
  std::set<std::string> reserved;                 // deputies with an issue or cast being written
  std::uint32_t in_flight = 0;                    // casts being written
  bool closing = false;                           // hold/close waiting for in-flight casts
  std::optional<std::uint64_t> opened_sequence;   // the current round's vote_opened entry
  std::uint32_t present_at_close = 0;             // 实到 when the round closed
  std::vector<crypto::Ciphertext> tally;          // per selection, contests in ballot order (after close)
  std::vector<crypto::PartialDecryption> shares;  // valid partial decryptions, in submission order
  std::vector<std::string> share_officials;       // who submitted them
  std::vector<session::RoundTally> rounds;        // decrypted rounds so far
  std::optional<protocol::ResultOutcome> result;  // the latest result entry's outcome
  std::uint64_t result_sequence = 0;              // the log sequence of that entry (the round's report)
  std::map<std::uint32_t, std::vector<std::string>> certifiers;  // round → accepted certifiers, in order
  // Presidium decisions (docs/protocol.md §4.5.9): those in effect, as the rules engine reads them; the
  // signatures gathered for each decision not yet in effect (its canonical JSON → signers, in order); whether
  // a decision took effect after the latest result entry (a new result entry is due); the 公告 number.
  std::vector<session::PresidiumDecision> decisions;
  std::map<std::string, std::vector<std::string>> proposals;
  bool result_outdated = false;
  std::uint32_t notice_number = 0;

  explicit VoteRuntime(const session::VoteDefinition& vote) : definition(&vote), lifecycle(vote) {}

  // Forgets the current round's ballot, approvals, issues, casts, tally and shares (a new round was started).
  // Keeps the decrypted rounds, the latest result, the certifiers, the remembered ballot hashes and the
  // challenged ballots.
  void clear_round();
};

struct Waiter {
  std::chrono::steady_clock::time_point deadline;
  HallServer::Respond respond;
};

struct HallServer::State {
  HallServerOptions options;
  const session::SessionDefinition& session;
  audit::AuditLog& log;

  mutable std::mutex mutex;  // guards everything below
  std::condition_variable changed;
  session::SessionLifecycle lifecycle;
  std::map<std::string, std::string> signed_in;     // deputy → terminal
  std::map<std::string, crypto::Bytes> challenges;  // terminal → its current sign-in nonce
  std::set<std::string> signing_in;                 // deputies and terminals whose sign-in is being written
  std::set<std::string> known_terminals;            // terminals with a terminal_enrolled entry
  std::map<std::string, VoteRuntime> votes;         // by vote id
  std::map<std::uint32_t, std::string> notices;     // 公告 number → the vote announced under it
  std::vector<Waiter> waiters;                      // fetch_ballot long polls
  bool stopping = false;

  std::mutex control;  // serializes chair and presidium commands (check, append, apply)

  std::mutex checkpoint_mutex;  // guards the two fields below
  std::condition_variable checkpoint_done;
  std::uint64_t checkpointed_size = 0;
  bool checkpoint_signing = false;

  std::thread sweeper;

  RefusalLimiter refusals;  // refused casts per terminal (§4.2.6); its own lock

  State(const HallServerOptions& o)
      : options(o), session(*o.session), log(*o.log), refusals(o.refusal_limits) {}

  [[nodiscard]] std::uint32_t present() const;  // precondition: mutex held
  [[nodiscard]] bool quorum_met() const;        // precondition: mutex held

  // Appends one server entry durably (protocol::encode of the event).
  [[nodiscard]] Result<audit::Appended> append(const protocol::Event& event);
  // Applies an event (live, after its append, or during replay, decoded from the log). A refusal changes
  // nothing. Precondition: mutex held.
  [[nodiscard]] Status apply(const protocol::Event& event, std::uint64_t sequence);
  // append(), then apply() under the mutex, and wakes waiters; returns the entry's sequence. Precondition:
  // mutex not held.
  [[nodiscard]] Result<std::uint64_t> record(const protocol::Event& event);
  // Appends refusal summaries, best effort like every refusal record (a failed append is dropped).
  // Precondition: mutex not held.
  void append_summaries(const std::vector<protocol::CastsRefusedSummary>& summaries);
  // Waits until a signed checkpoint covers `sequence`, signing one if needed (coalesced across callers).
  [[nodiscard]] Status ensure_checkpoint(std::uint64_t sequence);
  // Answers every pending long poll with "try again" (after a vote opens or the server stops). Precondition:
  // mutex held.
  void release_waiters();
};

// A request's string field, or "" when absent or not a string (the handlers then refuse it by name).
inline std::string text_field(const json& body, const char* name) {
  return protocol::json_fields::text_or_empty(body, name);
}

// A request's unsigned integer field, or `fallback` when absent or not one.
inline std::uint64_t count_field(const json& body, const char* name, std::uint64_t fallback) {
  return protocol::json_fields::count_or(body, name, fallback);
}

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary.
inline std::string utf8_prefix(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

// Builds an error with a protocol code.
inline tl::unexpected<Error> reject(protocol::ProtocolErrc code, std::string detail) {
  return fail(code, std::move(detail));
}

// Request handlers (each returns the response fields, or the rejection).
Result<json> handle_status(HallServer::State& s, const protocol::Peer& peer, const json& body);
Result<json> handle_challenge(HallServer::State& s, const protocol::Peer& peer, const json& body);
Result<json> handle_sign_in(HallServer::State& s, const protocol::Peer& peer, const json& body);
Result<json> handle_cast(HallServer::State& s, const protocol::Peer& peer, const json& body);
// 核验此票: a prepared ballot revealed instead of cast (challenge_handler.cc, docs/protocol.md §4.2.7).
Result<json> handle_challenge_ballot(HallServer::State& s, const protocol::Peer& peer, const json& body);
Result<json> handle_attendance(HallServer::State& s, const protocol::Peer& peer, const json& body);
Result<json> handle_progress(HallServer::State& s, const protocol::Peer& peer, const json& body);
Result<json> handle_control(HallServer::State& s, const protocol::Peer& peer, protocol::MessageType type,
                            const json& body);
// Tally and threshold decryption (decryption_handlers.cc).
Result<json> handle_tally(HallServer::State& s, const protocol::Peer& peer, const json& body);
Result<json> handle_submit_share(HallServer::State& s, const protocol::Peer& peer, const json& body);
// Checkpoints and the key committee's cosignatures (decryption_handlers.cc).
Result<json> handle_checkpoint(HallServer::State& s, const protocol::Peer& peer, const json& body);
Result<json> handle_cosign(HallServer::State& s, const protocol::Peer& peer, const json& body);
// The round's report and its certification (certification_handlers.cc).
Result<json> handle_result(HallServer::State& s, const protocol::Peer& peer, const json& body);
Result<json> handle_certify(HallServer::State& s, const protocol::Peer& peer, const json& body);
// The certification progress of `round` of `v` (CertificationProgress::to_json). Precondition: mutex held.
[[nodiscard]] json certification_json(const HallServer::State& s, const VoteRuntime& v, std::uint32_t round);
// After a vote closed: sums the counted ballots homomorphically and records the tally (precondition: control
// held).
[[nodiscard]] Result<protocol::Tally> record_tally(HallServer::State& s, VoteRuntime& v);
// A presidium member's signature over a decision (decision_handler.cc, docs/protocol.md §4.5.9).
Result<json> handle_decide(HallServer::State& s, const protocol::Peer& peer, const json& body);
// After a presidium decision took effect on a decrypted round: the rules engine over the vote's rounds and
// decisions, recorded as the round's new result entry (precondition: control held, mutex not held).
[[nodiscard]] Status record_redecided_result(HallServer::State& s, const std::string& vote_id);
// The same, when a decision took effect without its new result entry (a completing signature whose commit
// failed but reached the disk, taken in when writing resumed). Precondition: control held, mutex not held.
[[nodiscard]] Status record_redecided_result_if_due(HallServer::State& s, const std::string& vote_id);
// fetch_ballot may answer later: it either returns the fields now or parks `respond` and returns nullopt.
Result<std::optional<json>> handle_fetch_ballot(HallServer::State& s, const protocol::Peer& peer,
                                                const json& body, const HallServer::Respond& respond);

}  // namespace hallvote::server
