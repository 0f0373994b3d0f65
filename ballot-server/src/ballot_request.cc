// The checks a cast (terminal_handlers.cc) and a challenge (challenge_handler.cc) share before the vote's lock:
// the request's fields, a resend of an entry already logged, the vote's definition, the deputy and their card's
// signature. docs/protocol.md §4.2.5, §4.2.7.
#include "casting.h"

namespace hallvote::server {

using protocol::ProtocolErrc;

Result<BallotRequest> parse_ballot_request(const json& body, std::string_view request) {
  BallotRequest parsed;
  parsed.attempt.vote_id = text_field(body, "vote_id");
  parsed.known_size = count_field(body, "known_size", 0);
  auto bytes = crypto::from_hex(text_field(body, "ballot"));
  auto signature = crypto::from_hex_fixed<64>(text_field(body, "signature"));
  if (parsed.attempt.vote_id.empty() || !bytes || bytes->empty() || !signature) {
    return fail(ProtocolErrc::malformed, std::string(request) + ": vote_id, ballot, signature");
  }
  parsed.bytes = std::move(*bytes);
  parsed.signature = *signature;
  parsed.hash = protocol::ballot_hash(parsed.bytes, parsed.signature);
  parsed.hash_hex = crypto::to_hex(parsed.hash);
  return parsed;
}

std::optional<Result<json>> check_ballot_request(HallServer::State& s, const protocol::Peer& peer,
                                                 BallotRequest& request, RecordsByHash recorded) {
  CastAttempt& attempt = request.attempt;
  {
    std::unique_lock lock(s.mutex);
    auto it = s.votes.find(attempt.vote_id);
    if (it != s.votes.end()) {
      // The hash binds bytes and signature, both checked when the entry was written: nothing to check again,
      // nothing recorded again.
      const auto& records = it->second.*recorded;
      if (auto known = records.find(request.hash_hex); known != records.end()) {
        const CastRecord record = known->second;
        lock.unlock();
        return receipt_fields(s, record, request.known_size);
      }
      if (it->second.prepared) request.definition = *it->second.prepared;
    }
  }
  if (!request.definition)
    return refuse(s, peer, attempt, Error{make_error_code(ProtocolErrc::wrong_vote), attempt.vote_id});
  auto ballot = protocol::CastBallot::decode(request.bytes, *request.definition);
  if (!ballot) return refuse(s, peer, attempt, ballot.error());
  attempt.deputy_id = ballot->deputy_id;
  const auto* deputy = deputy_in_office(s, ballot->deputy_id);
  if (deputy == nullptr)
    return refuse(s, peer, attempt, Error{make_error_code(ProtocolErrc::unknown_deputy), ballot->deputy_id});
  auto credential = crypto::VerifyKey::from_hex(deputy->credential_key);
  if (!credential || !credential->verify(protocol::cast_signing_message(request.bytes), request.signature)) {
    return refuse(s, peer, attempt, Error{make_error_code(ProtocolErrc::wrong_credential), ballot->deputy_id});
  }
  request.ballot = std::move(*ballot);
  request.credential = *credential;
  return std::nullopt;
}

}  // namespace hallvote::server
