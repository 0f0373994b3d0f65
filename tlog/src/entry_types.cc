#include "hallvote/tlog/entry_types.h"

#include "hallvote/tlog/errors.h"

namespace hallvote::audit {

Status check_payload(EntryType type, std::string_view payload) {
  auto event = protocol::decode(type, payload);
  if (!event) return fail(AuditErrc::invalid_payload, event.error().detail);
  return {};
}

}  // namespace hallvote::audit
