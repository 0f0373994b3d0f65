// Internal: the range prover of docs/crypto.md §4.1 in two steps, so that a caller making several proofs
// (encrypt_contest) can encode all their commitments, and its ciphertexts, with one Point::double_and_encode;
// and the range verifier's equations without the ciphertext's terms, for add_contest.
#pragma once

#include <cstdint>
#include <vector>

#include "hallvote/crypto/batch_verifier.h"
#include "hallvote/crypto/proofs.h"

namespace hallvote::crypto::detail {

class RangeProver {
 public:
  // Steps 1–2: draws w, then (c_j, v_j) for every branch, and computes every commitment at half scale
  // (a_j/2, b_j/2). Preconditions as prove_range's (aborts on violation). The context must outlive the prover.
  RangeProver(const ProofContext& context, std::uint64_t message, const Scalar& nonce, std::uint64_t low,
              std::uint64_t high, RandomSource& random);

  // Appends the 2n commitments, which the caller passes through Point::double_and_encode once before finish().
  void collect(std::vector<Point*>& points);

  // Steps 3–4: the challenge over the ciphertext and the (doubled) commitments; the real branch's c and v.
  [[nodiscard]] RangeProof finish(const ProofLabel& label, const Ciphertext& ciphertext);

 private:
  const ProofContext& context_;
  std::uint64_t low_;
  std::uint64_t high_;
  std::size_t real_;  // secret: the branch of the message; only compared, never used as an index
  SecretScalar nonce_;
  SecretScalar w_;
  RangeProof proof_;
};

// The checks of a range proof that need no multi-scalar multiplication: the context's sizes, the number of
// branches for [low, high], and that the challenges sum to the Fiat–Shamir challenge.
[[nodiscard]] Status check_range_challenge(const ProofContext& context, const ProofLabel& label,
                                           const Ciphertext& ciphertext, std::uint64_t low, std::uint64_t high,
                                           const RangeProof& proof);

// add_range_proof's equations without the ciphertext's two terms and without check_range_challenge (which the
// caller ran first): adds the ciphertext's coefficients to alpha_coefficient and beta_coefficient instead, so
// that add_contest can fold the contest sum's terms into the selections' own (Σα_i carries the sum's
// coefficient to every α_i: two multi-scalar terms fewer, the same equations). Adds complete equations only
// once every proof of the contest passed its challenge check, so a batch never holds part of a refused ballot.
void add_range_equations(BatchVerifier& batch, std::uint64_t low, const RangeProof& proof,
                         Scalar& alpha_coefficient, Scalar& beta_coefficient);

}  // namespace hallvote::crypto::detail
