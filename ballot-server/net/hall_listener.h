// The ballot server on the hall network: the TLS transport (hallvote::network) feeding the server core.
// Certificates' roles map to protocol roles (a scrutineer acts as a key-committee member, like the presidium);
// an auditor's certificate may connect but every request is refused (auditors work offline on the export).
#pragma once

#include <memory>

#include "hallvote/common/result.h"
#include "hallvote/network/server.h"
#include "hallvote/server/hall_server.h"

namespace hallvote::server {

// Starts listening; `core` must outlive the returned server (stop or destroy it first).
[[nodiscard]] Result<std::unique_ptr<network::FrameServer>> listen(HallServer& core,
                                                                   network::ServerOptions options);

}  // namespace hallvote::server
