#include "hallvote/hall/fingerprint.h"

#include "hallvote/crypto/hash.h"

namespace hallvote::setup {
namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

Result<std::string> certificate_fingerprint(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  const auto begin = pem.find(kBegin);
  const auto end = pem.find(kEnd);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    return fail(std::errc::invalid_argument, "不是PEM证书 / not a PEM certificate");
  }
  crypto::Bytes der;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : pem.substr(begin + kBegin.size(), end - begin - kBegin.size())) {
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    if (c == '=') break;
    const int value = base64_value(c);
    if (value < 0) return fail(std::errc::invalid_argument, "证书编码无效 / bad base64 in the certificate");
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      der.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFFu));
    }
  }
  return crypto::to_hex(crypto::sha256(der));
}

}  // namespace hallvote::setup
