// The ballot server's core: the session's state and every request's rules, with no network code
// (docs/protocol.md §4). The transport (hallvote::network) hands it authenticated frames; it answers them.
//
// Event sourcing: every accepted state change is first appended to the audit log — durably, before any answer —
// and only then applied to the in-memory state, by the same function that rebuilds the state from the log when
// the server starts. So a restart loses nothing that was acknowledged, and the state always equals the replay
// of the log.
//
// Thread safety: handle() may be called from many threads at once (it blocks on durable appends; concurrent
// appends share a commit). Chair and presidium commands are serialized among themselves; casting and issuing
// reserve the deputy while their entry is being written, and closing or holding a vote waits for casts in
// flight.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "hallvote/audit/log.h"
#include "hallvote/common/result.h"
#include "hallvote/crypto/random.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/protocol/messages.h"
#include "hallvote/protocol/session_record.h"
#include "hallvote/session/definition.h"

namespace hallvote::server {

// How refused casts of one terminal are logged and when the terminal is cut off (docs/protocol.md §4.2.6).
struct RefusalLimits {
  std::chrono::milliseconds window{60'000};     // refusals are counted per terminal in windows this long
  std::uint32_t logged_per_window = 10;         // the first ones of a window are logged one by one
  std::uint32_t cut_off_after = 100;            // this many in one window cut the terminal off (> logged)
  std::chrono::milliseconds cool_down{60'000};  // how long a cut-off terminal is refused and disconnected
};

struct HallServerOptions {
  const session::SessionDefinition* session = nullptr;  // validated; must outlive the server
  // The files and key overrides `session` was made of (= session_record->definition()); recorded in the log's
  // first entry so that an auditor rebuilds the same definition. Must outlive the server.
  const protocol::SessionRecord* session_record = nullptr;
  audit::AuditLog* log = nullptr;                  // the session's log, opened by the caller; must outlive
  const crypto::SigningKey* server_key = nullptr;  // signs log entries and issued ballots; must outlive
  std::array<std::uint8_t, 32> election_key{};     // the presidium's joint key from the key ceremony
  crypto::RandomSource* random = &crypto::system_random();
  std::uint32_t max_wait_ms = 30'000;  // longest long poll a terminal may ask for
  // The key ceremony's public result (election key and each trustee's public key share; trustee j is the j-th
  // member of the session's key committee). Without it closed votes are tallied but cannot be decrypted.
  std::optional<crypto::ThresholdKey> threshold_key;
  // Called when a round's certification completes, once a signed checkpoint covers it (the resolution records
  // need one), on the thread of that certify request and before its answer: e.g. hallvote-server writes the
  // records. Its text (where they went) is returned to the certifier as "records"; an error goes back as
  // "records_error" and does not undo the certification (the records can be regenerated from the log at any
  // time).
  std::function<Result<std::string>(const std::string& vote_id)> on_certified;
  RefusalLimits refusal_limits;
  // The time the refusal windows and cool-downs run on; injectable so that tests do not wait.
  std::function<std::chrono::steady_clock::time_point()> clock = [] {
    return std::chrono::steady_clock::now();
  };
};

class HallServer {
 public:
  // Replays the log to rebuild the state (or, for an empty log, appends session_opened). Fails when the log
  // belongs to another session or holds an entry the rules cannot apply, or with std::errc::invalid_argument
  // when refusal_limits are not positive or cut_off_after is not above logged_per_window.
  [[nodiscard]] static Result<std::unique_ptr<HallServer>> start(const HallServerOptions& options);
  ~HallServer();  // answers pending long polls, stops the sweeper
  HallServer(const HallServer&) = delete;
  HallServer& operator=(const HallServer&) = delete;

  using Respond = std::function<void(crypto::Bytes)>;
  // Handles one request frame from `peer` and calls `respond` exactly once with the response frame — at once,
  // or later for a long poll (fetch_ballot while no vote is open). Never throws.
  void handle(const protocol::Peer& peer, crypto::ByteView frame, Respond respond);
  // The terminal's connection ended: its sign-in challenge is forgotten.
  void disconnected(const protocol::Peer& peer);
  // True while `peer` is a terminal cut off for too many refused casts (§4.2.6): the transport closes its
  // connections instead of delivering the answers handle() gives it meanwhile (forbidden).
  [[nodiscard]] bool cut_off(const protocol::Peer& peer) const;

  struct Snapshot {
    std::uint32_t in_office = 0;
    std::uint32_t present = 0;
    bool quorum_met = false;
    std::uint64_t log_size = 0;
  };
  [[nodiscard]] Snapshot snapshot() const;

  struct State;  // private; defined in hall_server.cc

 private:
  explicit HallServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace hallvote::server
