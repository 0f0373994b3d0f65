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
  // Encrypts the screen's choices, has the card sign, casts (resending the same bytes on a lost connection),
  // and checks the receipt: the logged entry is this ballot, under a checkpoint signed by the log key.
  [[nodiscard]] Result<CastReceipt> cast(const BallotScreen& screen, hardware::CardReader& card);
  // A status request (session, 应到/实到, open vote).
  [[nodiscard]] Result<nlohmann::json> status();

 private:
  [[nodiscard]] Result<protocol::Response> request(
      protocol::MessageType type, nlohmann::json fields,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // A signed ballot sent but not yet confirmed by a verified receipt: cast() resends exactly these bytes (never
  // a new encryption) until one arrives, so a lost answer can neither lose the confirmation nor cast twice.
  struct PendingCast {
    protocol::BaseHash base_hash{};
    std::string deputy_id;
    crypto::Bytes ballot;
    crypto::Signature signature{};
  };

  TerminalConfig config_;
  Transport& transport_;
  crypto::RandomSource& random_;
  std::string deputy_id_;
  std::optional<PendingCast> pending_;
};

}  // namespace hallvote::terminal
