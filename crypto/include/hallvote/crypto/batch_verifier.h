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
  explicit BatchVerifier(const FixedBase* fixed, RandomSource& random = system_random())
      : fixed_(fixed), random_(&random) {}

  // Starts a new equation and returns its random weight z; the caller adds z-scaled terms for it.
  [[nodiscard]] Scalar next_weight();
  // Adds s·P, s·B or s·K (K = the fixed base given at construction; precondition: one was given).
  void add(const Scalar& s, const Point& point) { msm_.add(s, point); }
  void add_generator(const Scalar& s) { generator_coefficient_ += s; }
  void add_fixed(const Scalar& s) { fixed_coefficient_ += s; }

  // True when every equation added holds (with overwhelming probability). Resets nothing.
  [[nodiscard]] bool holds() const;

 private:
  const FixedBase* fixed_;
  RandomSource* random_;
  MultiScalarMul msm_;
  Scalar generator_coefficient_;
  Scalar fixed_coefficient_;
};

}  // namespace hallvote::crypto
