#include "hallvote/records/errors.h"

#include <string>

namespace hallvote::records {
namespace {

class RecordsCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.records"; }

  std::string message(int value) const override {
    switch (static_cast<RecordsErrc>(value)) {
      case RecordsErrc::malformed_payload:
        return "日志条目内容格式错误 / malformed entry payload";
      case RecordsErrc::out_of_order:
        return "日志条目顺序错误 / log entries out of order";
      case RecordsErrc::unknown_vote:
        return "表决事项不存在 / unknown vote";
      case RecordsErrc::unknown_item:
        return "表决项目不存在 / unknown vote item";
      case RecordsErrc::unknown_official:
        return "签署人不在密钥委员会中 / certifier not on the key committee";
      case RecordsErrc::role_mismatch:
        return "签署人身份不符 / certifier role does not match";
      case RecordsErrc::inconsistent_outcome:
        return "计票结果不一致 / inconsistent outcome";
      case RecordsErrc::orphan_certification:
        return "签署的轮次没有计票结果 / certification of a round without a result";
      case RecordsErrc::certification_mismatch:
        return "签署的计票结果与日志不符 / certification does not match the result entry";
      case RecordsErrc::bad_checkpoint:
        return "检查点格式错误 / malformed checkpoint note";
      case RecordsErrc::not_checkpointed:
        return "没有覆盖签署记录的检查点 / no checkpoint covers the certification";
      case RecordsErrc::nothing_certified:
        return "没有已决定并签署的表决 / no vote is decided and certified";
      case RecordsErrc::font_unavailable:
        return "缺少中文字体 / CJK font not available";
      case RecordsErrc::render_failed:
        return "文档排版失败 / rendering failed";
      case RecordsErrc::invalid_file_name:
        return "文件名无效 / invalid record file name";
      case RecordsErrc::io_error:
        return "文件写入失败 / cannot write record file";
      case RecordsErrc::missing_session:
        return "日志首条目未记录会议定义 / entry 0 does not record the session";
    }
    return "未知错误 / unknown records error";
  }
};

}  // namespace

const std::error_category& records_category() noexcept {
  static const RecordsCategory category;
  return category;
}

}  // namespace hallvote::records
