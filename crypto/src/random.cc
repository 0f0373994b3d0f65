#include "hallvote/crypto/random.h"

#include <sodium.h>

#include "sodium_init.h"

namespace hallvote::crypto {
namespace detail {

void ensure_sodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) std::abort();
}

}  // namespace detail

namespace {

class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override {
    detail::ensure_sodium();
    randombytes_buf(out.data(), out.size());
  }
};

}  // namespace

RandomSource& system_random() {
  static SystemRandom instance;
  return instance;
}

DeterministicRandom::DeterministicRandom(std::uint64_t seed) {
  detail::ensure_sodium();
  for (int i = 0; i < 8; ++i) key_[i] = static_cast<std::uint8_t>(seed >> (8 * i));
}

void DeterministicRandom::fill(std::span<std::uint8_t> out) {
  std::uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
  for (int i = 0; i < 8; ++i) nonce[i] = static_cast<std::uint8_t>(counter_ >> (8 * i));
  ++counter_;
  crypto_stream_chacha20_ietf(out.data(), out.size(), nonce, key_);
}

}  // namespace hallvote::crypto
