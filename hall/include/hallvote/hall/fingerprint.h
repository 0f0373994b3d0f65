// The fingerprint of a PEM certificate as people compare it by eye or by phone: lower-case hex SHA-256 of its
// DER bytes (the same value network::PeerIdentity::certificate_fingerprint_hex carries).
#pragma once

#include <string>
#include <string_view>

#include "hallvote/common/result.h"

namespace hallvote::setup {

// Fails (std::errc::invalid_argument) when `pem` holds no well-formed CERTIFICATE block.
[[nodiscard]] Result<std::string> certificate_fingerprint(std::string_view pem);

}  // namespace hallvote::setup
