// Secrets in memory: move-only buffers that wipe themselves, never print, and compare in constant time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "hallvote/crypto/bytes.h"

namespace hallvote::crypto {

// Overwrites `bytes` with zeros in a way the compiler cannot elide.
void secure_wipe(std::span<std::uint8_t> bytes) noexcept;

// Constant-time equality of two equal-length byte strings (different lengths compare unequal at once; lengths
// are not secret).
[[nodiscard]] bool constant_time_equal(ByteView a, ByteView b) noexcept;

// N secret bytes. Move-only; wiped on destruction and when moved from. There is no operator== and no stream
// output: read the bytes with reveal() only where they are used.
template <std::size_t N>
class SecretArray {
 public:
  SecretArray() = default;
  ~SecretArray() { secure_wipe(bytes_); }
  SecretArray(const SecretArray&) = delete;
  SecretArray& operator=(const SecretArray&) = delete;
  SecretArray(SecretArray&& other) noexcept : bytes_(other.bytes_) { secure_wipe(other.bytes_); }
  SecretArray& operator=(SecretArray&& other) noexcept {
    if (this != &other) {
      bytes_ = other.bytes_;
      secure_wipe(other.bytes_);
    }
    return *this;
  }

  [[nodiscard]] std::span<const std::uint8_t, N> reveal() const noexcept { return bytes_; }
  [[nodiscard]] std::span<std::uint8_t, N> mutable_bytes() noexcept { return bytes_; }
  [[nodiscard]] bool equals(const SecretArray& other) const noexcept {
    return constant_time_equal(bytes_, other.bytes_);
  }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

// A secret byte string of any length, with the same guarantees as SecretArray.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size) : bytes_(size) {}
  // Takes the bytes and wipes the source.
  static SecretBytes take(Bytes& source);
  ~SecretBytes() { secure_wipe(bytes_); }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      secure_wipe(bytes_);
      bytes_ = std::move(other.bytes_);
      other.bytes_.clear();
    }
    return *this;
  }

  [[nodiscard]] ByteView reveal() const noexcept { return bytes_; }
  [[nodiscard]] std::span<std::uint8_t> mutable_bytes() noexcept { return bytes_; }
  [[nodiscard]] std::size_t size() const noexcept { return bytes_.size(); }
  [[nodiscard]] bool equals(const SecretBytes& other) const noexcept {
    return constant_time_equal(bytes_, other.bytes_);
  }

 private:
  Bytes bytes_;
};

}  // namespace hallvote::crypto
