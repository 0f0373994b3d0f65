#include "hallvote/protocol/cast_ballot.h"

#include "hallvote/crypto/batch_verifier.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/crypto/secret.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::protocol {
namespace {

constexpr std::string_view kMagic = "HVB1";
constexpr std::size_t kMaxString = 256;

crypto::ContestShape shape_of(const session::Contest& contest) {
  return {contest.selections.size(), contest.min_selected, contest.max_selected};
}

void put_string(crypto::Bytes& out, std::string_view text) {
  crypto::append_u32_be(out, static_cast<std::uint32_t>(text.size()));
  out.insert(out.end(), text.begin(), text.end());
}

void put_blob(crypto::Bytes& out, const crypto::Bytes& blob) {
  crypto::append_u32_be(out, static_cast<std::uint32_t>(blob.size()));
  out.insert(out.end(), blob.begin(), blob.end());
}

// Reads the fields of an encoded ballot in order; every failure names the field.
class Reader {
 public:
  explicit Reader(crypto::ByteView bytes) : bytes_(bytes) {}

  Result<crypto::ByteView> take(std::size_t n, const char* what) {
    if (bytes_.size() - at_ < n)
      return fail(ProtocolErrc::malformed, std::string("ballot ") + what + ": truncated");
    crypto::ByteView out = bytes_.subspan(at_, n);
    at_ += n;
    return out;
  }
  Result<std::uint32_t> u32(const char* what) {
    auto b = take(4, what);
    if (!b) return forward(b.error());
    return (std::uint32_t{(*b)[0]} << 24) | (std::uint32_t{(*b)[1]} << 16) | (std::uint32_t{(*b)[2]} << 8) |
           (*b)[3];
  }
  Result<std::string> string(const char* what) {
    auto n = u32(what);
    if (!n) return forward(n.error());
    if (*n > kMaxString) return fail(ProtocolErrc::malformed, std::string("ballot ") + what + ": too long");
    auto b = take(*n, what);
    if (!b) return forward(b.error());
    return std::string(b->begin(), b->end());
  }
  Result<crypto::ByteView> blob(const char* what) {
    auto n = u32(what);
    if (!n) return forward(n.error());
    return take(*n, what);
  }
  [[nodiscard]] bool at_end() const { return at_ == bytes_.size(); }

 private:
  crypto::ByteView bytes_;
  std::size_t at_ = 0;
};

std::string contest_name(const session::Contest& contest) { return "contest '" + contest.id + "'"; }

// The indices (contest, selection) of the selections the aggregate limit counts.
std::vector<std::pair<std::size_t, std::size_t>> aggregate_positions(const BallotDefinition& d) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (!d.shape.aggregate_limit) return out;
  for (std::size_t c = 0; c < d.shape.contests.size(); ++c) {
    const auto& selections = d.shape.contests[c].selections;
    for (std::size_t s = 0; s < selections.size(); ++s) {
      if (selections[s].id == d.shape.aggregate_limit->selection_id) out.emplace_back(c, s);
    }
  }
  return out;
}

std::string aggregate_label(const BallotDefinition& d) { return d.shape.vote_id + "/aggregate"; }

crypto::Ciphertext aggregate_sum(const std::vector<crypto::EncryptedContest>& contests,
                                 const std::vector<std::pair<std::size_t, std::size_t>>& positions) {
  crypto::Ciphertext sum = crypto::Ciphertext::zero();
  for (auto [c, s] : positions) sum += contests[c].selections[s];
  return sum;
}

}  // namespace

crypto::Bytes CastBallot::encode() const {
  crypto::Bytes out(kMagic.begin(), kMagic.end());
  put_string(out, vote_id);
  crypto::append_u32_be(out, round);
  put_string(out, deputy_id);
  out.insert(out.end(), base_hash.begin(), base_hash.end());
  crypto::append_u32_be(out, static_cast<std::uint32_t>(contests.size()));
  for (const auto& contest : contests) put_blob(out, contest.encode());
  out.push_back(aggregate_proof ? 1 : 0);
  if (aggregate_proof) put_blob(out, aggregate_proof->encode());
  return out;
}

namespace {

// Reads the magic and the header fields into `ballot`.
Status read_header(Reader& reader, CastBallot& ballot) {
  auto magic = reader.take(kMagic.size(), "magic");
  if (!magic || !std::equal(kMagic.begin(), kMagic.end(), magic->begin())) {
    return fail(ProtocolErrc::malformed, "not an encrypted ballot (magic HVB1 missing)");
  }
  auto vote_id = reader.string("vote_id");
  if (!vote_id) return forward(vote_id.error());
  auto round = reader.u32("round");
  if (!round) return forward(round.error());
  auto deputy = reader.string("deputy_id");
  if (!deputy) return forward(deputy.error());
  auto hash = reader.take(32, "base_hash");
  if (!hash) return forward(hash.error());
  ballot.vote_id = *vote_id;
  ballot.round = *round;
  ballot.deputy_id = *deputy;
  std::copy(hash->begin(), hash->end(), ballot.base_hash.begin());
  return {};
}

}  // namespace

