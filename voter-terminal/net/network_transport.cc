#include "network_transport.h"

namespace hallvote::terminal {

namespace {

network::ClientOptions copy_options(const network::ClientOptions& options) {
  network::ClientOptions copy;
  copy.host = options.host;
  copy.port = options.port;
  copy.server_name = options.server_name;
  copy.ca_cert_pem = options.ca_cert_pem;
  copy.cert_pem = options.cert_pem;
  crypto::Bytes key(options.key_pem.reveal().begin(), options.key_pem.reveal().end());
  copy.key_pem = crypto::SecretBytes::take(key);
  copy.connect_timeout = options.connect_timeout;
  copy.write_timeout = options.write_timeout;
  copy.shutdown_timeout = options.shutdown_timeout;
  copy.max_frame_bytes = options.max_frame_bytes;
  return copy;
}

}  // namespace

NetworkTransport::NetworkTransport(network::ClientContext& context, network::ClientOptions options)
    : context_(context), options_(std::move(options)) {}

Result<crypto::Bytes> NetworkTransport::call(const crypto::Bytes& request, std::chrono::milliseconds timeout) {
  if (client_ == nullptr || !client_->is_open()) {
    client_.reset();
    auto connected = network::FrameClient::connect(context_, copy_options(options_));
    if (!connected) return forward(connected.error());
    client_ = std::move(*connected);
  }
  auto answer = client_->call(request, timeout);
  if (!answer) client_.reset();  // a failed call closed the connection: reconnect next time
  return answer;
}

void NetworkTransport::disconnect() { client_.reset(); }

}  // namespace hallvote::terminal
