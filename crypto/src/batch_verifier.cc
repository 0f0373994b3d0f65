#include "hallvote/crypto/batch_verifier.h"

#include <algorithm>
#include <cstdlib>

namespace hallvote::crypto {

BatchVerifier::BatchVerifier(const FixedBase* fixed, RandomSource& random) : fixed_(fixed), random_(&random) {
  if (fixed_ != nullptr) msm_.add(Scalar(), fixed_->base());
}

void BatchVerifier::add_fixed(const Scalar& s) {
  if (fixed_ == nullptr) std::abort();  // a term for K without K: a bug in the caller
  msm_.add_to_term(0, s);
}

Scalar BatchVerifier::next_weight() {
  if (weight_offset_ == weight_bytes_.size()) {
    random_->fill(weight_bytes_);
    weight_offset_ = 0;
  }
  // 128-bit weights: short scalars, cheaper MSM. A 128-bit value is below L, so it decodes as it is.
  std::array<std::uint8_t, 32> bytes{};
  std::copy_n(weight_bytes_.begin() + static_cast<std::ptrdiff_t>(weight_offset_), 16, bytes.begin());
  weight_offset_ += 16;
  auto weight = Scalar::decode(bytes);
  if (!weight) std::abort();  // impossible: 2^128 < L
  return *weight;
}

bool BatchVerifier::holds() const { return msm_.compute().is_identity(); }

}  // namespace hallvote::crypto
