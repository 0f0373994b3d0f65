#include "hallvote/crypto/secret.h"

#include <sodium.h>

namespace hallvote::crypto {

void secure_wipe(std::span<std::uint8_t> bytes) noexcept { sodium_memzero(bytes.data(), bytes.size()); }

bool constant_time_equal(ByteView a, ByteView b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

SecretBytes SecretBytes::take(Bytes& source) {
  SecretBytes out(source.size());
  std::copy(source.begin(), source.end(), out.bytes_.begin());
  secure_wipe(source);
  source.clear();
  return out;
}

}  // namespace hallvote::crypto
