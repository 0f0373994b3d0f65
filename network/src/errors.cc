#include "hallvote/network/errors.h"

#include <string>

namespace hallvote::network {
namespace {

class NetworkCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.network"; }
  std::string message(int value) const override {
    switch (static_cast<NetworkErrc>(value)) {
      case NetworkErrc::frame_empty:
        return "空帧 / zero-length frame";
      case NetworkErrc::frame_too_large:
        return "帧过大 / frame too large";
      case NetworkErrc::protocol_violation:
        return "传输协议违规 / transport protocol violation";
      case NetworkErrc::handshake_failed:
        return "TLS 握手失败 / TLS handshake failed";
      case NetworkErrc::peer_identity_invalid:
        return "对端证书身份无效 / peer certificate has no valid identity";
      case NetworkErrc::wrong_peer_role:
        return "对端角色不符 / peer has the wrong role";
      case NetworkErrc::timed_out:
        return "超时 / deadline expired";
      case NetworkErrc::connection_closed:
        return "连接已关闭 / connection closed";
      case NetworkErrc::connect_failed:
        return "无法连接 / could not connect";
      case NetworkErrc::io_error:
        return "网络错误 / network I/O error";
      case NetworkErrc::invalid_certificate:
        return "证书无效 / invalid certificate";
      case NetworkErrc::invalid_key:
        return "私钥无效 / invalid private key";
      case NetworkErrc::invalid_csr:
        return "证书请求无效 / invalid certificate signing request";
      case NetworkErrc::invalid_common_name:
        return "标识名无效 / invalid common name";
      case NetworkErrc::invalid_argument:
        return "参数无效 / invalid argument";
      case NetworkErrc::unsupported_version:
        return "不支持的传输版本 / unsupported transport version";
      case NetworkErrc::internal_error:
        return "内部错误 / internal error";
      case NetworkErrc::connection_limit:
        return "连接数已达上限 / connection limit reached";
    }
    return "未知网络错误 / unknown network error";
  }
};

}  // namespace

const std::error_category& network_category() noexcept {
  static const NetworkCategory category;
  return category;
}

}  // namespace hallvote::network
