// TLS settings of the hall transport (docs/protocol.md §1.1): OpenSSL only, shared by server and client.
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "x509_util.h"

namespace hallvote::network::detail {
namespace {

constexpr const char* kCipherSuites =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";
constexpr const char* kGroups = "X25519:P-256";
constexpr const char* kSignatureAlgorithms = "ed25519";

Result<SslCtxPtr> make_context(const SSL_METHOD* method, std::string_view ca_pem, std::string_view cert_pem,
                               crypto::ByteView key_pem) {
  SslCtxPtr ctx(SSL_CTX_new(method));
  if (!ctx) return fail(NetworkErrc::io_error, "SSL_CTX_new failed: " + openssl_errors());
  SSL_CTX* c = ctx.get();
  if (SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_ciphersuites(c, kCipherSuites) != 1 || SSL_CTX_set1_groups_list(c, kGroups) != 1 ||
      SSL_CTX_set1_sigalgs_list(c, kSignatureAlgorithms) != 1) {
    return fail(NetworkErrc::io_error, "cannot apply TLS 1.3 settings: " + openssl_errors());
  }
  // No resumption: every connection presents and verifies certificates afresh.
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(c, 0);
  SSL_CTX_set_options(c, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS);

  // Trust exactly the hall CA: the store starts empty (no system roots are ever loaded).
  auto ca = parse_certificate(ca_pem);
  if (!ca) return forward(ca.error());
  if (X509_check_ca(ca->get()) < 1)
    return fail(NetworkErrc::invalid_certificate, "the pinned certificate is not a CA");
  if (X509_STORE_add_cert(SSL_CTX_get_cert_store(c), ca->get()) != 1) {
    return fail(NetworkErrc::invalid_certificate, "cannot pin the hall CA: " + openssl_errors());
  }
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_verify_depth(c, 1);  // the peer's certificate must be issued by the hall CA itself

  auto cert = parse_certificate(cert_pem);
  if (!cert) return forward(cert.error());
  auto key = parse_private_key(key_pem);
  if (!key) return forward(key.error());
  if (SSL_CTX_use_certificate(c, cert->get()) != 1) {
    return fail(NetworkErrc::invalid_certificate, "cannot use certificate: " + openssl_errors());
  }
  if (SSL_CTX_use_PrivateKey(c, key->get()) != 1 || SSL_CTX_check_private_key(c) != 1) {
    ERR_clear_error();
    return fail(NetworkErrc::invalid_key, "the private key does not match the certificate");
  }
  return ctx;
}

}  // namespace

Result<SslCtxPtr> make_server_tls_context(std::string_view ca_pem, std::string_view cert_pem,
                                          crypto::ByteView key_pem) {
  auto ctx = make_context(TLS_server_method(), ca_pem, cert_pem, key_pem);
  if (!ctx) return ctx;
  // Ask clients for certificates issued by the hall CA.
  auto ca = parse_certificate(ca_pem);
  if (!ca) return forward(ca.error());
  if (SSL_CTX_add_client_CA(ctx->get(), ca->get()) != 1) {
    return fail(NetworkErrc::invalid_certificate, "cannot name the hall CA to clients: " + openssl_errors());
  }
  return ctx;
}

Result<SslCtxPtr> make_client_tls_context(std::string_view ca_pem, std::string_view cert_pem,
                                          crypto::ByteView key_pem) {
  return make_context(TLS_client_method(), ca_pem, cert_pem, key_pem);
}

Status expect_server_name(SSL* ssl, const std::string& host) {
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  ASN1_OCTET_STRING* ip = a2i_IPADDRESS(host.c_str());
  if (ip != nullptr) {
    ASN1_OCTET_STRING_free(ip);
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
      return fail(NetworkErrc::invalid_argument, "cannot expect server address " + host);
    }
    return {};
  }
  ERR_clear_error();
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (SSL_set1_host(ssl, host.c_str()) != 1) {
    return fail(NetworkErrc::invalid_argument, "cannot expect server name " + host);
  }
  // SNI is not needed on the hall LAN (one server, one certificate) and would only leak the name.
  return {};
}

}  // namespace hallvote::network::detail
