#include "hallvote/crypto/batch_verifier.h"

#include <cstdlib>

namespace hallvote::crypto {

Scalar BatchVerifier::next_weight() {
  std::array<std::uint8_t, 64> wide{};
  random_->fill(std::span<std::uint8_t>(wide).first(16));  // 128-bit weights: short scalars, cheaper MSM
  return Scalar::from_wide(wide);
}

bool BatchVerifier::holds() const {
  Point sum = msm_.compute() + Point::base_mul(generator_coefficient_);
  if (!fixed_coefficient_.is_zero()) {
    if (fixed_ == nullptr) std::abort();  // a term for K without K: a bug in the caller
    sum += fixed_->mul(fixed_coefficient_);
  }
  return sum.is_identity();
}

}  // namespace hallvote::crypto
