// Private OpenSSL helpers shared by the CA, the TLS setup and identity extraction: owning pointers, PEM in and
// out, and the verified-certificate → PeerIdentity mapping. No Asio here.
#pragma once

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/crypto/secret.h"
#include "hallvote/network/errors.h"
#include "hallvote/network/identity.h"

namespace hallvote::network::detail {

struct X509Free {
  void operator()(X509* p) const noexcept { X509_free(p); }
};
struct X509ReqFree {
  void operator()(X509_REQ* p) const noexcept { X509_REQ_free(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct SslCtxFree {
  void operator()(SSL_CTX* p) const noexcept { SSL_CTX_free(p); }
};

using X509Ptr = std::unique_ptr<X509, X509Free>;
using X509ReqPtr = std::unique_ptr<X509_REQ, X509ReqFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

// The queued OpenSSL errors as one line (and clears the queue). Never contains key material.
std::string openssl_errors();

Result<X509Ptr> parse_certificate(std::string_view pem);
Result<X509ReqPtr> parse_csr(std::string_view pem);
// Fails with invalid_key unless the PEM holds an Ed25519 private key.
Result<PkeyPtr> parse_private_key(crypto::ByteView pem);

std::string certificate_to_pem(X509* cert);
std::string csr_to_pem(X509_REQ* csr);
crypto::SecretBytes private_key_to_pem(EVP_PKEY* key);

Result<PkeyPtr> generate_ed25519();

// The single CN of `name` if present, unique and is_valid_id, else invalid_common_name.
Result<std::string> single_common_name(const X509_NAME* name);

// Id (CN), role (OU) and SHA-256 fingerprint of `cert`. The caller decides whether cert was verified.
Result<PeerIdentity> identity_of(X509* cert);

// The identity of the peer of a completed handshake on `ssl`: fails with handshake_failed if there is no peer
// certificate or verification did not succeed, peer_identity_invalid if CN/OU are unusable.
Result<PeerIdentity> verified_peer_identity(SSL* ssl);

// TLS contexts: TLS 1.3 only, mutual authentication, trust = the hall CA only, no session resumption.
// Fails with invalid_certificate / invalid_key for bad PEM, or a key that does not match the certificate.
Result<SslCtxPtr> make_server_tls_context(std::string_view ca_pem, std::string_view cert_pem,
                                          crypto::ByteView key_pem);
Result<SslCtxPtr> make_client_tls_context(std::string_view ca_pem, std::string_view cert_pem,
                                          crypto::ByteView key_pem);

// Makes `ssl` check the server certificate's subjectAltName against `host` (DNS name or IP literal).
Status expect_server_name(SSL* ssl, const std::string& host);

}  // namespace hallvote::network::detail
