#include "hallvote/protocol/errors.h"

#include <array>
#include <string>

namespace hallvote::protocol {
namespace {

struct Names {
  ProtocolErrc code;
  std::string_view wire;
  std::string_view text;
};

constexpr std::array<Names, 20> kNames = {{
    {ProtocolErrc::malformed, "malformed", "消息格式错误 / malformed message"},
    {ProtocolErrc::unsupported_version, "unsupported_version",
     "协议版本不受支持 / unsupported protocol version"},
    {ProtocolErrc::unknown_message, "unknown_message", "未知消息类型 / unknown message type"},
    {ProtocolErrc::forbidden, "forbidden", "无权执行此操作 / not allowed for this role"},
    {ProtocolErrc::wrong_state, "wrong_state", "当前状态不允许此操作 / not allowed in the current state"},
    {ProtocolErrc::unknown_deputy, "unknown_deputy",
     "代表不在名册中或不在任 / deputy not on the roster or not in office"},
    {ProtocolErrc::wrong_credential, "wrong_credential",
     "代表证签名无效 / signature is not by the deputy's card"},
    {ProtocolErrc::stale_challenge, "stale_challenge", "签到挑战已失效 / stale or replayed sign-in challenge"},
    {ProtocolErrc::not_signed_in, "not_signed_in", "代表未在本席位签到 / deputy not signed in at this seat"},
    {ProtocolErrc::signed_in_elsewhere, "signed_in_elsewhere",
     "代表已在其他席位签到 / deputy signed in at another seat"},
    {ProtocolErrc::wrong_vote, "wrong_vote", "选票不属于当前表决 / ballot for another vote or round"},
    {ProtocolErrc::not_issued, "not_issued", "未向该代表发放选票 / no ballot was issued to this deputy"},
    {ProtocolErrc::already_cast, "already_cast",
     "已投票，本表决不允许更改 / already voted; this vote does not allow changes"},
    {ProtocolErrc::invalid_ballot, "invalid_ballot",
     "选票不符合本轮规则（多选、少选或证明不成立）/ the ballot breaks the round's rules (too many or too few "
     "choices, or proofs that do not verify)"},
    {ProtocolErrc::invalid_approval, "invalid_approval", "主席团批准签名无效 / invalid presidium approval"},
    {ProtocolErrc::invalid_share, "invalid_share", "解密份额无效 / invalid decryption share"},
    {ProtocolErrc::internal, "internal", "服务器内部错误，操作未生效 / server error; nothing was recorded"},
    {ProtocolErrc::invalid_certification, "invalid_certification",
     "计票结果确认无效 / invalid certification of the tally report"},
    {ProtocolErrc::ballot_challenged, "ballot_challenged",
     "此选票已核验公开，不能投出 / this ballot was challenged (its secrets are public) and cannot be cast"},
    {ProtocolErrc::challenge_mismatch, "challenge_mismatch",
     "核验不符：公开的选择与随机数不能重现选票密文 / the revealed choices and nonces do not reproduce the "
     "ballot"},
}};

class ProtocolCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.protocol"; }
  std::string message(int value) const override {
    for (const auto& n : kNames) {
      if (static_cast<int>(n.code) == value) return std::string(n.text);
    }
    return "未知协议错误 / unknown protocol error";
  }
};

}  // namespace

const std::error_category& protocol_category() noexcept {
  static const ProtocolCategory category;
  return category;
}

std::string_view wire_name(ProtocolErrc code) noexcept {
  for (const auto& n : kNames) {
    if (n.code == code) return n.wire;
  }
  return "internal";
}

bool parse_wire_name(std::string_view name, ProtocolErrc& out) noexcept {
  for (const auto& n : kNames) {
    if (n.wire == name) {
      out = n.code;
      return true;
    }
  }
  return false;
}

}  // namespace hallvote::protocol
