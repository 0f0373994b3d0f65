// Batch verification: many proof equations of the form Σ sᵢ·Pᵢ = 0 are checked together as one random linear
// combination, Σ zₑ·(equation e) = 0, computed with one multi-scalar multiplication (docs/crypto.md §4.5).
// A false equation survives only with probability ≤ 2⁻¹²⁸ over the verifier's weights zₑ.
//
// Not thread-safe; one verifier per thread.
#pragma once

#include "hallvote/common/result.h"
#include "hallvote/crypto/group.h"
#include "hallvote/crypto/random.h"

namespace hallvote::crypto {

class BatchVerifier {
 public:
  // `fixed` is a fixed base many equations share (the election key K), or nullptr. B is always fixed.
  // `fixed` and `random` must outlive the verifier.
  explicit BatchVerifier(const FixedBase* fixed, RandomSource& random = system_random());

  // Starts a new equation and returns its random weight z; the caller adds z-scaled terms for it.
  [[nodiscard]] Scalar next_weight();
  // Adds s·P, s·B or s·K (K = the fixed base given at construction; precondition: one was given).
  void add(const Scalar& s, const Point& point) { msm_.add(s, point); }
  void add_generator(const Scalar& s) { msm_.add_generator(s); }
  void add_fixed(const Scalar& s);

  // True when every equation added holds (with overwhelming probability). Resets nothing.
  [[nodiscard]] bool holds() const;

 private:
  const FixedBase* fixed_;
  RandomSource* random_;
  MultiScalarMul msm_;  // with K, when given, as its first term: all K terms in one scalar
  // Weights are drawn 16 bytes each from `random` in blocks of kWeightBlock (one system call per block).
  static constexpr std::size_t kWeightBlock = 32;
  std::array<std::uint8_t, 16 * kWeightBlock> weight_bytes_{};
  std::size_t weight_offset_ = 16 * kWeightBlock;
};

}  // namespace hallvote::crypto