Result<CastBallot> CastBallot::decode_header(crypto::ByteView bytes) {
  Reader reader(bytes);
  CastBallot ballot;
  if (auto ok = read_header(reader, ballot); !ok) return forward(ok.error());
  return ballot;
}

Result<CastBallot> CastBallot::decode(crypto::ByteView bytes, const BallotDefinition& definition) {
  Reader reader(bytes);
  CastBallot ballot;
  if (auto ok = read_header(reader, ballot); !ok) return forward(ok.error());
  if (ballot.vote_id != definition.shape.vote_id || ballot.round != definition.shape.round ||
      ballot.base_hash != definition.base_hash()) {
    return fail(ProtocolErrc::wrong_vote, "选票属于 " + ballot.vote_id + " 第" + std::to_string(ballot.round) +
                                              "轮，当前为 " + definition.shape.vote_id + " 第" +
                                              std::to_string(definition.shape.round) +
                                              "轮 / ballot for another vote, "
                                              "round or ballot definition");
  }
  auto count = reader.u32("contest count");
  if (!count) return forward(count.error());
  if (*count != definition.shape.contests.size()) {
    return fail(ProtocolErrc::malformed, "ballot has " + std::to_string(*count) + " contests, the definition " +
                                             std::to_string(definition.shape.contests.size()));
  }
  for (const auto& contest : definition.shape.contests) {
    auto blob = reader.blob("contest");
    if (!blob) return forward(blob.error());
    auto decoded = crypto::EncryptedContest::decode(*blob, shape_of(contest));
    if (!decoded) return fail(ProtocolErrc::malformed, contest_name(contest) + ": " + decoded.error().detail);
    ballot.contests.push_back(std::move(*decoded));
  }
  auto flag = reader.take(1, "aggregate flag");
  if (!flag) return forward(flag.error());
  const bool expects_aggregate = definition.shape.aggregate_limit.has_value();
  if ((*flag)[0] != (expects_aggregate ? 1 : 0)) {
    return fail(ProtocolErrc::malformed, "ballot aggregate proof present/absent against the definition");
  }
  if (expects_aggregate) {
    auto blob = reader.blob("aggregate proof");
    if (!blob) return forward(blob.error());
    auto proof =
        crypto::RangeProof::decode(*blob, definition.shape.aggregate_limit->max_total + std::size_t{1});
    if (!proof) return fail(ProtocolErrc::malformed, "aggregate proof: " + proof.error().detail);
    ballot.aggregate_proof = std::move(*proof);
  }
  if (!reader.at_end()) return fail(ProtocolErrc::malformed, "trailing bytes after the ballot");
  return ballot;
}

crypto::Bytes cast_signing_message(crypto::ByteView encoded_ballot) {
  const auto digest = crypto::HashInput("cast-ballot").add(encoded_ballot).sha256();
  return {digest.begin(), digest.end()};
}

crypto::Sha256Digest ballot_hash(crypto::ByteView encoded_ballot, const crypto::Signature& signature) {
  return crypto::HashInput("ballot-hash").add(encoded_ballot).add(signature).sha256();
}

crypto::Sha256Digest tally_hash(std::span<const crypto::Ciphertext> tally) {
  crypto::HashInput input("tally");
  for (const auto& c : tally) input.add(c.encode());
  return input.sha256();
}

std::string confirmation_code(const crypto::Sha256Digest& hash) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford: no I, L, O, U
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t byte = 0;
  for (int symbol = 0; symbol < 16; ++symbol) {
    while (bits < 5) {
      buffer = (buffer << 8) | hash[byte++];
      bits += 8;
    }
    out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
    bits -= 5;
    if (symbol % 4 == 3 && symbol != 15) out.push_back('-');
  }
  return out;
}

