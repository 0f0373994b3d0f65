#include "hallvote/hardware/errors.h"

#include <string>

namespace hallvote::hardware {
namespace {

class HardwareCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.hardware"; }
  std::string message(int value) const override {
    switch (static_cast<HardwareErrc>(value)) {
      case HardwareErrc::no_card:
        return "请插入代表证 / no card in the reader";
      case HardwareErrc::wrong_pin:
        return "密码错误 / wrong PIN";
      case HardwareErrc::card_locked:
        return "代表证已锁定，请联系会务工作人员 / card locked, ask the hall staff";
      case HardwareErrc::pin_required:
        return "请先输入密码 / PIN required";
      case HardwareErrc::invalid_pin:
        return "密码应为6位数字 / a PIN is 6 digits";
      case HardwareErrc::device_failure:
        return "设备无响应 / device not responding";
    }
    return "未知设备错误 / unknown device error";
  }
};

}  // namespace

const std::error_category& hardware_category() noexcept {
  static const HardwareCategory category;
  return category;
}

}  // namespace hallvote::hardware
