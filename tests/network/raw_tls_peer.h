// A deliberately simple, blocking TLS 1.3 client on a POSIX socket (OpenSSL, no Asio), used to play peers that
// misbehave in ways FrameClient never would: no certificate, broken frames, stalling, ignoring close_notify.
// It does not verify the server (it is the attacker here). Destruction closes the socket without close_notify.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "test_pki.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace hallvote::network::testing {

class RawTlsPeer {
 public:
  // TCP-connects to 127.0.0.1:port from `source` (another loopback address such as "127.0.0.2" plays a second
  // host); `client` null means no client certificate.
  RawTlsPeer(std::uint16_t port, const Credentials* client, const std::string& source = "127.0.0.1");
  ~RawTlsPeer();
  RawTlsPeer(const RawTlsPeer&) = delete;
  RawTlsPeer& operator=(const RawTlsPeer&) = delete;

  // SSL_connect succeeded. (In TLS 1.3 it can succeed before the server has judged our certificate.)
  bool handshake();
  bool send(const std::vector<std::uint8_t>& bytes);
  // Sends raw bytes on the TCP socket, bypassing TLS.
  bool send_plain(const std::string& bytes);
  // The next frame's payload, or nullopt on timeout, close or error.
  std::optional<std::vector<std::uint8_t>> read_frame(std::chrono::milliseconds timeout);
  // True if the server closed the connection (close_notify, EOF, reset, alert) within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout);

 private:
  // Reads exactly n bytes; false on timeout/close/error (then `closed_` says whether the peer closed).
  bool read_exact(std::uint8_t* out, std::size_t n, std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  bool closed_ = false;
};

}  // namespace hallvote::network::testing
