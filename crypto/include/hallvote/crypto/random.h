// Randomness behind a seam: production code uses the operating system's CSPRNG (libsodium randombytes);
// tests inject a deterministic source so that runs and vectors are reproducible.
#pragma once

#include <cstdint>
#include <span>

namespace hallvote::crypto {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `out` with random bytes. Never fails (aborts if the OS source is unavailable).
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

// The process-wide OS CSPRNG. Thread-safe.
RandomSource& system_random();

// A deterministic stream (ChaCha20 keyed by `seed`) for tests and reproducible demos only — never for keys
// or ballots in a real session. Not thread-safe.
class DeterministicRandom final : public RandomSource {
 public:
  explicit DeterministicRandom(std::uint64_t seed);
  void fill(std::span<std::uint8_t> out) override;

 private:
  std::uint8_t key_[32]{};
  std::uint64_t counter_ = 0;
};

}  // namespace hallvote::crypto
