// Internal: what the cast and challenge handlers share (terminal_handlers.cc, challenge_handler.cc): the deputy
// lookup, the reservation of a deputy while their entry is written, the refusal record and the receipt answer.
#pragma once

#include <optional>
#include <string>

#include "hallvote/protocol/cast_ballot.h"
#include "state.h"

namespace hallvote::server {

// The deputy `id` if on the roster and in office, else nullptr.
[[nodiscard]] const session::Deputy* deputy_in_office(const HallServer::State& s, const std::string& id);

// Reserves a deputy while an issue, cast or challenge of theirs is being written, counted in the vote's
// in-flight writes (which hold and close wait for), and releases both on every path out of a handler.
// Construct with the mutex held; the destructor takes it.
class Reservation {
 public:
  Reservation(HallServer::State& s, VoteRuntime& v, std::string deputy, bool in_flight);
  ~Reservation();
  Reservation(const Reservation&) = delete;
  Reservation& operator=(const Reservation&) = delete;

 private:
  HallServer::State& s_;
  VoteRuntime& v_;
  std::string deputy_;
  bool in_flight_;
};

// What a refused cast or challenge is recorded under.
struct CastAttempt {
  std::string vote_id;
  std::string deputy_id = "unknown";
};

// Records a refused casting or challenging attempt in the log — individually, or counted towards the
// terminal's next summary (§4.2.6) — then returns the refusal. The refusal is the answer whether or not its
// record could be written: a failed append changes nothing, and the terminal is told the refusal, which is
// what it needs (the log is only missing the record of an attempt that changed nothing).
[[nodiscard]] Result<json> refuse(HallServer::State& s, const protocol::Peer& peer, const CastAttempt& attempt,
                                  const Error& error);

// The receipt answer for the entry of `record`; with `known_size` (the size of the checkpoint the terminal
// holds) between 0 and the receipt's checkpoint size exclusive, also the consistency proof between the two
// (§4.2.5 step 12).
[[nodiscard]] Result<json> receipt_fields(HallServer::State& s, const CastRecord& record,
                                          std::uint64_t known_size);

// ballot_challenged when any ciphertext of `ballot` is one of a ballot challenged in vote `v` (any round):
// its nonce is public. Precondition: mutex held.
[[nodiscard]] std::optional<Error> challenged_ciphertext(const VoteRuntime& v,
                                                         const protocol::CastBallot& ballot);

}  // namespace hallvote::server
