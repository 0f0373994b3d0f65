#include "hallvote/hall/log_extension.h"

#include "hallvote/crypto/bytes.h"
#include "hallvote/tlog/errors.h"

namespace hallvote::setup {

Status answer_extends(const audit::Checkpoint& held, const audit::Checkpoint& next,
                      const nlohmann::json& answer) {
  std::vector<audit::Hash> proof;
  if (const auto found = answer.find("consistency"); found != answer.end()) {
    if (!found->is_array())
      return fail(audit::AuditErrc::inconsistent_checkpoint, "consistency proof: not an array");
    for (const auto& item : *found) {
      auto hash = item.is_string() ? crypto::from_hex_fixed<32>(item.get<std::string>())
                                   : Result<std::array<std::uint8_t, 32>>(fail(std::errc::invalid_argument));
      if (!hash) return fail(audit::AuditErrc::inconsistent_checkpoint, "consistency proof: not hex(32)");
      proof.push_back(*hash);
    }
  }
  return audit::check_extends(held, next, proof);
}

}  // namespace hallvote::setup
