#include "hallvote/crypto/proofs.h"

#include <cstdlib>

#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/hash.h"
#include "range_prover.h"
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
    return fail(CryptoErrc::invalid_encoding, "range proof of " + std::to_string(branch_count) +
                                                  " branches must be " +
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

namespace detail {

RangeProver::RangeProver(const ProofContext& context, std::uint64_t message, const Scalar& nonce,
                         std::uint64_t low, std::uint64_t high, RandomSource& random)
    : context_(context), low_(low), high_(high), real_(0), nonce_(nonce) {
  if (low > high || high - low >= 64 || message < low || message > high || context.base_hash.size() != 32 ||
      context.voter.size() != 32) {
    std::abort();
  }
  const std::size_t count = static_cast<std::size_t>(high - low + 1);
  real_ = static_cast<std::size_t>(message - low);
  const FixedBase& key = context.key.table();
  const SecretScalar m(Scalar::from_u64(message));
  w_ = SecretScalar::random(random);
  proof_.branches.resize(count);
  // Every branch runs the same constant-time operations, so timing does not tell the real one:
  //   real:      a = w·B,  b = w·K − 0·B
  //   simulated: a = v·B − c·α = (v − c·r)·B,  b = v·K − c·(β − j·B) = (v − c·r)·K − c·(m − j)·B
  // (fixed-base only, because the prover knows the nonce r), each at half scale: the points computed here are
  // a/2 and b/2, doubled and encoded in one batch by the caller (Point::double_and_encode).
  // Every branch draws its challenge and response (the real branch's are replaced in finish()) and computes
  // both candidates; constant-time selection (libdecaf cond_sel, no branch) picks, so neither the random source
  // nor the arithmetic tells. `j == real_` compares a public index with the secret one: a flag, never an
  // address.
  std::vector<SecretScalar> s_half(count);
  for (std::size_t j = 0; j < count; ++j) {
    auto& branch = proof_.branches[j];
    const bool is_real = j == real_;
    branch.challenge = Scalar::random(random);
    branch.response = Scalar::random(random);
    const SecretScalar simulated_t(branch.response - branch.challenge * nonce);
    const SecretScalar simulated_s(branch.challenge * (m.reveal() - Scalar::from_u64(low + j)));
    const SecretScalar t_half(Scalar::select(simulated_t.reveal(), w_.reveal(), is_real).half());
    s_half[j] = SecretScalar(Scalar::select(simulated_s.reveal(), Scalar(), is_real).half());
    branch.a = Point::base_mul(t_half.reveal());
    branch.b = key.mul(t_half.reveal());
  }
  if (count == 2) {
    // One real and one simulated branch: s is zero in one of them, so Σ s_j·B is the simulated branch's s·B.
    // One multiplication serves both; each branch subtracts it or the identity, chosen in constant time.
    const SecretScalar s_sum(s_half[0].reveal() + s_half[1].reveal());
    const Point s_point = Point::base_mul(s_sum.reveal());
    for (std::size_t j = 0; j < count; ++j) {
      proof_.branches[j].b = proof_.branches[j].b - Point::select(s_point, Point(), j == real_);
    }
  } else {
    for (std::size_t j = 0; j < count; ++j) {
      proof_.branches[j].b = proof_.branches[j].b - Point::base_mul(s_half[j].reveal());
    }
  }
}

void RangeProver::collect(std::vector<Point*>& points) {
  for (auto& branch : proof_.branches) {
    points.push_back(&branch.a);
    points.push_back(&branch.b);
  }
}

RangeProof RangeProver::finish(const ProofLabel& label, const Ciphertext& ciphertext) {
  const Scalar challenge = range_challenge(context_, label, ciphertext, low_, high_, proof_.branches);
  Scalar real_challenge = challenge;
  for (std::size_t j = 0; j < proof_.branches.size(); ++j) {
    real_challenge = real_challenge - Scalar::select(proof_.branches[j].challenge, Scalar(), j == real_);
  }
  const Scalar real_response = w_.reveal() + real_challenge * nonce_.reveal();
  // Written into every branch by constant-time selection, not at the real branch's index (which would make the
  // memory access depend on the vote).
  for (std::size_t j = 0; j < proof_.branches.size(); ++j) {
    auto& branch = proof_.branches[j];
    branch.challenge = Scalar::select(branch.challenge, real_challenge, j == real_);
    branch.response = Scalar::select(branch.response, real_response, j == real_);
  }
  return std::move(proof_);
}

}  // namespace detail

RangeProof prove_range(const ProofContext& context, const ProofLabel& label, const Ciphertext& ciphertext,
                       std::uint64_t message, const Scalar& nonce, std::uint64_t low, std::uint64_t high,
                       RandomSource& random) {
  detail::RangeProver prover(context, message, nonce, low, high, random);
  std::vector<Point*> commitments;
  prover.collect(commitments);
  Point::double_and_encode(commitments);
  return prover.finish(label, ciphertext);
}

namespace detail {

Status check_range_challenge(const ProofContext& context, const ProofLabel& label, const Ciphertext& ciphertext,
                             std::uint64_t low, std::uint64_t high, const RangeProof& proof) {
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
  return {};
}

void add_range_equations(BatchVerifier& batch, std::uint64_t low, const RangeProof& proof,
                         Scalar& alpha_coefficient, Scalar& beta_coefficient) {
  // Each equation is added as (commitment side) − (response side) = 0 so that the commitments, which are most
  // of the points, get the short 128-bit weights themselves (not their negations, which are full-width mod L).
  // The B and K coefficients are summed here and subtracted once.
  Scalar generator_coefficient;
  Scalar fixed_coefficient;
  for (std::size_t j = 0; j < proof.branches.size(); ++j) {
    const auto& branch = proof.branches[j];
    // a + c·α − v·B = 0
    const Scalar z1 = batch.next_weight();
    batch.add(z1, branch.a);
    alpha_coefficient += z1 * branch.challenge;
    generator_coefficient += z1 * branch.response;
    // b + c·β − c·j·B − v·K = 0  (j = low + branch index; 0 and 1, every 0/1 proof's, need no multiplication)
    const Scalar z2 = batch.next_weight();
    batch.add(z2, branch.b);
    const Scalar z2c = z2 * branch.challenge;
    beta_coefficient += z2c;
    const std::uint64_t message = low + j;
    if (message == 1) {
      generator_coefficient += z2c;
    } else if (message > 1) {
      generator_coefficient += z2c * Scalar::from_u64(message);
    }
    fixed_coefficient += z2 * branch.response;
  }
  batch.add_generator(-generator_coefficient);
  batch.add_fixed(-fixed_coefficient);
}

}  // namespace detail

Status add_range_proof(BatchVerifier& batch, const ProofContext& context, const ProofLabel& label,
                       const Ciphertext& ciphertext, std::uint64_t low, std::uint64_t high,
                       const RangeProof& proof) {
  Scalar alpha_coefficient;
  Scalar beta_coefficient;
  if (auto checked = detail::check_range_challenge(context, label, ciphertext, low, high, proof); !checked) {
    return checked;
  }
  detail::add_range_equations(batch, low, proof, alpha_coefficient, beta_coefficient);
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
    return fail(CryptoErrc::invalid_encoding,
                "equality proof must be 96 bytes, got " + std::to_string(bytes.size()));
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

Status add_equality_proof(BatchVerifier& batch, const EqualityStatement& statement,
                          const EqualityProof& proof) {
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
    return fail(CryptoErrc::invalid_encoding,
                "Schnorr proof must be 64 bytes, got " + std::to_string(bytes.size()));
  }
  wire::Reader reader(bytes);
  auto commitment = reader.point("Schnorr proof commitment");
  if (!commitment) return forward(commitment.error());
  auto response = reader.scalar("Schnorr proof response");
  if (!response) return forward(response.error());
  return SchnorrProof{*commitment, *response};
}

SchnorrProof prove_knowledge(ByteView binding, const Point& x_public, const Scalar& secret,
                             RandomSource& random) {
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
