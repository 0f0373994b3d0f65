// Which failures of a seat's request are worth a resend.
#pragma once

#include "hallvote/common/result.h"
#include "hallvote/network/errors.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::terminal_tool {

// A lost connection or the server's internal failure: the answer may come on a resend (every request of the
// seat protocol is safe to resend).
[[nodiscard]] inline bool transient(const Error& error) {
  return error.code.category() == network::network_category() ||
         error.code == make_error_code(protocol::ProtocolErrc::internal);
}

}  // namespace hallvote::terminal_tool
