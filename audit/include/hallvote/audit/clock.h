// Wall-clock time behind a seam: the log stamps entries with the injected clock, tests use a manual one.
#pragma once

#include <atomic>
#include <cstdint>

namespace hallvote::audit {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC. Must be thread-safe.
  [[nodiscard]] virtual std::int64_t now_ms() = 0;
};

// The system's real-time clock. Thread-safe.
Clock& system_clock();

// A clock tests set by hand; each reading advances it by `step_ms`. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ms, std::int64_t step_ms = 1) : now_(start_ms), step_(step_ms) {}
  std::int64_t now_ms() override { return now_.fetch_add(step_); }

 private:
  std::atomic<std::int64_t> now_;
  const std::int64_t step_;
};

}  // namespace hallvote::audit
