// Admission: who may hold a connection slot (docs/protocol.md §2.7). Pure bookkeeping, no sockets: the server
// asks it on every accept and after every handshake, and tells it when a connection ends. Not thread-safe: the
// server calls it under one mutex.
//
// Slots: every open connection holds one of max_connections. A connection is unauthenticated from accept until
// its handshake passed; then it is authenticated with its peer's id and role. Terminals and auditors together
// hold at most max_connections − reserved_for_officials slots, so the officials' consoles always find room
// that no flood of them can take. Unauthenticated connections are the first to give way: when their own cap or
// the total is reached, the oldest of them is shed to admit a new one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "hallvote/network/identity.h"
#include "hallvote/network/server.h"

namespace hallvote::network::detail {

struct AdmissionLimits {
  std::size_t max_connections = 0;
  std::size_t max_unauthenticated = 0;
  std::size_t max_per_address = 0;
  bool address_limit_exempts_loopback = true;
  std::size_t max_per_terminal = 0;
  std::size_t max_per_identity = 0;
  std::size_t reserved_for_officials = 0;

  static AdmissionLimits from(const ServerOptions& options);
};

enum class AcceptVerdict { admitted, refused_per_address, refused_over_limit };

struct AcceptDecision {
  AcceptVerdict verdict = AcceptVerdict::admitted;
  std::vector<std::uint64_t> shed;  // unauthenticated connections to close now (oldest first)
};

enum class AuthVerdict { admitted, refused_per_identity, refused_role_capacity, already_shed };

class Admission {
 public:
  explicit Admission(AdmissionLimits limits) : limits_(limits) {}

  // A new TCP connection `connection` (ids increase with age) from `address` (the IP, no port; empty if
  // unknown, which is counted as one address) on a loopback interface or not. Admitted connections are
  // unauthenticated until authenticated() or closed().
  [[nodiscard]] AcceptDecision accept(std::uint64_t connection, const std::string& address, bool loopback);

  // The handshake of `connection` passed with `peer_id` in `role`. A refused connection keeps its slot, still
  // unauthenticated and sheddable, until closed().
  [[nodiscard]] AuthVerdict authenticate(std::uint64_t connection, const std::string& peer_id, Role role);

  // `connection` ended (or was never admitted: then nothing happens). Releases all it held.
  void closed(std::uint64_t connection);

  [[nodiscard]] std::size_t open() const noexcept { return slots_.size(); }

 private:
  struct Slot {
    std::string address;  // empty when exempt from the per-address count
    std::optional<std::string> peer_id;
    bool official = false;
  };

  void release_address(const std::string& address);

  AdmissionLimits limits_;
  std::unordered_map<std::uint64_t, Slot> slots_;
  std::set<std::uint64_t> sheddable_;  // unauthenticated (or refused and closing), oldest first
  std::unordered_map<std::string, std::size_t> per_address_;
  std::unordered_map<std::string, std::size_t> per_identity_;
  std::size_t authenticated_others_ = 0;  // terminals and auditors
};

}  // namespace hallvote::network::detail
