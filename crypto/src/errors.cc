#include "hallvote/crypto/errors.h"

#include <string>

namespace hallvote::crypto {
namespace {

class CryptoCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.crypto"; }
  std::string message(int value) const override {
    switch (static_cast<CryptoErrc>(value)) {
      case CryptoErrc::invalid_encoding:
        return "编码无效 / invalid encoding";
      case CryptoErrc::invalid_point:
        return "群元素编码无效 / invalid ristretto255 point encoding";
      case CryptoErrc::identity_point:
        return "群元素为单位元 / identity element not allowed";
      case CryptoErrc::invalid_scalar:
        return "标量不规范 / non-canonical scalar";
      case CryptoErrc::invalid_proof:
        return "零知识证明无效 / invalid zero-knowledge proof";
      case CryptoErrc::invalid_signature:
        return "签名无效 / invalid signature";
      case CryptoErrc::out_of_range:
        return "数值超出范围 / value out of range";
      case CryptoErrc::dlog_bound_exceeded:
        return "解密结果超出上限 / decrypted value exceeds its bound";
      case CryptoErrc::invalid_share:
        return "份额无效 / invalid share";
      case CryptoErrc::not_enough_shares:
        return "有效份额不足 / not enough valid shares";
      case CryptoErrc::wrong_passphrase:
        return "口令错误 / wrong passphrase";
      case CryptoErrc::corrupt_key_file:
        return "密钥文件已损坏 / corrupt key file";
      case CryptoErrc::unsupported_version:
        return "不支持的版本 / unsupported version";
      case CryptoErrc::decryption_failed:
        return "密封数据无法解开 / sealed data does not open";
      case CryptoErrc::protocol_violation:
        return "协议步骤不符 / protocol violation";
    }
    return "未知错误 / unknown crypto error";
  }
};

}  // namespace

const std::error_category& crypto_category() noexcept {
  static const CryptoCategory category;
  return category;
}

}  // namespace hallvote::crypto
