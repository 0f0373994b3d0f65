// After the vote: the homomorphic tally, the trustees' partial decryptions, and the result by the rules engine
// (docs/protocol.md §4.3). Nobody ever decrypts a single ballot: only the per-selection sums are decrypted.
#include "casting.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/result_outcome.h"
#include "state.h"

namespace hallvote::server {

using protocol::ProtocolErrc;

Result<protocol::Tally> record_tally(HallServer::State& s, VoteRuntime& v) {
  protocol::BallotDefinition definition;
  std::vector<std::uint64_t> sequences;
  {
    std::lock_guard lock(s.mutex);
    definition = *v.prepared;
    for (const auto& [deputy, record] : v.cast) sequences.push_back(record.sequence);
  }
  std::size_t selections = 0;
  for (const auto& contest : definition.shape.contests) selections += contest.selections.size();
  std::vector<crypto::Ciphertext> tally(selections);
  for (std::uint64_t sequence : sequences) {
    auto bytes = s.log.entry(sequence);
    if (!bytes) return fail(ProtocolErrc::internal, "tally: " + bytes.error().message());
    auto entry = audit::decode(*bytes);
    if (!entry) return fail(ProtocolErrc::internal, "tally: " + entry.error().message());
    auto cast = protocol::decode_as<protocol::BallotCast>(entry->type, entry->payload);
    if (!cast)
      return fail(ProtocolErrc::internal,
                  "tally: entry " + std::to_string(sequence) + ": " + cast.error().detail);
    auto ballot = protocol::CastBallot::decode(cast->ballot, definition);
    if (!ballot)
      return fail(ProtocolErrc::internal,
                  "tally: ballot at " + std::to_string(sequence) + ": " + ballot.error().detail);
    std::size_t k = 0;
    for (const auto& contest : ballot->contests) {
      for (const auto& selection : contest.selections) tally[k++] += selection;
    }
  }
  protocol::Tally event{v.definition->id,
                        definition.shape.round,
                        static_cast<std::uint32_t>(sequences.size()),
                        protocol::tally_hash(tally),
                        {}};
  for (const auto& c : tally) {
    const auto bytes = c.encode();
    event.ciphertexts.emplace_back(bytes.begin(), bytes.end());
  }
  auto done = s.record(event);
  if (!done) return forward(done.error());
  return event;
}

Result<json> handle_tally(HallServer::State& s, const protocol::Peer&, const json& body) {
  std::lock_guard lock(s.mutex);
  auto it = s.votes.find(text_field(body, "vote_id"));
  if (it == s.votes.end()) return reject(ProtocolErrc::wrong_vote, text_field(body, "vote_id"));
  const VoteRuntime& v = it->second;
  if (v.tally.empty()) return reject(ProtocolErrc::wrong_state, "表决尚未计票 / the vote has not been tallied");
  json ciphertexts = json::array();
  for (const auto& c : v.tally) ciphertexts.push_back(crypto::to_hex(c.encode()));
  return json{{"vote_id", it->first},
              {"round", v.prepared->shape.round},
              {"base_hash", crypto::to_hex(v.base_hash)},
              {"ballots", v.cast.size()},
              {"ciphertexts", ciphertexts},
              {"shares", v.share_officials},
              {"quorum", s.session.key_committee.quorum}};
}

Result<json> handle_submit_share(HallServer::State& s, const protocol::Peer& peer, const json& body) {
  std::lock_guard control(s.control);
  const std::string official = text_field(body, "official_id");
  if (official != peer.id)
    return reject(ProtocolErrc::forbidden, "只能提交本人的份额 / submit only your own share");
  if (!s.options.threshold_key) {
    return reject(ProtocolErrc::wrong_state,
                  "服务器未加载密钥仪式结果 / the server has no key ceremony result");
  }
  const auto& members = s.session.key_committee.members;
  std::uint32_t index = 0;
  for (std::size_t m = 0; m < members.size(); ++m) {
    if (members[m].id == official) index = static_cast<std::uint32_t>(m + 1);
  }
  if (index == 0) return reject(ProtocolErrc::forbidden, "'" + official + "' 不是受托人 / not a trustee");
  auto bytes = crypto::from_hex(text_field(body, "share"));
  if (!bytes) return reject(ProtocolErrc::malformed, "submit_share.share");
  auto share = crypto::PartialDecryption::decode(*bytes);
  if (!share) return reject(ProtocolErrc::malformed, "submit_share.share: " + share.error().detail);

  VoteRuntime* v = nullptr;
  bool already_submitted = false;  // then only the combine is retried (a result append that failed before)
  std::vector<crypto::Ciphertext> tally;
  protocol::BaseHash base_hash{};
  {
    std::lock_guard lock(s.mutex);
    auto it = s.votes.find(text_field(body, "vote_id"));
    if (it == s.votes.end()) return reject(ProtocolErrc::wrong_vote, text_field(body, "vote_id"));
    v = &it->second;
    if (v->lifecycle.current().state != session::VoteState::tallied) {
      return reject(ProtocolErrc::wrong_state, "表决不在待解密状态 / the vote is not awaiting decryption");
    }
    for (const auto& who : v->share_officials) {
      if (who == official) already_submitted = true;
    }
    if (already_submitted && v->shares.size() < s.options.threshold_key->params.k) {
      return reject(ProtocolErrc::wrong_state, "份额已提交 / share already submitted");
    }
    tally = v->tally;
    base_hash = v->base_hash;
  }
  const std::string name = s.session.find_official(official)->name;
  if (!already_submitted && share->trustee != index) {
    return reject(ProtocolErrc::invalid_share, name + "：份额编号 " + std::to_string(share->trustee) +
                                                   " 与受托人序号 " + std::to_string(index) +
                                                   " 不符 / share index does not match");
  }
  if (!already_submitted) {
    if (auto ok = crypto::verify_partial(*s.options.threshold_key, base_hash, tally, *share); !ok) {
      return reject(ProtocolErrc::invalid_share, name + "（" + official + "）: " + ok.error().detail);
    }
    auto recorded =
        s.record(protocol::DecryptionShare{v->definition->id, official, index, crypto::sha256(*bytes), *bytes});
    if (!recorded) return forward(recorded.error());
  }

  std::vector<crypto::PartialDecryption> shares;
  session::RoundTally round;
  std::vector<session::RoundTally> rounds;
  std::vector<session::PresidiumDecision> decisions;
  protocol::BallotDefinition definition;
  {
    std::lock_guard lock(s.mutex);
    if (v->shares.size() < s.options.threshold_key->params.k) {
      return json{
          {"shares", v->shares.size()}, {"quorum", s.options.threshold_key->params.k}, {"decrypted", false}};
    }
    shares = v->shares;
    definition = *v->prepared;
    round.present = v->present_at_close;
    round.accounting.issued = static_cast<std::uint32_t>(v->issued.size());
    round.accounting.returned = static_cast<std::uint32_t>(v->cast.size());
    round.accounting.valid = round.accounting.returned;  // every accepted ballot's proofs were verified
    rounds = v->rounds;
    decisions = v->decisions;
  }
  crypto::CombineReport report;
  auto counts = crypto::combine_decryption(*s.options.threshold_key, base_hash, tally, shares,
                                           round.accounting.valid, &report);
  if (!counts) return fail(ProtocolErrc::internal, "combining: " + counts.error().detail);
  std::size_t k = 0;
  for (const auto& contest : definition.shape.contests) {
    std::vector<std::uint32_t> totals;
    for (std::size_t i = 0; i < contest.selections.size(); ++i)
      totals.push_back(static_cast<std::uint32_t>((*counts)[k++]));
    round.totals.push_back(std::move(totals));
  }
  rounds.push_back(round);
  auto result = session::compute_vote_result(s.session, v->definition->id, rounds, decisions);
  if (!result) return fail(ProtocolErrc::internal, "rules engine: " + result.error().message());
  std::vector<std::string> used;
  for (auto t : report.used) used.push_back(members[t - 1].id);
  const protocol::ResultOutcome outcome = protocol::result_outcome(s.session, round, *result, used);
  auto stored = s.record(protocol::ResultEntry{v->definition->id, outcome});
  if (!stored) return forward(stored.error());
  return json{{"shares", shares.size()},
              {"quorum", s.options.threshold_key->params.k},
              {"decrypted", true},
              {"result", outcome.to_json()}};
}

Result<json> handle_checkpoint(HallServer::State& s, const protocol::Peer&, const json& body) {
  const std::uint64_t size = s.log.size();
  if (auto ok = s.ensure_checkpoint(size - 1); !ok) return forward(ok.error());
  auto note = s.log.latest_checkpoint();
  if (!note) return fail(ProtocolErrc::internal, "checkpoint: " + note.error().message());
  json fields{{"note", *note}};
  auto parsed = audit::parse_note(*note);
  auto checkpoint =
      parsed ? audit::Checkpoint::parse(parsed->text) : Result<audit::Checkpoint>(forward(parsed.error()));
  if (!checkpoint) return fail(ProtocolErrc::internal, "checkpoint: " + checkpoint.error().message());
  // A cosigner that holds an earlier checkpoint checks that this one extends it (§4.5.7).
  if (auto ok = add_consistency(s, count_field(body, "known_size", 0), checkpoint->size, fields); !ok)
    return forward(ok.error());
  return fields;
}

Result<json> handle_cosign(HallServer::State& s, const protocol::Peer& peer, const json& body) {
  const std::string name = text_field(body, "name");
  // The cosigner key of official X is named "<log origin>/<X>": a member cosigns only under their own name.
  if (name.size() <= peer.id.size() ||
      name.compare(name.size() - peer.id.size() - 1, std::string::npos, "/" + peer.id) != 0) {
    return reject(ProtocolErrc::forbidden, "只能以本人名义联署 / cosign only under your own name");
  }
  auto signature = crypto::from_hex(text_field(body, "signature"));
  if (!signature) return reject(ProtocolErrc::malformed, "cosign.signature");
  const audit::NoteSignature cosignature{name, static_cast<std::uint32_t>(count_field(body, "key_id", 0)),
                                         *signature};
  if (auto ok = s.log.add_cosignature(count_field(body, "size", 0), cosignature); !ok) {
    return reject(ProtocolErrc::invalid_approval,
                  "联署签名无效 / cosignature refused: " + ok.error().message());
  }
  return json{{"cosigned", true}};
}

}  // namespace hallvote::server
