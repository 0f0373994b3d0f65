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

// Adds to `fields` the consistency proof (hex hashes, "consistency") from the tree of `known_size` entries to
// that of `size`, when 0 < known_size < size: for a terminal's receipt and a cosigner's checkpoint alike.
[[nodiscard]] Status add_consistency(HallServer::State& s, std::uint64_t known_size, std::uint64_t size,
                                     json& fields);

// The ballot of a cast or challenge_ballot request, parsed and checked as both requests check it before they
// take the vote's lock (check_ballot_request).
struct BallotRequest {
  CastAttempt attempt;
  std::uint64_t known_size = 0;  // the size of the checkpoint the terminal holds (0: none)
  crypto::Bytes bytes;
  crypto::Signature signature{};
  crypto::Sha256Digest hash{};
  std::string hash_hex;
  std::optional<protocol::BallotDefinition> definition;  // set once checked
  std::optional<protocol::CastBallot> ballot;            // decoded, its deputy's card signature verified
  std::optional<crypto::VerifyKey> credential;           // the deputy's card key
};

// Parses the request's vote_id, known_size, ballot and signature; malformed (naming `request`, the message
// name) when vote_id, ballot or signature is missing or not of its form. The caller refuses with it.
[[nodiscard]] Result<BallotRequest> parse_ballot_request(const json& body, std::string_view request);

// Where a request's entries are found by ballot hash: VoteRuntime::by_ballot_hash (cast) or
// VoteRuntime::challenged (challenge_ballot).
using RecordsByHash = std::map<std::string, CastRecord> VoteRuntime::*;

// The checks a cast and a challenge share before the vote's lock, in this order: an entry of the request's
// kind that the log already holds for this ballot hash is answered with its receipt, whatever the vote's state
// now (a resend); then wrong_vote (no ballot prepared for the vote), the ballot's decoding against the vote's
// definition, unknown_deputy (not in office) and wrong_credential (not signed by the deputy's card), each
// refused and recorded (refuse()). Returns the answer to give now, or nullopt with `request` checked (its
// definition, ballot and credential set). Takes the mutex itself; call without it.
[[nodiscard]] std::optional<Result<json>> check_ballot_request(HallServer::State& s, const protocol::Peer& peer,
                                                               BallotRequest& request, RecordsByHash recorded);

// ballot_challenged when any ciphertext of `ballot` is one of a ballot challenged in vote `v` (any round):
// its nonce is public. Precondition: mutex held.
[[nodiscard]] std::optional<Error> challenged_ciphertext(const VoteRuntime& v,
                                                         const protocol::CastBallot& ballot);

}  // namespace hallvote::server
