// Error codes of hallvote::crypto. Each is a normal, named rejection of bad input; misuse (a wrong buffer size
// in our own code) aborts instead.
#pragma once

#include <system_error>

namespace hallvote::crypto {

enum class CryptoErrc {
  invalid_encoding = 1,  // wrong length or malformed hex/bytes
  invalid_point,         // not a canonical ristretto255 encoding
  identity_point,        // the identity where a non-identity element is required
  invalid_scalar,        // not a canonical scalar (>= L)
  invalid_proof,         // a zero-knowledge proof that does not verify
  invalid_signature,     // an Ed25519 signature that does not verify
  out_of_range,          // a plaintext or count outside its allowed range
  dlog_bound_exceeded,   // decrypted value larger than the stated bound
  invalid_share,         // a key or decryption share that fails its check (the sender is named)
  not_enough_shares,     // fewer than k valid shares
  wrong_passphrase,      // key file intact but the passphrase does not open it
  corrupt_key_file,      // key file damaged or truncated
  unsupported_version,   // key file or message of a version this build does not read
  decryption_failed,     // a sealed box that does not open with this key
  protocol_violation,    // a ceremony message out of order or inconsistent with an earlier one
};

const std::error_category& crypto_category() noexcept;

inline std::error_code make_error_code(CryptoErrc e) noexcept {
  return {static_cast<int>(e), crypto_category()};
}

}  // namespace hallvote::crypto

template <>
struct std::is_error_code_enum<hallvote::crypto::CryptoErrc> : std::true_type {};
