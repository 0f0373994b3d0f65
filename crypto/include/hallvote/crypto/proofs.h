// Non-interactive zero-knowledge proofs (Fiat–Shamir with SHA-512 mod L over the whole statement), specified
// equation by equation in docs/crypto.md §4:
//   RangeProof          — a ciphertext encrypts m ∈ [low, high] (disjunctive Chaum–Pedersen; [0,1] for one
//                         selection, [min, max] for a contest's sum)
//   EqualityProof       — log_B(X) = log_A(D) (Chaum–Pedersen; decryption shares)
//   SchnorrProof        — knowledge of x with X = x·B (key ceremony)
// Proofs carry their commitments, so verifiers can check many at once (BatchVerifier). Every verify function
// is a normal rejection path: Status ok or invalid_proof naming the failed equation.
#pragma once

#include <cstdint>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/batch_verifier.h"
#include "hallvote/crypto/elgamal.h"
#include "hallvote/crypto/group.h"
#include "hallvote/crypto/random.h"

namespace hallvote::crypto {

// What every ballot proof is bound to: the vote's base hash (the hash of the signed ballot definition, round
// included), the election key, and the voter's credential public key — so an encrypted ballot copied into
// another deputy's ballot does not verify there (no ballot copying). All must outlive the context.
struct ProofContext {
  ByteView base_hash;
  const ElectionKey& key;
  ByteView voter;
};

// Where in the ballot a proof sits: the contest's id and the selection index (kSumPosition for the contest
// sum).
struct ProofLabel {
  static constexpr std::uint64_t kSumPosition = ~std::uint64_t{0};
  std::string_view contest;
  std::uint64_t position;
};

// One branch per value j ∈ [low, high]: commitments a_j = v_j·B − c_j·α, b_j = v_j·K − c_j·(β − j·B),
// challenges summing to the Fiat–Shamir challenge, responses v_j.
struct RangeProof {
  struct Branch {
    Point a;
    Point b;
    Scalar challenge;
    Scalar response;
  };
  std::vector<Branch> branches;

  static constexpr std::size_t kBranchBytes = 128;  // a ‖ b ‖ c ‖ v
  [[nodiscard]] Bytes encode() const;
  // Decodes exactly `branch_count` branches; validates every point and scalar.
  [[nodiscard]] static Result<RangeProof> decode(ByteView bytes, std::size_t branch_count);
};

// Proves that `ciphertext` = Enc(message; nonce) with low ≤ message ≤ high. Preconditions (checked: aborts on
// violation, a caller bug): message ∈ [low, high], high − low < 64, base hash and voter key 32 bytes each.
// Every branch runs the same operations and draws the same randomness, so timing does not reveal the message.
[[nodiscard]] RangeProof prove_range(const ProofContext& context, const ProofLabel& label,
                                     const Ciphertext& ciphertext, std::uint64_t message, const Scalar& nonce,
                                     std::uint64_t low, std::uint64_t high, RandomSource& random);

// Checks the branch count and the challenge sum now (invalid_proof), and adds the 2·(high−low+1) equations to
// `batch`. The batch result decides the rest.
[[nodiscard]] Status add_range_proof(BatchVerifier& batch, const ProofContext& context, const ProofLabel& label,
                                     const Ciphertext& ciphertext, std::uint64_t low, std::uint64_t high,
                                     const RangeProof& proof);

// Verifies one range proof completely.
[[nodiscard]] Status verify_range(const ProofContext& context, const ProofLabel& label,
                                  const Ciphertext& ciphertext, std::uint64_t low, std::uint64_t high,
                                  const RangeProof& proof);

// Chaum–Pedersen: knowledge of x with X = x·B and D = x·A. Commitments a = w·B, b = w·A; response v = w + c·x.
struct EqualityProof {
  Point a;
  Point b;
  Scalar response;

  static constexpr std::size_t kBytes = 96;
  [[nodiscard]] Bytes encode() const;
  [[nodiscard]] static Result<EqualityProof> decode(ByteView bytes);
};

// The public statement of an equality proof, with the caller's binding data (e.g. the vote's base hash and
// the trustee's index) hashed in as `binding`.
struct EqualityStatement {
  ByteView binding;
  const Point& x_public;  // X
  const Point& base;      // A
  const Point& result;    // D
};

[[nodiscard]] EqualityProof prove_equality(const EqualityStatement& statement, const Scalar& secret,
                                           RandomSource& random);
[[nodiscard]] Status add_equality_proof(BatchVerifier& batch, const EqualityStatement& statement,
                                        const EqualityProof& proof);
[[nodiscard]] Status verify_equality(const EqualityStatement& statement, const EqualityProof& proof);

// Schnorr: knowledge of x with X = x·B, bound to `binding` (ceremony id and participant index).
struct SchnorrProof {
  Point commitment;
  Scalar response;

  static constexpr std::size_t kBytes = 64;
  [[nodiscard]] Bytes encode() const;
  [[nodiscard]] static Result<SchnorrProof> decode(ByteView bytes);
};

[[nodiscard]] SchnorrProof prove_knowledge(ByteView binding, const Point& x_public, const Scalar& secret,
                                           RandomSource& random);
[[nodiscard]] Status verify_knowledge(ByteView binding, const Point& x_public, const SchnorrProof& proof);

}  // namespace hallvote::crypto
