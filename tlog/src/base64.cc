#include "base64.h"

#include <sodium.h>

#include "hallvote/tlog/errors.h"

namespace hallvote::audit {

std::string base64_encode(crypto::ByteView bytes) {
  const std::size_t size = sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(size, '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  return out;
}

Result<crypto::Bytes> base64_decode(std::string_view text) {
  crypto::Bytes out(text.size() / 4 * 3 + 3);
  std::size_t size = 0;
  const char* end = nullptr;
  if (text.size() % 4 != 0 ||
      sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &size, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return fail(AuditErrc::malformed, "invalid base64");
  }
  out.resize(size);
  if (base64_encode(out) != text) return fail(AuditErrc::malformed, "non-canonical base64");
  return out;
}

}  // namespace hallvote::audit
