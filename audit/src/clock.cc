#include "hallvote/audit/clock.h"

#include <chrono>

namespace hallvote::audit {
namespace {

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

}  // namespace hallvote::audit
