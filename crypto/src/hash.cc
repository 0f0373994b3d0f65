#include "hallvote/crypto/hash.h"

#include <sodium.h>

#include "sodium_init.h"

namespace hallvote::crypto {

static_assert(sizeof(crypto_hash_sha256_state) <= 128);

Sha256Digest sha256(ByteView data) {
  Sha256Digest out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

Sha512Digest sha512(ByteView data) {
  Sha512Digest out;
  crypto_hash_sha512(out.data(), data.data(), data.size());
  return out;
}

Sha256::Sha256() { crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_)); }

Sha256& Sha256::update(ByteView data) {
  crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_), data.data(), data.size());
  return *this;
}

Sha256Digest Sha256::finish() {
  Sha256Digest out;
  crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_), out.data());
  return out;
}

HashInput::HashInput(std::string_view tag) {
  static constexpr std::string_view kPrefix = "hallvote/v1/";
  buffer_.reserve(256);
  buffer_.insert(buffer_.end(), kPrefix.begin(), kPrefix.end());
  buffer_.insert(buffer_.end(), tag.begin(), tag.end());
  buffer_.push_back(0);
}

HashInput& HashInput::add(ByteView field) {
  append_u64_be(buffer_, field.size());
  buffer_.insert(buffer_.end(), field.begin(), field.end());
  return *this;
}

HashInput& HashInput::add_u64(std::uint64_t value) {
  append_u64_be(buffer_, 8);  // the field's length, then the field (no temporary buffer)
  append_u64_be(buffer_, value);
  return *this;
}

Sha512Digest HashInput::sha512() const { return crypto::sha512(buffer_); }
Sha256Digest HashInput::sha256() const { return crypto::sha256(buffer_); }

}  // namespace hallvote::crypto
