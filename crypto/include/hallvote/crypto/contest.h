// One encrypted contest of a ballot (docs/crypto.md §5): a 0/1 ciphertext per selection, each with a range
// proof of [0, 1], and a range proof that the selections sum to a value in [min_selected, max_selected].
// Every vote kind is a list of such contests (a 13选10 vote: one contest of 13 selections, at most 10; a
// 赞成/反对/弃权 item: one contest of 3 selections, exactly 1 or at most 1).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/batch_verifier.h"
#include "hallvote/crypto/elgamal.h"
#include "hallvote/crypto/proofs.h"

namespace hallvote::crypto {

struct ContestShape {
  std::size_t selections = 0;
  std::uint64_t min_selected = 0;
  std::uint64_t max_selected = 0;

  // Ok when 1 ≤ selections ≤ 1024, min ≤ max ≤ selections and max − min < 64; else out_of_range.
  [[nodiscard]] Status validate() const;
  [[nodiscard]] std::size_t encoded_size() const;
};

struct EncryptedContest {
  std::vector<Ciphertext> selections;
  std::vector<RangeProof> selection_proofs;  // one per selection, range [0, 1]
  RangeProof sum_proof;                      // over Σ selections, range [min_selected, max_selected]

  // For each selection: α ‖ β ‖ proof (2 branches); then the sum proof. Fixed size for a shape.
  [[nodiscard]] Bytes encode() const;
  // Decodes and validates every point and scalar; the proofs are not checked here.
  [[nodiscard]] static Result<EncryptedContest> decode(ByteView bytes, const ContestShape& shape);

  // The homomorphic sum of the selections (what the sum proof speaks about).
  [[nodiscard]] Ciphertext sum() const;
};

// Encrypts `choices` (one 0/1 per selection). Fails with out_of_range when a choice is not 0/1, the count of
// choices differs from the shape, or the number selected is outside [min, max] — an overvote cannot even be
// encrypted. The nonces are wiped before returning, unless `nonces` asks for them (one per selection, for a
// proof over selections of several contests, such as an aggregate limit); they wipe themselves.
[[nodiscard]] Result<EncryptedContest> encrypt_contest(const ProofContext& context, std::string_view contest_id,
                                                       const ContestShape& shape,
                                                       std::span<const std::uint8_t> choices,
                                                       RandomSource& random = system_random(),
                                                       std::vector<SecretScalar>* nonces = nullptr);

// Adds all the contest's proof equations to `batch` (structural failures are returned at once, naming the
// selection).
[[nodiscard]] Status add_contest(BatchVerifier& batch, const ProofContext& context, std::string_view contest_id,
                                 const ContestShape& shape, const EncryptedContest& contest);

// Verifies the whole contest. On failure the error names the first proof that fails (selection index or sum).
[[nodiscard]] Status verify_contest(const ProofContext& context, std::string_view contest_id,
                                    const ContestShape& shape, const EncryptedContest& contest);

}  // namespace hallvote::crypto
