#include "hallvote/session/errors.h"

#include <string>

namespace hallvote::session {
namespace {

class SessionCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.session"; }

  std::string message(int value) const override {
    switch (static_cast<SessionErrc>(value)) {
      case SessionErrc::unreadable_file:
        return "无法读取文件 / cannot read file";
      case SessionErrc::invalid_utf8:
        return "不是有效的UTF-8编码 / not valid UTF-8";
      case SessionErrc::toml_syntax:
        return "TOML语法错误 / TOML syntax error";
      case SessionErrc::input_limit:
        return "超出输入限制 / beyond an input limit";
      case SessionErrc::unsupported_format_version:
        return "不支持的格式版本 / unsupported format version";
      case SessionErrc::missing_field:
        return "缺少必填字段 / missing required field";
      case SessionErrc::wrong_type:
        return "字段类型错误 / field has the wrong type";
      case SessionErrc::unknown_field:
        return "未知字段 / unknown field";
      case SessionErrc::invalid_value:
        return "字段取值无效 / invalid value";
      case SessionErrc::duplicate_id:
        return "编号重复 / duplicate id";
      case SessionErrc::unknown_reference:
        return "引用的编号不存在 / unknown reference";
      case SessionErrc::invalid_limit:
        return "选择数量限制无效 / invalid selection limit";
      case SessionErrc::missing_credential_key:
        return "缺少公钥 / missing public key";
      case SessionErrc::invalid_credential_key:
        return "公钥格式无效 / invalid public key";
      case SessionErrc::duplicate_credential_key:
        return "公钥重复 / duplicate public key";
      case SessionErrc::impossible_quorum:
        return "门限数无法满足 / impossible quorum";
      case SessionErrc::empty_list:
        return "列表为空 / empty list";
      case SessionErrc::csv_syntax:
        return "CSV格式错误 / CSV syntax error";
      case SessionErrc::csv_missing_column:
        return "CSV缺少列 / CSV column missing";
      case SessionErrc::csv_unknown_column:
        return "CSV列名无法识别 / unknown CSV column";
      case SessionErrc::invalid_definition:
        return "会议定义有误 / invalid session definition";
      case SessionErrc::illegal_transition:
        return "不允许的状态转换 / illegal state transition";
      case SessionErrc::quorum_not_met:
        return "出席代表不足法定人数 / quorum not met";
      case SessionErrc::not_enough_approvals:
        return "主席团批准人数不足 / not enough approvals";
      case SessionErrc::unknown_signer:
        return "签署人不在密钥委员会中 / signer not on the key committee";
      case SessionErrc::unknown_vote:
        return "表决事项不存在 / unknown vote";
      case SessionErrc::inconsistent_counts:
        return "计票数据不一致 / inconsistent counts";
      case SessionErrc::unexpected_round:
        return "不应有此轮投票 / unexpected round";
      case SessionErrc::invalid_decision:
        return "主席团决定与该轮结果不符 / the presidium decision does not fit the round";
    }
    return "未知错误 / unknown session error";
  }
};

}  // namespace

const std::error_category& session_category() noexcept {
  static const SessionCategory category;
  return category;
}

}  // namespace hallvote::session
