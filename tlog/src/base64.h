// Standard base64 (RFC 4648 §4, with padding), as used by signed notes, checkpoints, proofs and bundles.
#pragma once

#include <string>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"

namespace hallvote::audit {

[[nodiscard]] std::string base64_encode(crypto::ByteView bytes);

// Decodes strict base64: padded, no whitespace, and canonical (re-encoding gives the same text), so that every
// byte of an encoding matters. Fails with AuditErrc::malformed.
[[nodiscard]] Result<crypto::Bytes> base64_decode(std::string_view text);

}  // namespace hallvote::audit
