#include "admission.h"

namespace hallvote::network {

bool keeps_reserved_capacity(Role role) noexcept {
  return role == Role::staff || role == Role::chair || role == Role::presidium || role == Role::scrutineer;
}

namespace detail {

AdmissionLimits AdmissionLimits::from(const ServerOptions& o) {
  return AdmissionLimits{
      o.max_connections,  o.max_unauthenticated, o.max_per_address,       o.address_limit_exempts_loopback,
      o.max_per_terminal, o.max_per_identity,    o.reserved_for_officials};
}

AcceptDecision Admission::accept(std::uint64_t connection, const std::string& address, bool loopback) {
  AcceptDecision decision;
  const bool counted = !(loopback && limits_.address_limit_exempts_loopback);
  if (counted) {
    const auto it = per_address_.find(address);
    if (it != per_address_.end() && it->second >= limits_.max_per_address) {
      decision.verdict = AcceptVerdict::refused_per_address;
      return decision;
    }
  }
  // Shed the oldest unauthenticated connections until both the unauthenticated cap and the total have room.
  std::size_t open_after_shedding = slots_.size();
  std::size_t sheddable_after = sheddable_.size();
  auto oldest = sheddable_.begin();
  while ((sheddable_after >= limits_.max_unauthenticated || open_after_shedding >= limits_.max_connections) &&
         oldest != sheddable_.end()) {
    decision.shed.push_back(*oldest);
    ++oldest;
    --sheddable_after;
    --open_after_shedding;
  }
  if (open_after_shedding >= limits_.max_connections) {
    decision.shed.clear();
    decision.verdict = AcceptVerdict::refused_over_limit;
    return decision;
  }
  for (const std::uint64_t shed : decision.shed) closed(shed);
  Slot slot;
  if (counted) {
    slot.address = address.empty() ? std::string("?") : address;
    ++per_address_[slot.address];
  }
  slots_.emplace(connection, std::move(slot));
  sheddable_.insert(connection);
  return decision;
}

AuthVerdict Admission::authenticate(std::uint64_t connection, const std::string& peer_id, Role role) {
  const auto slot = slots_.find(connection);
  if (slot == slots_.end()) return AuthVerdict::already_shed;  // its close is on the way
  const bool official = keeps_reserved_capacity(role);
  const std::size_t identity_limit =
      role == Role::terminal ? limits_.max_per_terminal : limits_.max_per_identity;
  const auto held = per_identity_.find(peer_id);
  if (held != per_identity_.end() && held->second >= identity_limit) return AuthVerdict::refused_per_identity;
  if (!official && authenticated_others_ >= limits_.max_connections - limits_.reserved_for_officials) {
    return AuthVerdict::refused_role_capacity;
  }
  sheddable_.erase(connection);
  slot->second.peer_id = peer_id;
  slot->second.official = official;
  ++per_identity_[peer_id];
  if (!official) ++authenticated_others_;
  return AuthVerdict::admitted;
}

void Admission::closed(std::uint64_t connection) {
  const auto slot = slots_.find(connection);
  if (slot == slots_.end()) return;
  sheddable_.erase(connection);
  if (!slot->second.address.empty()) release_address(slot->second.address);
  if (slot->second.peer_id) {
    const auto held = per_identity_.find(*slot->second.peer_id);
    if (--held->second == 0) per_identity_.erase(held);
    if (!slot->second.official) --authenticated_others_;
  }
  slots_.erase(slot);
}

void Admission::release_address(const std::string& address) {
  const auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

}  // namespace detail
}  // namespace hallvote::network
