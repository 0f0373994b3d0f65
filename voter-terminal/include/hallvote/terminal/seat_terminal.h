// The seat terminal's protocol client: signs the deputy in with the IC card, waits for the ballot and checks
// its signatures before it is shown, encrypts and casts the deputy's choice, and checks the receipt before it
// shows the confirmation code (docs/protocol.md §4.2). The transport is a seam: the network client in the
// program, the server core directly in tests.
//
// Not thread-safe: one terminal, one deputy at a time.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "hallvote/common/result.h"
#include "hallvote/crypto/random.h"
#include "hallvote/hardware/card_reader.h"
#include "hallvote/protocol/ballot_challenge.h"
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/protocol/messages.h"
#include "hallvote/session/definition.h"
#include "hallvote/terminal/ballot_screen.h"
#include "hallvote/terminal/pending_cast.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/entry.h"
#include "hallvote/tlog/note.h"

namespace hallvote::terminal {

// Sends one request frame and returns the response frame. A failed call (connection lost) may be retried:
// every request of this protocol is safe to resend.
class Transport {
 public:
  virtual ~Transport() = default;
  [[nodiscard]] virtual Result<crypto::Bytes> call(const crypto::Bytes& request,
                                                   std::chrono::milliseconds timeout) = 0;
};

struct TerminalConfig {
  const session::SessionDefinition* session = nullptr;  // as provisioned; must outlive the terminal
  crypto::VerifyKey server_key{{}};                     // signs issued ballots and the log's checkpoints
  audit::NoteKey log_key;                               // the log's checkpoint key (receipts)
  std::string terminal_id;                              // as in this terminal's certificate
  int send_attempts = 3;                                // sends of one request, the first included
  std::chrono::milliseconds retry_backoff{200};         // wait before resend n: n × this (a restarting server)
  // Keeps the signed ballot sent until a verified receipt is held, across the terminal's restart; must outlive
  // the terminal. nullptr: kept in memory only (lost with the process).
  PendingCastStore* pending_store = nullptr;
};

struct SignedIn {
  std::string deputy_id;
  std::string name;
  std::string seat;
};

struct CastReceipt {
  std::string confirmation_code;
  std::uint64_t index = 0;
  std::string receipt;  // C2SP tlog-proof text, verified
  std::string vote_id;  // the ballot's vote and round
  std::uint32_t round = 0;
  // Non-empty when the receipt verified but the kept pending ballot could not be forgotten (it will be resent,
  // harmlessly: the server answers with this same receipt).
  std::string warning;
};

// A ballot prepared for cast-or-challenge (核验此票, docs/protocol.md §4.2.7): the screen's choices encrypted
// with their proofs and signed by the card, not yet sent. Its fingerprint is shown on the review screen before
// the deputy decides; casting it gives the same code as the confirmation code. Holds the secret encryption
// nonces (wiped on destruction and when moved from) until it is either cast (they are never revealed) or
// challenged (they are revealed). Move-only; made only by SeatTerminal::prepare.
class PreparedBallot {
 public:
  // The confirmation code of the signed ballot (protocol::confirmation_code of its ballot hash),
  // XXXX-XXXX-XXXX-XXXX.
  [[nodiscard]] const std::string& fingerprint() const noexcept { return fingerprint_; }
  [[nodiscard]] const std::string& vote_id() const noexcept { return definition_.shape.vote_id; }
  [[nodiscard]] std::uint32_t round() const noexcept { return definition_.shape.round; }
  [[nodiscard]] const std::string& deputy_id() const noexcept { return deputy_id_; }
  [[nodiscard]] const protocol::BallotDefinition& definition() const noexcept { return definition_; }
  // The choices shown to the deputy, which the ballot must encrypt.
  [[nodiscard]] const protocol::Choices& choices() const noexcept { return choices_; }
  [[nodiscard]] const crypto::Bytes& ballot() const noexcept { return ballot_; }
  [[nodiscard]] const crypto::Signature& signature() const noexcept { return signature_; }

 private:
  friend class SeatTerminal;
  PreparedBallot() = default;

  protocol::BallotDefinition definition_;
  std::string deputy_id_;
  protocol::Choices choices_;
  crypto::Bytes ballot_;
  crypto::Signature signature_{};
  protocol::BallotNonces nonces_;  // secret until challenged
  std::string fingerprint_;
  bool challenged_ = false;  // its nonces were sent in a challenge: it can never be cast
};

// A challenge the server logged and this terminal verified: the ballot_challenged entry is under a checkpoint
// the log key signed, it holds this very ballot, its revealed nonces re-encrypt its choices to every
// ciphertext, and those choices are the ones shown. The challenged ballot never counts; the deputy votes again.
struct ChallengeResult {
  std::string fingerprint;  // of the challenged ballot
  std::uint64_t index = 0;  // its ballot_challenged entry
  std::string receipt;      // C2SP tlog-proof text, verified
  std::string vote_id;
  std::uint32_t round = 0;
  protocol::Choices choices;  // as logged (equal to those shown)
};

class SeatTerminal {
 public:
  // Takes the checkpoint kept by config.pending_store, if any (checkpoint_problem() says why one could not be).
  SeatTerminal(const TerminalConfig& config, Transport& transport,
               crypto::RandomSource& random = crypto::system_random());

  // Why the kept checkpoint could not be read, or the latest one not kept (for the staff; empty when all is
  // well).
  [[nodiscard]] const std::string& checkpoint_problem() const noexcept { return checkpoint_problem_; }

