#include "network_transport.h"

namespace hallvote::terminal {

NetworkTransport::NetworkTransport(network::ClientContext& context, network::ClientOptions options)
    : context_(context), options_(std::move(options)) {}

Result<crypto::Bytes> NetworkTransport::call(const crypto::Bytes& request, std::chrono::milliseconds timeout) {
  if (client_ == nullptr || !client_->is_open()) {
    client_.reset();
    auto connected = network::FrameClient::connect(context_, options_.copy());
    if (!connected) return forward(connected.error());
    client_ = std::move(*connected);
  }
  auto answer = client_->call(request, timeout);
  if (!answer) client_.reset();  // a failed call closed the connection: reconnect next time
  return answer;
}

void NetworkTransport::disconnect() { client_.reset(); }

}  // namespace hallvote::terminal
