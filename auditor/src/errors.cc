#include "hallvote/auditor/errors.h"

#include <string>

namespace hallvote::vote_audit {
namespace {

class VoteAuditCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.vote_audit"; }
  std::string message(int value) const override {
    switch (static_cast<VoteAuditErrc>(value)) {
      case VoteAuditErrc::missing_session:
        return "日志未记录会议定义 / the log does not record the session definition";
      case VoteAuditErrc::malformed:
        return "条目字段格式错误 / malformed entry field";
      case VoteAuditErrc::unknown_name:
        return "会议中没有此名称 / not a name of the session";
      case VoteAuditErrc::out_of_order:
        return "条目顺序不符合状态机 / entry not allowed in this state";
      case VoteAuditErrc::invalid_signature:
        return "签名无效 / invalid signature";
      case VoteAuditErrc::invalid_proof:
        return "零知识证明无效 / invalid proof";
      case VoteAuditErrc::mismatch:
        return "重算结果与日志不符 / recomputed value differs from the log";
      case VoteAuditErrc::duplicate:
        return "重复记录 / duplicate record";
      case VoteAuditErrc::records_differ:
        return "决议文件与日志重新生成的不符 / records differ from those regenerated";
      case VoteAuditErrc::records_unavailable:
        return "无法生成或读取决议文件 / records cannot be regenerated or read";
    }
    return "未知错误 / unknown vote-audit error";
  }
};

}  // namespace

const std::error_category& vote_audit_category() noexcept {
  static const VoteAuditCategory category;
  return category;
}

}  // namespace hallvote::vote_audit
