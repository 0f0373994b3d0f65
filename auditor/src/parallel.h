// Internal: runs fn(0) … fn(count − 1) on up to `threads` threads (the calling thread included; at most 64, and
// never more than there are indices), each index exactly once, handed out in increasing order. Returns when all
// are done. fn must not throw.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace hallvote::vote_audit::internal {

template <class Fn>
void parallel_for(unsigned threads, std::size_t count, const Fn& fn) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) fn(i);
  };
  const std::size_t helpers = std::min<std::size_t>(std::clamp(threads, 1u, 64u), count == 0 ? 1 : count) - 1;
  std::vector<std::thread> pool;
  pool.reserve(helpers);
  for (std::size_t t = 0; t < helpers; ++t) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
}

}  // namespace hallvote::vote_audit::internal
