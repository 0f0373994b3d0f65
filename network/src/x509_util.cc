#include "x509_util.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <array>
#include <climits>

#include "hallvote/crypto/bytes.h"

namespace hallvote::network::detail {
namespace {

struct BioFree {
  void operator()(BIO* p) const noexcept { BIO_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr read_bio(const void* data, std::size_t size) {
  if (size > static_cast<std::size_t>(INT_MAX)) return nullptr;
  return BioPtr(BIO_new_mem_buf(data, static_cast<int>(size)));
}

std::string bio_to_string(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(size));
}

// The one entry of `nid` in `name` as UTF-8, or an error naming the field.
Result<std::string> single_entry(const X509_NAME* name, int nid, const char* field, NetworkErrc errc) {
  if (name == nullptr) return fail(errc, std::string("no subject, so no ") + field);
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return fail(errc, std::string("subject has no ") + field);
  if (X509_NAME_get_index_by_NID(name, nid, index) >= 0)
    return fail(errc, std::string("subject repeats ") + field);
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0 || utf8 == nullptr) return fail(errc, std::string("subject ") + field + " is not text");
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

std::string openssl_errors() {
  std::string out;
  std::array<char, 256> buffer{};
  while (const unsigned long code = ERR_get_error()) {
    ERR_error_string_n(code, buffer.data(), buffer.size());
    if (!out.empty()) out += "; ";
    out += buffer.data();
  }
  return out;
}

Result<X509Ptr> parse_certificate(std::string_view pem) {
  BioPtr bio = read_bio(pem.data(), pem.size());
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) return fail(NetworkErrc::invalid_certificate, "not a PEM certificate: " + openssl_errors());
  return cert;
}

Result<X509ReqPtr> parse_csr(std::string_view pem) {
  BioPtr bio = read_bio(pem.data(), pem.size());
  X509ReqPtr csr(bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!csr) return fail(NetworkErrc::invalid_csr, "not a PEM certificate request: " + openssl_errors());
  return csr;
}

Result<PkeyPtr> parse_private_key(crypto::ByteView pem) {
  BioPtr bio = read_bio(pem.data(), pem.size());
  // No passphrase callback: an encrypted PEM fails instead of prompting on a terminal.
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>("")) : nullptr);
  if (!key) {
    ERR_clear_error();  // the error text could quote parts of the input: drop it
    return fail(NetworkErrc::invalid_key, "not a PEM private key");
  }
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
    return fail(NetworkErrc::invalid_key, "not an Ed25519 key");
  return key;
}

std::string certificate_to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  return bio_to_string(bio.get());
}

std::string csr_to_pem(X509_REQ* csr) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_REQ(bio.get(), csr) != 1) return {};
  return bio_to_string(bio.get());
}

crypto::SecretBytes private_key_to_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) return {};
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  if (size <= 0 || data == nullptr) return {};
  crypto::SecretBytes out(static_cast<std::size_t>(size));
  std::copy_n(reinterpret_cast<const std::uint8_t*>(data), out.size(), out.mutable_bytes().begin());
  OPENSSL_cleanse(data, static_cast<std::size_t>(size));
  return out;
}

Result<PkeyPtr> generate_ed25519() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return fail(NetworkErrc::invalid_key, "Ed25519 key generation failed: " + openssl_errors());
  return key;
}

Result<std::string> single_common_name(const X509_NAME* name) {
  auto cn = single_entry(name, NID_commonName, "CN", NetworkErrc::invalid_common_name);
  if (!cn) return cn;
  if (!is_valid_id(*cn)) {
    return fail(NetworkErrc::invalid_common_name, "CN is not a plain id [A-Za-z0-9._-]{1,64}");
  }
  return cn;
}

Result<PeerIdentity> identity_of(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  auto cn = single_entry(subject, NID_commonName, "CN", NetworkErrc::peer_identity_invalid);
  if (!cn) return forward(cn.error());
  if (!is_valid_id(*cn)) return fail(NetworkErrc::peer_identity_invalid, "certificate CN is not a plain id");
  auto ou = single_entry(subject, NID_organizationalUnitName, "OU (role)", NetworkErrc::peer_identity_invalid);
  if (!ou) return forward(ou.error());
  const auto role = parse_role(*ou);
  if (!role) return fail(NetworkErrc::peer_identity_invalid, "certificate OU is not a known role");

  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (X509_digest(cert, EVP_sha256(), digest.data(), &digest_size) != 1) {
    return fail(NetworkErrc::invalid_certificate, "cannot hash certificate: " + openssl_errors());
  }
  return PeerIdentity{std::move(*cn), *role, crypto::to_hex(crypto::ByteView(digest.data(), digest_size))};
}

Result<PeerIdentity> verified_peer_identity(SSL* ssl) {
  X509Ptr cert(SSL_get1_peer_certificate(ssl));
  if (!cert) return fail(NetworkErrc::handshake_failed, "peer presented no certificate");
  const long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    return fail(NetworkErrc::handshake_failed,
                std::string("peer certificate not verified: ") + X509_verify_cert_error_string(verify));
  }
  return identity_of(cert.get());
}

}  // namespace hallvote::network::detail
