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
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/protocol/messages.h"
#include "hallvote/session/definition.h"
#include "hallvote/terminal/ballot_screen.h"
#include "hallvote/terminal/pending_cast.h"
#include "hallvote/tlog/checkpoint.h"
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

class SeatTerminal {
 public:
  SeatTerminal(const TerminalConfig& config, Transport& transport,
               crypto::RandomSource& random = crypto::system_random())
      : config_(config), transport_(transport), random_(random) {}

  // Reads the card, checks the PIN on the card, has the card sign the server's challenge, signs in.
  [[nodiscard]] Result<SignedIn> sign_in(hardware::CardReader& card, std::string_view pin);
  // The open vote's ballot once it is out (waiting up to `wait`), checked: server signature, presidium quorum,
  // this session. nullopt when none came within the wait.
  [[nodiscard]] Result<std::optional<protocol::SignedBallot>> wait_for_ballot(std::chrono::milliseconds wait);
  // Encrypts the screen's choices, has the card sign, keeps the signed ballot (TerminalConfig::pending_store)
  // before sending it, casts (resending the same bytes on a lost connection), and checks the receipt: the
  // logged entry is this ballot, under a checkpoint signed by the log key. A failed cast keeps the ballot:
  // calling again with the same ballot definition resends the same bytes. The server's refusal (other than
  // internal) forgets it: the log does not hold it. Fails with wrong_state, sending nothing, while a ballot for
  // another definition is pending (resend_pending() first).
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

  TerminalConfig config_;
  Transport& transport_;
  crypto::RandomSource& random_;
  std::string deputy_id_;
  // A signed ballot sent but not yet confirmed by a verified receipt: resent as exactly these bytes (never a
  // new encryption) until one arrives, so a lost answer can neither lose the confirmation nor cast twice.
  std::optional<PendingCast> pending_;
  // The largest checkpoint seen in a verified receipt (in memory, from this terminal's start): every later
  // receipt's checkpoint must extend it.
  std::optional<audit::Checkpoint> last_checkpoint_;
};

}  // namespace hallvote::terminal
