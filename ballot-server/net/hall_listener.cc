#include "hall_listener.h"

#include <optional>

#include "hallvote/protocol/errors.h"

namespace hallvote::server {
namespace {

std::optional<protocol::Role> protocol_role(network::Role role) {
  switch (role) {
    case network::Role::terminal:
      return protocol::Role::terminal;
    case network::Role::staff:
      return protocol::Role::staff;
    case network::Role::chair:
      return protocol::Role::chair;
    case network::Role::presidium:
    case network::Role::scrutineer:
      return protocol::Role::presidium;
    case network::Role::display:
      return protocol::Role::display;
    case network::Role::auditor:
    case network::Role::server:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<network::FrameServer>> listen(HallServer& core, network::ServerOptions options) {
  auto handler = [&core](const network::PeerIdentity& identity, std::vector<std::uint8_t> request,
                         network::Responder respond) {
    const auto role = protocol_role(identity.role);
    if (!role) {
      respond(protocol::encode_error(
          Error{make_error_code(protocol::ProtocolErrc::forbidden),
                "证书角色 " + std::string(network::role_name(identity.role)) +
                    " 不能访问会场服务 / this certificate's role has no hall requests"}));
      return;
    }
    // A terminal cut off for too many refused casts (protocol.md §4.2.6) is disconnected instead of answered.
    const protocol::Peer peer{identity.id, *role};
    core.handle(peer, request, [respond, &core, peer](crypto::Bytes response) {
      if (core.cut_off(peer)) {
        respond(std::nullopt);
      } else {
        respond(std::move(response));
      }
    });
  };
  auto disconnected = [&core](const network::PeerIdentity& identity) {
    if (const auto role = protocol_role(identity.role)) core.disconnected({identity.id, *role});
  };
  return network::FrameServer::start(std::move(options), handler, disconnected);
}

}  // namespace hallvote::server
