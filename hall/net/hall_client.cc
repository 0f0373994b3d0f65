#include "hall_client.h"

#include "hallvote/hall/files.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::setup {

Endpoint resolve_endpoint(const HallPaths& paths, const std::optional<std::string>& address,
                          const std::optional<std::uint16_t>& port) {
  Endpoint endpoint;
  if (auto listen = read_json(paths.dir / "listen.json"); listen && listen->is_object()) {
    endpoint.address = listen->value("address", endpoint.address);
    endpoint.port = listen->value("port", endpoint.port);
  }
  if (address) endpoint.address = *address;
  if (port) endpoint.port = *port;
  return endpoint;
}

Result<network::ClientOptions> client_options(const Hall& hall, const std::filesystem::path& keys_dir,
                                              const std::string& id, const Endpoint& endpoint) {
  auto cert = read_text(keys_dir / (id + ".crt"));
  if (!cert) {
    return fail(cert.error().code, "没有 " + id +
                                       " 的证书，请先用 hallvote-server enrol 登记 / no certificate for " + id +
                                       " (enrol it first): " + cert.error().detail);
  }
  auto key = read_bytes(keys_dir / (id + ".key"));
  if (!key) return forward(key.error());
  network::ClientOptions options;
  options.host = endpoint.address;
  options.port = endpoint.port;
  options.ca_cert_pem = hall.ca_cert_pem;
  options.cert_pem = std::move(*cert);
  options.key_pem = crypto::SecretBytes::take(*key);
  return options;
}

Result<HallClient> HallClient::connect(network::ClientContext& context, network::ClientOptions options) {
  const std::string where = options.host + ":" + std::to_string(options.port);
  auto client = network::FrameClient::connect(context, std::move(options));
  if (!client) {
    return fail(client.error().code, "无法连接会场服务器 " + where +
                                         " / cannot connect to the hall server at " + where + ": " +
                                         client.error().message());
  }
  return HallClient(std::move(*client));
}

Result<protocol::Response> HallClient::call(protocol::MessageType type, nlohmann::json fields,
                                            std::chrono::milliseconds timeout) {
  auto answer = client_->call(protocol::encode_request(type, std::move(fields)), timeout);
  if (!answer) {
    return fail(answer.error().code,
                "与服务器的连接失败 / the connection to the server failed: " + answer.error().message());
  }
  return protocol::decode_response(*answer);
}

std::string refusal_text(const protocol::Response& response) {
  const std::string name = response.error ? std::string(protocol::wire_name(*response.error)) : "error";
  return name + ": " + response.detail;
}

}  // namespace hallvote::setup
