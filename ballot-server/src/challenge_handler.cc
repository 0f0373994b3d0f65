// 核验此票 (cast-or-challenge): a seat terminal reveals the nonces and choices of a prepared ballot instead of
// casting it; the server checks that they reproduce every ciphertext and logs the ballot as challenged, never
// to be counted or cast. docs/protocol.md §4.2.7, docs/crypto.md §5.6.
#include "casting.h"
#include "hallvote/protocol/ballot_challenge.h"

namespace hallvote::server {

using protocol::ProtocolErrc;

std::optional<Error> challenged_ciphertext(const VoteRuntime& v, const protocol::CastBallot& ballot) {
  for (const auto& key : protocol::ciphertext_keys(ballot)) {
    if (v.challenged_ciphertexts.count(key) != 0) {
      return Error{make_error_code(ProtocolErrc::ballot_challenged),
                   "选票含已核验公开的密文 / the ballot holds a ciphertext of a challenged ballot (" +
                       ballot.deputy_id + ")"};
    }
  }
  return std::nullopt;
}

Result<json> handle_challenge_ballot(HallServer::State& s, const protocol::Peer& peer, const json& body) {
  auto request = parse_ballot_request(body, "challenge_ballot");
  if (!request) return refuse(s, peer, CastAttempt{text_field(body, "vote_id")}, request.error());
  auto reveal = protocol::ChallengeReveal::from_json(body, "challenge_ballot");
  if (!reveal) return refuse(s, peer, request->attempt, reveal.error());
  // A challenge the log already holds is answered with its receipt (a terminal that lost the answer resends the
  // identical request); nothing is recorded again.
  if (auto answer = check_ballot_request(s, peer, *request, &VoteRuntime::challenged)) return *answer;
  const CastAttempt& attempt = request->attempt;
  const std::uint64_t known_size = request->known_size;
  const std::string& hash_hex = request->hash_hex;
  const auto& definition = request->definition;
  const auto& ballot = request->ballot;
  const auto& credential = request->credential;
  std::unique_lock lock(s.mutex);
  VoteRuntime& v = s.votes.at(attempt.vote_id);
  s.changed.wait(lock, [&] { return v.reserved.count(ballot->deputy_id) == 0; });
  if (auto known = v.challenged.find(hash_hex); known != v.challenged.end()) {
    const CastRecord record = known->second;
    lock.unlock();
    return receipt_fields(s, record, known_size);
  }
  const auto state = v.lifecycle.current().state;
  if (state != session::VoteState::open || v.closing || v.prepared->base_hash() != definition->base_hash()) {
    lock.unlock();
    return refuse(s, peer, attempt,
                  Error{make_error_code(ProtocolErrc::wrong_state),
                        "表决" + std::string(session::display_name_zh(state)) + "，不接受核验 / vote " +
                            std::string(session::to_string(state)) + ", challenges not accepted"});
  }
  auto error_now = [&]() -> std::optional<Error> {
    auto where = s.signed_in.find(ballot->deputy_id);
    if (where == s.signed_in.end() || where->second != peer.id)
      return Error{make_error_code(ProtocolErrc::not_signed_in), ballot->deputy_id};
    if (v.issued.count(ballot->deputy_id) == 0)
      return Error{make_error_code(ProtocolErrc::not_issued), ballot->deputy_id};
    // Whatever the replacement rule: the nonces of a ballot that may count are never revealed, and a deputy
    // who has cast has nothing left to check before casting.
    if (v.cast.count(ballot->deputy_id) != 0) {
      return Error{
          make_error_code(ProtocolErrc::already_cast),
          "已投票，不能再核验 / already cast; a challenge comes before the cast (" + ballot->deputy_id + ")"};
    }
    if (v.by_ballot_hash.count(hash_hex) != 0)
      return Error{make_error_code(ProtocolErrc::already_cast), "this ballot was cast"};
    if (auto revealed = challenged_ciphertext(v, *ballot)) return *revealed;
    return std::nullopt;
  }();
  if (error_now) {
    lock.unlock();
    return refuse(s, peer, attempt, *error_now);
  }
  Reservation reservation(s, v, ballot->deputy_id, /*in_flight=*/true);
  lock.unlock();

  // The same proofs a cast must carry (a challenged ballot is one that could have been cast), then the reveal.
  if (auto ok = protocol::verify_cast_ballot(*definition, *credential, *ballot); !ok)
    return refuse(s, peer, attempt, ok.error());
  if (auto ok = protocol::verify_reveal(*definition, *ballot, *reveal); !ok)
    return refuse(s, peer, attempt, ok.error());
  const protocol::BallotChallenged event{
      attempt.vote_id,           ballot->round,      ballot->deputy_id, peer.id, request->hash,
      std::move(request->bytes), request->signature, std::move(*reveal)};
  auto appended = s.append(event);
  if (!appended) return forward(appended.error());
  CastRecord record;
  Status applied;
  {
    std::lock_guard relock(s.mutex);
    applied = s.apply(event, appended->sequence);
    if (applied) record = v.challenged.at(hash_hex);
  }  // released before the reservation, whose release takes the lock
  if (!applied) return forward(applied.error());
  return receipt_fields(s, record, known_size);
}

}  // namespace hallvote::server
