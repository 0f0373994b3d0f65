#include "hallvote/tlog/errors.h"

#include <string>

namespace hallvote::audit {
namespace {

class AuditCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.audit"; }
  std::string message(int value) const override {
    switch (static_cast<AuditErrc>(value)) {
      case AuditErrc::malformed:
        return "格式错误 / malformed data";
      case AuditErrc::unsupported_version:
        return "不支持的格式版本 / unsupported format version";
      case AuditErrc::invalid_proof:
        return "默克尔证明无效 / invalid Merkle proof";
      case AuditErrc::root_mismatch:
        return "默克尔根不符 / Merkle root mismatch";
      case AuditErrc::chain_broken:
        return "哈希链断裂 / hash chain broken";
      case AuditErrc::invalid_signature:
        return "签名无效 / invalid signature";
      case AuditErrc::unknown_key:
        return "未知密钥 / unknown key";
      case AuditErrc::unauthorized_actor:
        return "签名者未经登记 / actor key not enrolled";
      case AuditErrc::invalid_payload:
        return "条目内容不符合规范 / invalid entry payload";
      case AuditErrc::inconsistent_checkpoint:
        return "检查点不一致（分叉） / inconsistent checkpoint (fork)";
      case AuditErrc::storage_failed:
        return "存储失败 / storage failed";
      case AuditErrc::writer_stopped:
        return "写入已停止 / log writer stopped";
      case AuditErrc::not_found:
        return "未找到 / not found";
    }
    return "未知错误 / unknown audit error";
  }
};

}  // namespace

const std::error_category& audit_category() noexcept {
  static const AuditCategory category;
  return category;
}

}  // namespace hallvote::audit
