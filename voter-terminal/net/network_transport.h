// The seat terminal's transport over the hall network: a TLS client pinned to the hall CA that reconnects on
// the next call after a lost connection (every request of the protocol is safe to resend).
//
// Not thread-safe: one terminal uses it. The ClientContext must outlive it.
#pragma once

#include <memory>

#include "hallvote/network/client.h"
#include "hallvote/terminal/seat_terminal.h"

namespace hallvote::terminal {

class NetworkTransport final : public Transport {
 public:
  // `options.key_pem` is moved in; connecting waits for the first call.
  NetworkTransport(network::ClientContext& context, network::ClientOptions options);
  Result<crypto::Bytes> call(const crypto::Bytes& request, std::chrono::milliseconds timeout) override;
  // Drops the connection (the next call reconnects): for tests and for a terminal that goes idle.
  void disconnect();

 private:
  network::ClientContext& context_;
  network::ClientOptions options_;
  std::unique_ptr<network::FrameClient> client_;
};

}  // namespace hallvote::terminal