Result<CastBallot> encrypt_ballot(const BallotDefinition& definition, std::string deputy_id,
                                  const crypto::VerifyKey& voter, const Choices& choices,
                                  crypto::RandomSource& random, BallotNonces* nonces_out) {
  if (choices.size() != definition.shape.contests.size()) {
    return fail(ProtocolErrc::invalid_ballot, std::to_string(choices.size()) +
                                                  " contests answered, the ballot has " +
                                                  std::to_string(definition.shape.contests.size()));
  }
  auto key = crypto::ElectionKey::decode(definition.election_key);
  if (!key) return fail(ProtocolErrc::malformed, "election key: " + key.error().detail);
  CastBallot ballot;
  ballot.vote_id = definition.shape.vote_id;
  ballot.round = definition.shape.round;
  ballot.deputy_id = std::move(deputy_id);
  ballot.base_hash = definition.base_hash();
  const crypto::ProofContext context{ballot.base_hash, *key, voter.bytes()};
  std::vector<std::vector<crypto::SecretScalar>> nonces(choices.size());
  for (std::size_t c = 0; c < choices.size(); ++c) {
    const auto& contest = definition.shape.contests[c];
    auto encrypted =
        crypto::encrypt_contest(context, contest.id, shape_of(contest), choices[c], random, &nonces[c]);
    if (!encrypted)
      return fail(ProtocolErrc::invalid_ballot, contest_name(contest) + ": " + encrypted.error().detail);
    ballot.contests.push_back(std::move(*encrypted));
  }
  if (definition.shape.aggregate_limit) {
    // "At most k 满意": a range proof [0, k] over the sum of the counted selections of all contests, whose
    // nonce is the sum of theirs.
    const auto positions = aggregate_positions(definition);
    std::uint64_t total = 0;
    crypto::SecretScalar nonce_sum;
    for (auto [c, s] : positions) {
      total += choices[c][s];
      nonce_sum = crypto::SecretScalar(nonce_sum.reveal() + nonces[c][s].reveal());
    }
    if (total > definition.shape.aggregate_limit->max_total) {
      return fail(ProtocolErrc::invalid_ballot,
                  "选择“" + definition.shape.aggregate_limit->selection_id + "”共 " + std::to_string(total) +
                      " 项，最多 " + std::to_string(definition.shape.aggregate_limit->max_total) +
                      " 项 / aggregate limit exceeded");
    }
    ballot.aggregate_proof =
        crypto::prove_range(context, {aggregate_label(definition), crypto::ProofLabel::kSumPosition},
                            aggregate_sum(ballot.contests, positions), total, nonce_sum.reveal(), 0,
                            definition.shape.aggregate_limit->max_total, random);
  }
  if (nonces_out != nullptr) *nonces_out = std::move(nonces);
  return ballot;
}

Status verify_cast_ballot(const BallotDefinition& definition, const crypto::VerifyKey& voter,
                          const CastBallot& ballot) {
  if (ballot.vote_id != definition.shape.vote_id || ballot.round != definition.shape.round ||
      ballot.base_hash != definition.base_hash()) {
    return fail(ProtocolErrc::wrong_vote, "ballot for another vote, round or ballot definition");
  }
  if (ballot.contests.size() != definition.shape.contests.size()) {
    return fail(ProtocolErrc::invalid_ballot, "wrong number of contests");
  }
  auto key = crypto::ElectionKey::decode(definition.election_key);
  if (!key) return fail(ProtocolErrc::malformed, "election key: " + key.error().detail);
  const crypto::ProofContext context{ballot.base_hash, *key, voter.bytes()};
  crypto::BatchVerifier batch(&key->table());
  for (std::size_t c = 0; c < ballot.contests.size(); ++c) {
    const auto& contest = definition.shape.contests[c];
    if (auto ok = crypto::add_contest(batch, context, contest.id, shape_of(contest), ballot.contests[c]); !ok) {
      return fail(ProtocolErrc::invalid_ballot, contest_name(contest) + ": " + ok.error().detail);
    }
  }
  if (definition.shape.aggregate_limit) {
    if (!ballot.aggregate_proof) return fail(ProtocolErrc::invalid_ballot, "aggregate proof missing");
    const crypto::Ciphertext sum = aggregate_sum(ballot.contests, aggregate_positions(definition));
    if (auto ok = crypto::add_range_proof(
            batch, context, {aggregate_label(definition), crypto::ProofLabel::kSumPosition}, sum, 0,
            definition.shape.aggregate_limit->max_total, *ballot.aggregate_proof);
        !ok) {
      return fail(ProtocolErrc::invalid_ballot, "aggregate proof: " + ok.error().detail);
    }
  }
  if (batch.holds()) return {};
  // Name the culprit contest.
  for (std::size_t c = 0; c < ballot.contests.size(); ++c) {
    const auto& contest = definition.shape.contests[c];
    if (auto ok = crypto::verify_contest(context, contest.id, shape_of(contest), ballot.contests[c]); !ok) {
      return fail(ProtocolErrc::invalid_ballot, contest_name(contest) + ": " + ok.error().detail);
    }
  }
  return fail(ProtocolErrc::invalid_ballot, "aggregate proof: range proof equations do not hold");
}

}  // namespace hallvote::protocol
