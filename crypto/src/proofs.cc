#include "hallvote/crypto/proofs.h"

#include <cstdlib>

#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/hash.h"
#include "wire.h"

namespace hallvote::crypto {
namespace {

Scalar range_challenge(const ProofContext& context, const ProofLabel& label, const Ciphertext& ciphertext,
                       std::uint64_t low, std::uint64_t high, const std::vector<RangeProof::Branch>& branches) {
  HashInput input("range-proof");
  input.add(context.base_hash)
      .add(context.key.encode())
      .add(context.voter)
      .add(label.contest)
      .add_u64(label.position)
      .add_u64(low)
      .add_u64(high)
      .add(ciphertext.alpha.encode())
      .add(ciphertext.beta.encode());
  for (const auto& branch : branches) input.add(branch.a.encode()).add(branch.b.encode());
  return Scalar::challenge(input);
}

Scalar equality_challenge(const EqualityStatement& statement, const Point& a, const Point& b) {
  return Scalar::challenge(HashInput("equality-proof")
                               .add(statement.binding)
                               .add(statement.x_public.encode())
                               .add(statement.base.encode())
                               .add(statement.result.encode())
                               .add(a.encode())
                               .add(b.encode()));
}

Scalar schnorr_challenge(ByteView binding, const Point& x_public, const Point& commitment) {
  return Scalar::challenge(
      HashInput("schnorr-proof").add(binding).add(x_public.encode()).add(commitment.encode()));
}

}  // namespace

// ---- RangeProof ------------------------------------------------------------------------------------------

Bytes RangeProof::encode() const {
  Bytes out;
  out.reserve(branches.size() * kBranchBytes);
  for (const auto& branch : branches) {
    wire::put(out, branch.a);
    wire::put(out, branch.b);
    wire::put(out, branch.challenge);
    wire::put(out, branch.response);
  }
  return out;
}

Result<RangeProof> RangeProof::decode(ByteView bytes, std::size_t branch_count) {
  if (bytes.size() != branch_count * kBranchBytes) {
    return fail(CryptoErrc::invalid_encoding, "range proof of " + std::to_string(branch_count) + " branches must be " +
                                                  std::to_string(branch_count * kBranchBytes) + " bytes, got " +
                                                  std::to_string(bytes.size()));
  }
  RangeProof proof;
  proof.branches.reserve(branch_count);
  wire::Reader reader(bytes);
  for (std::size_t j = 0; j < branch_count; ++j) {
    const std::string where = "range proof branch " + std::to_string(j);
    auto a = reader.point(where + " a");
    auto b = reader.point(where + " b");
    auto c = reader.scalar(where + " challenge");
    auto v = reader.scalar(where + " response");
    if (!a) return forward(a.error());
    if (!b) return forward(b.error());
    if (!c) return forward(c.error());
    if (!v) return forward(v.error());
    proof.branches.push_back({*a, *b, *c, *v});
  }
  return proof;
}

RangeProof prove_range(const ProofContext& context, const ProofLabel& label, const Ciphertext& ciphertext,
                       std::uint64_t message, const Scalar& nonce, std::uint64_t low, std::uint64_t high,
                       RandomSource& random) {
  if (low > high || high - low >= 64 || message < low || message > high || context.base_hash.size() != 32 ||
      context.voter.size() != 32) {
    std::abort();
  }
  const std::size_t count = static_cast<std::size_t>(high - low + 1);
  const std::size_t real = static_cast<std::size_t>(message - low);
  const FixedBase& key = context.key.table();
  const SecretScalar m(Scalar::from_u64(message));

  RangeProof proof;
  proof.branches.resize(count);
  const SecretScalar w = SecretScalar::random(random);
  for (std::size_t j = 0; j < count; ++j) {
    auto& branch = proof.branches[j];
    // Every branch runs the same constant-time multiplications, so timing does not tell the real one:
    //   real:      a = w·B,  b = w·K − 0·B
    //   simulated: a = v·B − c·α = (v − c·r)·B,  b = v·K − c·(β − j·B) = (v − c·r)·K − c·(m − j)·B
    // (fixed-base only, because the prover knows the nonce r).
    // Every branch draws its challenge and response (the real branch's are replaced below) and computes both
    // candidates; constant-time selection picks, so neither the random source nor the arithmetic tells.
    const bool is_real = j == real;
    branch.challenge = Scalar::random(random);
    branch.response = Scalar::random(random);
    const SecretScalar simulated_t(branch.response - branch.challenge * nonce);
    const SecretScalar simulated_s(branch.challenge * (m.reveal() - Scalar::from_u64(low + j)));
    const SecretScalar t(Scalar::select(simulated_t.reveal(), w.reveal(), is_real));
    const SecretScalar s(Scalar::select(simulated_s.reveal(), Scalar(), is_real));
    branch.a = Point::base_mul(t.reveal());
    branch.b = key.mul(t.reveal()) - Point::base_mul(s.reveal());
  }
  Scalar real_challenge = range_challenge(context, label, ciphertext, low, high, proof.branches);
  for (std::size_t j = 0; j < count; ++j) {
    real_challenge = real_challenge - Scalar::select(proof.branches[j].challenge, Scalar(), j == real);
  }
  proof.branches[real].challenge = real_challenge;
  proof.branches[real].response = w.reveal() + real_challenge * nonce;
  return proof;
}

Status add_range_proof(BatchVerifier& batch, const ProofContext& context, const ProofLabel& label,
                       const Ciphertext& ciphertext, std::uint64_t low, std::uint64_t high, const RangeProof& proof) {
  if (context.base_hash.size() != 32 || context.voter.size() != 32) {
    return fail(CryptoErrc::invalid_encoding, "proof context: base hash and voter key must be 32 bytes each");
  }
  if (low > high || high - low >= 64 || proof.branches.size() != high - low + 1) {
    return fail(CryptoErrc::invalid_proof, "range proof has " + std::to_string(proof.branches.size()) +
                                               " branches for the range [" + std::to_string(low) + ", " +
                                               std::to_string(high) + "]");
  }
  Scalar challenge_sum;
  for (const auto& branch : proof.branches) challenge_sum += branch.challenge;
  if (!(challenge_sum == range_challenge(context, label, ciphertext, low, high, proof.branches))) {
    return fail(CryptoErrc::invalid_proof, "range proof challenges do not sum to the Fiat–Shamir challenge");
  }
  // Each equation is added as (commitment side) − (response side) = 0 so that the commitments, which are most of
  // the points, get the short 128-bit weights themselves (not their negations, which are full-width mod L).
  Scalar alpha_coefficient;
  Scalar beta_coefficient;
  for (std::size_t j = 0; j < proof.branches.size(); ++j) {
    const auto& branch = proof.branches[j];
    // a + c·α − v·B = 0
    const Scalar z1 = batch.next_weight();
    batch.add(z1, branch.a);
    alpha_coefficient += z1 * branch.challenge;
    batch.add_generator(-(z1 * branch.response));
    // b + c·β − c·j·B − v·K = 0
    const Scalar z2 = batch.next_weight();
    batch.add(z2, branch.b);
    beta_coefficient += z2 * branch.challenge;
    batch.add_generator(-(z2 * branch.challenge * Scalar::from_u64(low + j)));
    batch.add_fixed(-(z2 * branch.response));
  }
  batch.add(alpha_coefficient, ciphertext.alpha);
  batch.add(beta_coefficient, ciphertext.beta);
  return {};
}

Status verify_range(const ProofContext& context, const ProofLabel& label, const Ciphertext& ciphertext,
                    std::uint64_t low, std::uint64_t high, const RangeProof& proof) {
  BatchVerifier batch(&context.key.table());
  if (auto added = add_range_proof(batch, context, label, ciphertext, low, high, proof); !added) return added;
  if (!batch.holds()) return fail(CryptoErrc::invalid_proof, "range proof equations do not hold");
  return {};
}

// ---- EqualityProof ---------------------------------------------------------------------------------------

Bytes EqualityProof::encode() const {
  Bytes out;
  wire::put(out, a);
  wire::put(out, b);
  wire::put(out, response);
  return out;
}

Result<EqualityProof> EqualityProof::decode(ByteView bytes) {
  if (bytes.size() != kBytes) {
    return fail(CryptoErrc::invalid_encoding, "equality proof must be 96 bytes, got " + std::to_string(bytes.size()));
  }
  wire::Reader reader(bytes);
  auto a = reader.point("equality proof a");
  if (!a) return forward(a.error());
  auto b = reader.point("equality proof b");
  if (!b) return forward(b.error());
  auto v = reader.scalar("equality proof response");
  if (!v) return forward(v.error());
  return EqualityProof{*a, *b, *v};
}

EqualityProof prove_equality(const EqualityStatement& statement, const Scalar& secret, RandomSource& random) {
  const SecretScalar w = SecretScalar::random(random);
  EqualityProof proof{Point::base_mul(w.reveal()), w.reveal() * statement.base, Scalar()};
  proof.response = w.reveal() + equality_challenge(statement, proof.a, proof.b) * secret;
  return proof;
}

Status add_equality_proof(BatchVerifier& batch, const EqualityStatement& statement, const EqualityProof& proof) {
  const Scalar c = equality_challenge(statement, proof.a, proof.b);
  // a + c·X − v·B = 0 (commitments keep the short weights, as in add_range_proof)
  const Scalar z1 = batch.next_weight();
  batch.add(z1, proof.a);
  batch.add(z1 * c, statement.x_public);
  batch.add_generator(-(z1 * proof.response));
  // b + c·D − v·A = 0
  const Scalar z2 = batch.next_weight();
  batch.add(z2, proof.b);
  batch.add(z2 * c, statement.result);
  batch.add(-(z2 * proof.response), statement.base);
  return {};
}

Status verify_equality(const EqualityStatement& statement, const EqualityProof& proof) {
  BatchVerifier batch(nullptr);
  if (auto added = add_equality_proof(batch, statement, proof); !added) return added;
  if (!batch.holds()) return fail(CryptoErrc::invalid_proof, "Chaum–Pedersen equations do not hold");
  return {};
}

// ---- SchnorrProof ----------------------------------------------------------------------------------------

Bytes SchnorrProof::encode() const {
  Bytes out;
  wire::put(out, commitment);
  wire::put(out, response);
  return out;
}

Result<SchnorrProof> SchnorrProof::decode(ByteView bytes) {
  if (bytes.size() != kBytes) {
    return fail(CryptoErrc::invalid_encoding, "Schnorr proof must be 64 bytes, got " + std::to_string(bytes.size()));
  }
  wire::Reader reader(bytes);
  auto commitment = reader.point("Schnorr proof commitment");
  if (!commitment) return forward(commitment.error());
  auto response = reader.scalar("Schnorr proof response");
  if (!response) return forward(response.error());
  return SchnorrProof{*commitment, *response};
}

SchnorrProof prove_knowledge(ByteView binding, const Point& x_public, const Scalar& secret, RandomSource& random) {
  const SecretScalar w = SecretScalar::random(random);
  SchnorrProof proof{Point::base_mul(w.reveal()), Scalar()};
  proof.response = w.reveal() + schnorr_challenge(binding, x_public, proof.commitment) * secret;
  return proof;
}

Status verify_knowledge(ByteView binding, const Point& x_public, const SchnorrProof& proof) {
  const Scalar c = schnorr_challenge(binding, x_public, proof.commitment);
  if (!(Point::base_mul(proof.response) == proof.commitment + c * x_public)) {
    return fail(CryptoErrc::invalid_proof, "Schnorr proof equation does not hold");
  }
  return {};
}

}  // namespace hallvote::crypto
