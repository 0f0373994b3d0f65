#include "hallvote/cards/errors.h"

#include <string>

namespace hallvote::cards {
namespace {

class CardsCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.cards"; }
  std::string message(int value) const override {
    switch (static_cast<CardsErrc>(value)) {
      case CardsErrc::malformed:
        return "代表证清单格式错误 / malformed card list";
      case CardsErrc::bad_signature:
        return "代表证清单签名无效（签名后被改动）/ the card list's signature does not verify (changed after "
               "signing)";
      case CardsErrc::wrong_issuer:
        return "代表证清单不是发卡单位签发的 / the card list is signed by another key than the issuing "
               "office's";
      case CardsErrc::wrong_roster:
        return "代表证清单与本次会议名册不符 / the card list names another roster";
      case CardsErrc::demo_list:
        return "这是演示用模拟代表证清单 / a demo card list (simulated cards)";
      case CardsErrc::issuing:
        return "发卡失败 / card issuing failed";
    }
    return "未知代表证清单错误 / unknown card list error";
  }
};

}  // namespace

const std::error_category& cards_category() noexcept {
  static const CardsCategory category;
  return category;
}

}  // namespace hallvote::cards
