// FrameServer: the hall server's side of the transport (docs/protocol.md §1–2). It listens on TCP, runs a
// TLS 1.3 handshake that requires a client certificate issued by the hall CA, greets, then reads one frame at a
// time and hands it to the FrameHandler with the peer's verified identity. Every handshake, read, write and
// shutdown has a deadline, set once per handshake and per frame and never extended by arriving bytes; a peer
// that breaks the framing gets a transport error frame and is disconnected. Admission limits (per address, per
// id, unauthenticated connections shed oldest first, capacity reserved for the officials) are §2.7.
//
// Threads: `io_threads` run the network (one coroutine per connection, never blocked by user code);
// `worker_threads` run the FrameHandler and on_disconnect. Nothing user-supplied ever runs on an I/O thread
// (except ServerOptions::log, which must be quick and thread-safe).
//
// Lifetimes: stop() (or the destructor) stops accepting, closes every connection, waits for the I/O threads
// (bounded by shutdown_timeout + 2 s), then waits for running handlers to return. Do not call stop() from a
// handler or on_disconnect (it would wait for itself). A Responder may outlive the server: after stop() it
// does nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/secret.h"
#include "hallvote/network/errors.h"
#include "hallvote/network/frame.h"
#include "hallvote/network/identity.h"

namespace hallvote::network {

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal to listen on
  std::uint16_t port = 0;             // 0: an ephemeral port, see FrameServer::port()
  std::string ca_cert_pem;            // the hall CA: the only issuer whose clients are accepted
  std::string cert_pem;               // this server's certificate (HallCa::issue_server)
  crypto::SecretBytes key_pem;        // its Ed25519 private key; wiped once the TLS context holds it

  std::chrono::milliseconds handshake_timeout{10'000};  // TCP accept → TLS handshake done
  std::chrono::milliseconds read_timeout{15'000};       // to finish a frame once its first byte arrived
  std::chrono::milliseconds idle_timeout{300'000};      // for the first byte of the next request
  std::chrono::milliseconds write_timeout{15'000};      // to write one frame (greeting, response, error)
  std::chrono::milliseconds shutdown_timeout{3'000};    // TLS close_notify exchange before the socket closes
  std::size_t max_frame_bytes = kDefaultMaxFrameBytes;  // limit on requests and responses

  // Admission limits (docs/protocol.md §2.7). "Officials" are the roles that keep reserved capacity:
  // keeps_reserved_capacity() below.
  std::size_t max_connections = 4096;     // all open connections; the oldest unauthenticated one is shed first
  std::size_t max_unauthenticated = 512;  // accepted but not yet through the handshake; oldest shed first
  std::size_t max_per_address = 16;       // open connections from one source IP address
  bool address_limit_exempts_loopback = true;  // peers on this machine (local consoles, simulators) uncounted
  std::size_t max_per_terminal = 2;            // authenticated connections of one terminal id
  std::size_t max_per_identity = 8;            // authenticated connections of one id of any other role
  std::size_t reserved_for_officials = 64;     // of max_connections: never taken by terminals and auditors
  unsigned io_threads = 1;
  unsigned worker_threads = 8;

  // Optional event log: rejected handshakes, deadline closes, framing errors, handler failures. One line per
  // event, never key material. Called from I/O and worker threads: must be thread-safe and must not block.
  std::function<void(std::string_view)> log;
};

// True for the roles that keep reserved capacity (ServerOptions::reserved_for_officials): staff, chair,
// presidium and scrutineer, the consoles that run the session. Terminals and auditors share the rest.
[[nodiscard]] bool keeps_reserved_capacity(Role role) noexcept;

// Counters since start(); each is read atomically, the set is not a snapshot.
struct ServerStats {
  std::uint64_t accepted = 0;               // TCP connections accepted (including those refused below)
  std::uint64_t active = 0;                 // connections open now
  std::uint64_t refused_over_limit = 0;     // closed at once: max_connections open and none unauthenticated
  std::uint64_t refused_per_address = 0;    // closed at once: max_per_address open from that address
  std::uint64_t shed_unauthenticated = 0;   // unauthenticated connections closed to admit a newer one
  std::uint64_t refused_per_identity = 0;   // after the handshake: the id already holds its limit
  std::uint64_t refused_role_capacity = 0;  // after the handshake: only reserved (officials') capacity left
  std::uint64_t handshake_failures = 0;     // TLS refused: no/untrusted certificate, bad identity, timeout
  std::uint64_t frames_received = 0;        // requests handed to the FrameHandler
  std::uint64_t frames_sent = 0;            // responses written
  std::uint64_t frames_too_large = 0;       // connections closed for a length prefix above the limit
  std::uint64_t bad_frames = 0;             // closed for a zero length prefix or a reserved (0x00) payload
  std::uint64_t deadline_closes = 0;        // closed because a handshake/read/write deadline expired
  std::uint64_t shutdown_timeouts = 0;      // peers that did not answer close_notify in time
  std::uint64_t handler_errors = 0;         // handlers that threw, or responses that were not sendable
};

// Answers one request. Call it exactly once, from any thread, now or later; later calls are ignored.
// A payload is sent as the response frame (it must be 1..max_frame_bytes bytes and must not begin with 0x00,
// else the connection is closed and counted in handler_errors); nullopt closes the connection gracefully.
// If every copy is destroyed without a call, the connection is closed as if by nullopt.
using Responder = std::function<void(std::optional<std::vector<std::uint8_t>>)>;

// Called on a worker thread, once per received frame, with at most one request in flight per connection: the
// next frame of that connection is not read until the Responder is called. While a request is outstanding the
// idle deadline does not run, so a handler may keep the Responder for as long as it likes (long-poll).
// Exceptions escaping the handler close the connection and count as handler_errors.
using FrameHandler =
    std::function<void(const PeerIdentity& peer, std::vector<std::uint8_t> request, Responder respond)>;

// Called on a worker thread once per connection whose handshake succeeded, after it closed.
using DisconnectHandler = std::function<void(const PeerIdentity& peer)>;

class FrameServer {
 public:
  // Listens and starts the threads. Fails with invalid_argument (bad address, zero limits or threads, reserved
  // capacity not below max_connections, missing handler), invalid_certificate / invalid_key (bad PEM, key not
  // matching), or io_error (cannot listen).
  [[nodiscard]] static Result<std::unique_ptr<FrameServer>> start(ServerOptions options, FrameHandler handler,
                                                                  DisconnectHandler on_disconnect = {});
  ~FrameServer();  // calls stop()
  FrameServer(const FrameServer&) = delete;
  FrameServer& operator=(const FrameServer&) = delete;

  // The port actually listened on.
  [[nodiscard]] std::uint16_t port() const noexcept;
  // Idempotent and thread-safe; see the lifetime notes above.
  void stop();
  [[nodiscard]] ServerStats stats() const noexcept;

  class Impl;

 private:
  explicit FrameServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hallvote::network
