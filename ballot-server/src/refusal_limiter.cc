#include "refusal_limiter.h"

namespace hallvote::server {

void RefusalLimiter::summarise(const std::string& terminal, Terminal& state, bool cut_off,
                               std::vector<protocol::CastsRefusedSummary>& out) {
  if (state.pending_total == 0) return;  // a cut-off always has some: cut_off_after > logged_per_window
  out.push_back(
      protocol::CastsRefusedSummary{terminal, state.pending_total, std::move(state.pending), cut_off});
  state.pending = {};
  state.pending_total = 0;
}

RefusalLimiter::Decision RefusalLimiter::refused(const std::string& terminal, protocol::ProtocolErrc reason,
                                                 Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  Decision decision;
  auto [it, fresh] = terminals_.try_emplace(terminal);
  Terminal& state = it->second;
  if (fresh || now >= state.window_start + limits_.window) {
    summarise(terminal, state, /*cut_off=*/false, decision.summaries);
    state.window_start = now;
    state.in_window = 0;
  }
  if (now < state.cool_down_until) {  // counted, never logged one by one
    ++state.pending[reason];
    ++state.pending_total;
    return decision;
  }
  ++state.in_window;
  if (state.in_window <= limits_.logged_per_window) {
    decision.log_individually = true;
  } else {
    ++state.pending[reason];
    ++state.pending_total;
  }
  if (state.in_window >= limits_.cut_off_after) {
    summarise(terminal, state, /*cut_off=*/true, decision.summaries);
    decision.cut_off = true;
    state.cool_down_until = now + limits_.cool_down;
    state.window_start = now;
    state.in_window = 0;
  }
  return decision;
}

bool RefusalLimiter::cut_off(const std::string& terminal, Clock::time_point now) const {
  const std::lock_guard lock(mutex_);
  const auto it = terminals_.find(terminal);
  return it != terminals_.end() && now < it->second.cool_down_until;
}

std::vector<protocol::CastsRefusedSummary> RefusalLimiter::expired(Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  std::vector<protocol::CastsRefusedSummary> out;
  for (auto it = terminals_.begin(); it != terminals_.end();) {
    Terminal& state = it->second;
    const bool window_over = now >= state.window_start + limits_.window;
    if (window_over) summarise(it->first, state, /*cut_off=*/false, out);
    if (window_over && now >= state.cool_down_until) {
      it = terminals_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<protocol::CastsRefusedSummary> RefusalLimiter::drain() {
  const std::lock_guard lock(mutex_);
  std::vector<protocol::CastsRefusedSummary> out;
  for (auto& [terminal, state] : terminals_) summarise(terminal, state, /*cut_off=*/false, out);
  return out;
}

}  // namespace hallvote::server
