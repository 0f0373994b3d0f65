#include "hallvote/crypto/key_file.h"

#include <sodium.h>

#include <string>

#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/hash.h"
#include "sodium_init.h"

namespace hallvote::crypto {
namespace {

constexpr std::string_view kMagic = "hallvote-key-file";
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kSaltBytes = crypto_pwhash_SALTBYTES;                        // 16
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16
constexpr std::uint32_t kMaxMemlimitKib = 4u * 1024 * 1024;                        // 4 GiB
constexpr std::uint32_t kMaxOpslimit = 64;

std::uint32_t read_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

bool within_bounds(const KdfParams& params) {
  return params.opslimit >= crypto_pwhash_OPSLIMIT_MIN && params.opslimit <= kMaxOpslimit &&
         std::size_t{params.memlimit_kib} * 1024 >= crypto_pwhash_MEMLIMIT_MIN &&
         params.memlimit_kib <= kMaxMemlimitKib;
}

Result<SecretArray<32>> derive_key(std::string_view passphrase, ByteView salt, const KdfParams& params) {
  SecretArray<32> key;
  if (crypto_pwhash(key.mutable_bytes().data(), 32, passphrase.data(), passphrase.size(), salt.data(),
                    params.opslimit, std::size_t{params.memlimit_kib} * 1024,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(
        CryptoErrc::corrupt_key_file,
        "Argon2id 无法以该文件的参数运行（内存不足？）/ Argon2id could not run with the file's parameters "
        "(out of memory?); the file may be intact");
  }
  return key;
}

}  // namespace

KdfParams KdfParams::moderate() {
  return {static_cast<std::uint32_t>(crypto_pwhash_OPSLIMIT_MODERATE),
          static_cast<std::uint32_t>(crypto_pwhash_MEMLIMIT_MODERATE / 1024)};
}

KdfParams KdfParams::minimal() {
  return {static_cast<std::uint32_t>(crypto_pwhash_OPSLIMIT_MIN),
          static_cast<std::uint32_t>(crypto_pwhash_MEMLIMIT_MIN / 1024)};
}

// Layout (docs/crypto.md §8): magic ‖ u8 version ‖ u8 len(kind) ‖ kind ‖ u32 opslimit ‖ u32 memlimit_kib ‖ salt
// ‖ nonce ‖ u32 len(ciphertext) ‖ ciphertext ‖ SHA-256(all before). The header (magic .. len(ciphertext)) is
// the AEAD's associated data.
Bytes seal_key_file(std::string_view kind, ByteView secret, std::string_view passphrase,
                    const KdfParams& params, RandomSource& random) {
  detail::ensure_sodium();
  if (kind.empty() || kind.size() > 255 || !within_bounds(params)) std::abort();
  Bytes out(kMagic.begin(), kMagic.end());
  out.push_back(kVersion);
  out.push_back(static_cast<std::uint8_t>(kind.size()));
  out.insert(out.end(), kind.begin(), kind.end());
  append_u32_be(out, params.opslimit);
  append_u32_be(out, params.memlimit_kib);
  Bytes salt(kSaltBytes);
  Bytes nonce(kNonceBytes);
  random.fill(salt);
  random.fill(nonce);
  out.insert(out.end(), salt.begin(), salt.end());
  out.insert(out.end(), nonce.begin(), nonce.end());
  append_u32_be(out, static_cast<std::uint32_t>(secret.size() + kTagBytes));
  auto key = derive_key(passphrase, salt, params);
  if (!key) std::abort();  // our own parameters: a bug or out of memory
  const std::size_t header_size = out.size();
  out.resize(header_size + secret.size() + kTagBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + header_size, &written, secret.data(), secret.size(),
                                             out.data(), header_size, nullptr, nonce.data(),
                                             key->reveal().data());
  const Sha256Digest checksum = sha256(out);
  out.insert(out.end(), checksum.begin(), checksum.end());
  return out;
}

Result<SecretBytes> open_key_file(ByteView file, std::string_view expected_kind, std::string_view passphrase) {
  detail::ensure_sodium();
  const auto corrupt = [](const std::string& why) { return fail(CryptoErrc::corrupt_key_file, why); };
  if (file.size() < kMagic.size() + 2 || !std::equal(kMagic.begin(), kMagic.end(), file.begin())) {
    return corrupt("不是 hallvote 密钥文件 / not a hallvote key file (magic missing)");
  }
  std::size_t at = kMagic.size();
  const std::uint8_t version = file[at++];
  if (version != kVersion) {
    return fail(CryptoErrc::unsupported_version, "密钥文件版本 " + std::to_string(version) +
                                                     "，本程序只读版本 1 / key file version " +
                                                     std::to_string(version) + ", this build reads version 1");
  }
  const std::size_t kind_size = file[at++];
  const std::size_t fixed_after_kind = 8 + kSaltBytes + kNonceBytes + 4;
  if (file.size() < at + kind_size + fixed_after_kind + kTagBytes + 32) return corrupt("key file truncated");
  const std::string kind(reinterpret_cast<const char*>(file.data() + at), kind_size);
  at += kind_size;
  const KdfParams params{read_u32(file.data() + at), read_u32(file.data() + at + 4)};
  at += 8;
  const ByteView salt = file.subspan(at, kSaltBytes);
  at += kSaltBytes;
  const ByteView nonce = file.subspan(at, kNonceBytes);
  at += kNonceBytes;
  const std::size_t ciphertext_size = read_u32(file.data() + at);
  at += 4;
  const std::size_t header_size = at;
  if (ciphertext_size < kTagBytes || file.size() != header_size + ciphertext_size + 32) {
    return corrupt("key file length does not match its header (truncated or extended)");
  }
  const Sha256Digest checksum = sha256(file.first(header_size + ciphertext_size));
  if (!constant_time_equal(checksum, file.last(32)))
    return corrupt("密钥文件校验和不符 / key file checksum mismatch");
  if (kind != expected_kind) {
    return fail(CryptoErrc::invalid_encoding,
                "key file holds a '" + kind + "' key, expected '" + std::string(expected_kind) + "'");
  }
  if (!within_bounds(params)) {
    return corrupt("key file's Argon2id parameters are out of bounds");
  }
  auto key = derive_key(passphrase, salt, params);
  if (!key) return forward(key.error());
  SecretBytes secret(ciphertext_size - kTagBytes);
  unsigned long long opened = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(secret.mutable_bytes().data(), &opened, nullptr,
                                                 file.data() + header_size, ciphertext_size, file.data(),
                                                 header_size, nonce.data(), key->reveal().data()) != 0) {
    return fail(CryptoErrc::wrong_passphrase,
                "口令无法打开该密钥文件 / the passphrase does not open this key file");
  }
  return secret;
}

}  // namespace hallvote::crypto
