// FrameClient: a terminal's (or console's) side of the transport (docs/protocol.md §1–2). Blocking calls over
// one TLS 1.3 connection with a client certificate, to a server whose certificate must chain to the pinned hall
// CA, name the dialled host, and carry the role "server".
//
// Threads: the network runs on a ClientContext's I/O threads, shared by any number of clients (e.g. 1,000
// simulated terminals on 1–2 threads); connect(), call() and close() block only the calling thread. They must
// not be called on one of the ClientContext's own I/O threads (that aborts: it would deadlock).
//
// Lifetimes: a ClientContext must outlive every FrameClient made on it (destroying it earlier aborts).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/secret.h"
#include "hallvote/network/errors.h"
#include "hallvote/network/frame.h"
#include "hallvote/network/identity.h"

namespace hallvote::network {

// The I/O threads shared by FrameClients. Thread-safe.
class ClientContext {
 public:
  explicit ClientContext(unsigned io_threads = 1);  // io_threads = 0 is treated as 1
  ~ClientContext();
  ClientContext(const ClientContext&) = delete;
  ClientContext& operator=(const ClientContext&) = delete;

  class Impl;

 private:
  friend class FrameClient;
  std::unique_ptr<Impl> impl_;
};

struct ClientOptions {
  std::string host;  // IP literal or name of the hall server
  std::uint16_t port = 0;
  std::string server_name;      // name the server certificate must carry; empty: `host`
  std::string ca_cert_pem;      // the pinned hall CA: the only trust anchor
  std::string cert_pem;         // this client's certificate (HallCa::issue)
  crypto::SecretBytes key_pem;  // its Ed25519 private key; wiped once the TLS context holds it

  std::chrono::milliseconds connect_timeout{10'000};    // TCP connect + TLS handshake + server greeting
  std::chrono::milliseconds write_timeout{15'000};      // to write one request
  std::chrono::milliseconds shutdown_timeout{3'000};    // TLS close_notify exchange in close()
  std::size_t max_frame_bytes = kDefaultMaxFrameBytes;  // limit on requests and responses

  // A copy (the key copied into a new SecretBytes), for a client that reconnects: connect() consumes its
  // options.
  [[nodiscard]] ClientOptions copy() const;
};

class FrameClient {
 public:
  // Connects, handshakes, and waits for the server's greeting, so success means the server accepted this
  // client's certificate. Fails with invalid_argument / invalid_certificate / invalid_key (options),
  // connect_failed, handshake_failed (either side refused the other's certificate, or not TLS 1.3),
  // wrong_peer_role, unsupported_version, timed_out, or the code of the server's transport error frame.
  // A server that refuses before TLS (total or per-address limit, docs/protocol.md §2.7) gives
  // handshake_failed; one that refuses after it (per-id limit, reserved capacity) gives connection_limit.
  [[nodiscard]] static Result<std::unique_ptr<FrameClient>> connect(ClientContext& context,
                                                                    ClientOptions options);
  ~FrameClient();  // close()
  FrameClient(const FrameClient&) = delete;
  FrameClient& operator=(const FrameClient&) = delete;

  // Sends `request` as one frame and waits up to `timeout` for the response frame (long-poll: pass a long
  // timeout). Thread-safe; concurrent calls are served one after the other (one request in flight).
  // Fails without touching the connection with frame_empty / frame_too_large / protocol_violation (a request
  // beginning with 0x00). Every other failure closes the connection, and later calls fail with
  // connection_closed: timed_out (the whole call is bounded by `timeout`), connection_closed, io_error, or the
  // code of the server's transport error frame (e.g. frame_too_large, protocol_violation).
  [[nodiscard]] Result<std::vector<std::uint8_t>> call(std::vector<std::uint8_t> request,
                                                       std::chrono::milliseconds timeout);

  // Graceful TLS shutdown bounded by shutdown_timeout, then the socket closes. Idempotent, thread-safe. A call
  // in progress on another thread (e.g. a long-poll) is aborted at once (it fails with connection_closed) and
  // the socket closes without close_notify.
  void close();

  // True until a call failed in a way that closed the connection, or close().
  [[nodiscard]] bool is_open() const noexcept;

  // The server as its verified certificate names it (role is always Role::server).
  [[nodiscard]] const PeerIdentity& server() const noexcept;

  class Impl;

 private:
  explicit FrameClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hallvote::network
