// Hash functions and the domain-separated, length-prefixed hash input every protocol hash is built from.
// Formats: docs/crypto.md §2 ("Hash inputs").
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "hallvote/crypto/bytes.h"

namespace hallvote::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;
using Sha512Digest = std::array<std::uint8_t, 64>;

[[nodiscard]] Sha256Digest sha256(ByteView data);
[[nodiscard]] Sha512Digest sha512(ByteView data);

// Incremental SHA-256 (for the audit log's Merkle hashing without copying).
class Sha256 {
 public:
  Sha256();
  Sha256& update(ByteView data);
  Sha256& update(std::uint8_t byte) { return update(ByteView(&byte, 1)); }
  [[nodiscard]] Sha256Digest finish();

 private:
  alignas(16) std::uint8_t state_[128]{};  // crypto_hash_sha256_state (104 bytes) kept opaque here
};

// Builds the input of a domain-separated hash:
//   "hallvote/v1/" ‖ tag ‖ 0x00, then for each field: u64_be(length) ‖ bytes.
// Every field is length-prefixed, so no two different field lists produce the same input.
class HashInput {
 public:
  explicit HashInput(std::string_view tag);
  HashInput& add(ByteView field);
  HashInput& add(std::string_view text) { return add(as_bytes(text)); }
  HashInput& add_u64(std::uint64_t value);  // as an 8-byte field
  [[nodiscard]] const Bytes& bytes() const noexcept { return buffer_; }
  [[nodiscard]] Sha512Digest sha512() const;
  [[nodiscard]] Sha256Digest sha256() const;

 private:
  Bytes buffer_;
};

}  // namespace hallvote::crypto