  // Reads the card, checks the PIN on the card, has the card sign the server's challenge, signs in.
  [[nodiscard]] Result<SignedIn> sign_in(hardware::CardReader& card, std::string_view pin);
  // The open vote's ballot once it is out (waiting up to `wait`), checked: server signature, presidium quorum,
  // this session. nullopt when none came within the wait.
  [[nodiscard]] Result<std::optional<protocol::SignedBallot>> wait_for_ballot(std::chrono::milliseconds wait);
  // Prepares the screen's choices for cast-or-challenge: encrypts them (keeping the nonces), makes the proofs,
  // has the card sign, and computes the fingerprint to show on the review screen. Sends and keeps nothing.
  // Fails with wrong_state while a ballot sent is pending (resend_pending() or cast(screen, card) first), with
  // the screen's refusal when it is not ready, and with the card's or the encryption's error.
  [[nodiscard]] Result<PreparedBallot> prepare(const BallotScreen& screen, hardware::CardReader& card);
  // Casts a prepared ballot: keeps it as pending (TerminalConfig::pending_store) before sending it, sends it
  // (resending the same bytes on a lost connection), wipes its nonces, and checks the receipt: the logged
  // entry is this ballot, under a checkpoint signed by the log key. A failed cast keeps the ballot pending
  // (resend_pending() or cast(screen, card) resends it); the server's refusal (other than internal) forgets
  // it. Fails with wrong_state, sending nothing, when the ballot is another deputy's, was challenged, or
  // another ballot is pending.
  [[nodiscard]] Result<CastReceipt> cast(PreparedBallot prepared);
  // Challenges a prepared ballot instead of casting it (核验此票): sends it with its nonces and choices
  // (challenge_ballot), and verifies the answer: the ballot_challenged entry under a checkpoint signed by the
  // log key (as a receipt), holding this ballot, whose revealed nonces re-encrypt the logged choices to every
  // ciphertext, and whose choices are the ones shown. wrong_credential ("核验失败 …", an alarm for the staff)
  // when any of that fails. Never kept as pending; the ballot is spent either way (its nonces may be public):
  // prepare a new one to vote. `prepared` is marked challenged and otherwise left as it was, so that a call
  // that failed on a lost connection can be repeated with it (the server answers a challenge it has logged
  // with that entry's receipt); cast() refuses it. Fails with wrong_state, sending nothing, when the ballot is
  // another deputy's.
  [[nodiscard]] Result<ChallengeResult> challenge(PreparedBallot& prepared);
  // prepare() then cast(prepared), for callers without a review step (headless, simulation); while a ballot
  // for the screen's definition is pending it resends that ballot instead (the same bytes, never a new
  // encryption). Fails with wrong_state, sending nothing, while a ballot for another definition is pending
  // (resend_pending() first).
  [[nodiscard]] Result<CastReceipt> cast(const BallotScreen& screen, hardware::CardReader& card);
  // After sign-in: resends the signed-in deputy's pending ballot, if one is kept (in memory or in the store, so
  // also after this terminal's restart), and returns its verified receipt; nullopt when none is pending. A kept
  // ballot that is damaged or tampered with is refused (malformed / wrong_credential, naming the file) and not
  // sent; it stays where it is for the staff. Failures otherwise as cast().
  [[nodiscard]] Result<std::optional<CastReceipt>> resend_pending();
  // True while a ballot sent is awaiting its verified receipt (in memory; resend_pending() reads the store).
  [[nodiscard]] bool has_pending() const noexcept { return pending_.has_value(); }
  // A status request (session, 应到/实到, open vote).
  [[nodiscard]] Result<nlohmann::json> status();

 private:
  // Sends the request (with config_.send_attempts); the decoded response, ok or not, or the transport's error.
  [[nodiscard]] Result<protocol::Response> exchange(
      protocol::MessageType type, nlohmann::json fields,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // exchange(), with a refusal turned into its error.
  [[nodiscard]] Result<protocol::Response> request(
      protocol::MessageType type, nlohmann::json fields,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Sends pending_ and checks the receipt; forgets pending_ (and the kept copy) after a verified receipt or a
  // refusal other than internal.
  [[nodiscard]] Result<CastReceipt> send_pending();
  // Ok when `next` (a receipt's verified checkpoint) extends the latest checkpoint this terminal accepted, by
  // the consistency proof in the cast answer `body`; else the rollback/fork alarm.
  [[nodiscard]] Status check_extends(const audit::Checkpoint& next, const nlohmann::json& body) const;
  // Forgets pending_ and its kept copy; the store's failure is returned.
  [[nodiscard]] Status forget_pending();
  // The entry a cast or challenge answer `body` proves in the log: its receipt verifies under the log key (and
  // any cosignatures), its checkpoint extends the latest one accepted (which it then becomes).
  struct Logged {
    audit::Entry entry;
    std::uint64_t index = 0;
    std::string receipt;
  };
  [[nodiscard]] Result<Logged> verified_entry(const nlohmann::json& body);

  TerminalConfig config_;
  Transport& transport_;
  crypto::RandomSource& random_;
  std::string deputy_id_;
  // A signed ballot sent but not yet confirmed by a verified receipt: resent as exactly these bytes (never a
  // new encryption) until one arrives, so a lost answer can neither lose the confirmation nor cast twice.
  std::optional<PendingCast> pending_;
  // The largest checkpoint seen in a verified receipt (kept by the pending store across restarts, when there is
  // one): every later receipt's checkpoint must extend it.
  std::optional<audit::Checkpoint> last_checkpoint_;
  std::string checkpoint_problem_;
};

}  // namespace hallvote::terminal
