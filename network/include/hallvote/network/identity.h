// Who is at the other end of a connection: the id and role the hall CA wrote into the peer's certificate.
// Certificate layout: docs/protocol.md §1.2. Thread safety: plain values; the functions are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hallvote::network {

// The role a certificate is issued for (its subject OU). A role is whatever the hall CA signed: a peer cannot
// choose or change it without the CA's key.
enum class Role {
  terminal,    // a seat terminal ("terminal")
  staff,       // hall staff console ("staff")
  chair,       // the chair's console ("chair")
  presidium,   // a presidium member's console ("presidium")
  scrutineer,  // a (chief) scrutineer's console ("scrutineer")
  auditor,     // an auditor's read-only client ("auditor")
  display,     // the hall's big screen: reads the public state only ("display")
  server,      // the session-hall server ("server"); only the server certificate has it
};

// The OU string of `role`, e.g. "terminal".
[[nodiscard]] std::string_view role_name(Role role) noexcept;

// The role named `name` (exact, lower case), or nullopt.
[[nodiscard]] std::optional<Role> parse_role(std::string_view name) noexcept;

// True if `id` is a plain id the CA accepts as a common name: [A-Za-z0-9._-]{1,64}.
[[nodiscard]] bool is_valid_id(std::string_view id) noexcept;

// Taken from a peer certificate only after TLS verified it against the hall CA.
struct PeerIdentity {
  std::string id;                           // subject CN, e.g. "T0123" or "server"
  Role role = Role::terminal;               // subject OU
  std::string certificate_fingerprint_hex;  // lower-case hex SHA-256 of the certificate's DER bytes

  friend bool operator==(const PeerIdentity&, const PeerIdentity&) = default;
};

}  // namespace hallvote::network
