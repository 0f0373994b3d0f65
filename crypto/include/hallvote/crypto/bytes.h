// Byte strings and hex, the encodings every other format is built from.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/errors.h"

namespace hallvote::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Lower-case hex of `bytes`.
[[nodiscard]] std::string to_hex(ByteView bytes);

// Decodes hex (either case, no separators). Fails with invalid_encoding on odd length or a non-hex character,
// naming its position.
[[nodiscard]] Result<Bytes> from_hex(std::string_view hex);

// Decodes exactly N bytes of hex; fails with invalid_encoding on any other length.
template <std::size_t N>
[[nodiscard]] Result<std::array<std::uint8_t, N>> from_hex_fixed(std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes) return forward(bytes.error());
  if (bytes->size() != N) {
    return fail(CryptoErrc::invalid_encoding,
                "expected " + std::to_string(N) + " bytes of hex, got " + std::to_string(bytes->size()));
  }
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

// Views a string's bytes (UTF-8 text is hashed and signed as its bytes).
[[nodiscard]] inline ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Appends `value` as 8 bytes, big-endian: the length prefix used by every hash input and wire format.
void append_u64_be(Bytes& out, std::uint64_t value);
void append_u32_be(Bytes& out, std::uint32_t value);

}  // namespace hallvote::crypto
