// A hall console's connection to the server (hallvote-server ctl, hallvote-presidium approve): a TLS client
// with the console's certificate (hall directory operators/ID.{key,crt}) pinned to the hall CA, speaking the
// hall protocol (docs/protocol.md §4.3). Not thread-safe; the ClientContext must outlive it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "hallvote/common/result.h"
#include "hallvote/hall/hall_dir.h"
#include "hallvote/network/client.h"
#include "hallvote/protocol/messages.h"

namespace hallvote::setup {

// Where the running server listens: --address/--port if given, else what `hallvote-server run` wrote to
// <hall>/listen.json, else 127.0.0.1:7443.
struct Endpoint {
  std::string address = "127.0.0.1";
  std::uint16_t port = 7443;
};
[[nodiscard]] Endpoint resolve_endpoint(const HallPaths& paths, const std::optional<std::string>& address,
                                        const std::optional<std::uint16_t>& port);

// Client options for `id` with its key and certificate from `keys_dir` (ID.key, ID.crt).
[[nodiscard]] Result<network::ClientOptions> client_options(const Hall& hall,
                                                            const std::filesystem::path& keys_dir,
                                                            const std::string& id, const Endpoint& endpoint);

class HallClient {
 public:
  // Connects (network errors are NetworkErrc values).
  [[nodiscard]] static Result<HallClient> connect(network::ClientContext& context,
                                                  network::ClientOptions options);

  // Sends one request; a refusal is a Response with ok == false (the transport failing is an Error).
  [[nodiscard]] Result<protocol::Response> call(protocol::MessageType type,
                                                nlohmann::json fields = nlohmann::json::object(),
                                                std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  explicit HallClient(std::unique_ptr<network::FrameClient> client) : client_(std::move(client)) {}
  std::unique_ptr<network::FrameClient> client_;
};

// "<wire name>: <detail>" of a refusal.
[[nodiscard]] std::string refusal_text(const protocol::Response& response);

}  // namespace hallvote::setup
