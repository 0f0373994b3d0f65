// Error codes of hallvote::network. Each is a normal, named failure of the peer, the network or the input;
// misuse of the API (e.g. a ClientContext destroyed while clients still use it) aborts instead.
//
// The numeric values are part of the wire format: a transport error frame (docs/protocol.md §2.5) carries them
// as a u16, so never renumber an enumerator; add new ones at the end.
#pragma once

#include <system_error>

namespace hallvote::network {

enum class NetworkErrc {
  frame_empty = 1,            // a frame whose length prefix is 0
  frame_too_large = 2,        // a length prefix above the receiver's limit (or a payload too large to send)
  protocol_violation = 3,     // bytes that break the transport rules: reserved first byte, bad greeting, ...
  handshake_failed = 4,       // TLS handshake refused or broken: no/untrusted certificate, not TLS 1.3, ...
  peer_identity_invalid = 5,  // a verified certificate without a usable id (CN) or role (OU)
  wrong_peer_role =
      6,          // the peer's certificate has a role not allowed here (e.g. a server that is not "server")
  timed_out = 7,  // a deadline expired (connect, handshake, read, write, shutdown, or a call)
  connection_closed = 8,     // the peer closed or reset the connection, or it was closed locally
  connect_failed = 9,        // the host did not resolve or refused the TCP connection
  io_error = 10,             // another socket or TLS error (detail says which)
  invalid_certificate = 11,  // a certificate PEM that does not parse, or is not what it must be (e.g. not a CA)
  invalid_key = 12,  // a private key PEM that does not parse, is not Ed25519, or does not match its certificate
  invalid_csr = 13,  // a CSR that does not parse, is not Ed25519, or whose self-signature does not verify
  invalid_common_name = 14,  // a common name that is not a plain id: [A-Za-z0-9._-]{1,64}
  invalid_argument = 15,     // bad options (address, limits, role), detail says which
  unsupported_version = 16,  // the peer speaks another transport version
  internal_error = 17,    // a bug on the sending side (e.g. an unsendable response); the connection is closed
  connection_limit = 18,  // the server's admission limits refused this connection (per id or role capacity)
};

const std::error_category& network_category() noexcept;

inline std::error_code make_error_code(NetworkErrc e) noexcept {
  return {static_cast<int>(e), network_category()};
}

}  // namespace hallvote::network

template <>
struct std::is_error_code_enum<hallvote::network::NetworkErrc> : std::true_type {};
