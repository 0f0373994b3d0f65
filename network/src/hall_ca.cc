#include "hallvote/network/hall_ca.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "x509_util.h"

namespace hallvote::network {
namespace {

using detail::PkeyPtr;
using detail::X509Ptr;

constexpr long kBackdateSeconds = 10 * 60;  // tolerate clocks a little behind the CA's
constexpr const char* kCaOrganization = "hallvote hall CA";

struct BnFree {
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
};

bool add_text_entry(X509_NAME* name, const char* field, std::string_view value) {
  return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), -1, 0) == 1;
}

// Adds extension `nid` = `value` (OpenSSL config syntax) to `cert`, issued by `issuer`.
bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A certificate skeleton: v3, random positive 127-bit serial, validity, subject, public key.
Result<X509Ptr> new_certificate(X509_NAME* subject, EVP_PKEY* subject_key, std::chrono::days validity) {
  if (validity.count() <= 0 || validity.count() > 100 * 365) {
    return fail(NetworkErrc::invalid_argument, "validity must be 1 day to 100 years");
  }
  X509Ptr cert(X509_new());
  std::unique_ptr<BIGNUM, BnFree> serial(BN_new());
  if (!cert || !serial || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr ||
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(validity.count()), 0, nullptr) ==
          nullptr ||
      X509_set_subject_name(cert.get(), subject) != 1 || X509_set_pubkey(cert.get(), subject_key) != 1) {
    return fail(NetworkErrc::invalid_argument, "cannot build certificate: " + detail::openssl_errors());
  }
  return cert;
}

Result<std::string> sign(X509* cert, X509* issuer, EVP_PKEY* issuer_key) {
  if (X509_set_issuer_name(cert, X509_get_subject_name(issuer)) != 1 ||
      X509_sign(cert, issuer_key, nullptr) <= 0) {
    return fail(NetworkErrc::invalid_key, "signing failed: " + detail::openssl_errors());
  }
  std::string pem = detail::certificate_to_pem(cert);
  if (pem.empty())
    return fail(NetworkErrc::invalid_certificate, "cannot write PEM: " + detail::openssl_errors());
  return pem;
}

bool is_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<KeyAndCsr> generate_key_and_csr(std::string_view common_name) {
  if (!is_valid_id(common_name)) {
    return fail(NetworkErrc::invalid_common_name, "CN is not a plain id [A-Za-z0-9._-]{1,64}");
  }
  auto key = detail::generate_ed25519();
  if (!key) return forward(key.error());
  detail::X509ReqPtr csr(X509_REQ_new());
  if (!csr || X509_REQ_set_version(csr.get(), X509_REQ_VERSION_1) != 1 ||
      !add_text_entry(X509_REQ_get_subject_name(csr.get()), "CN", common_name) ||
      X509_REQ_set_pubkey(csr.get(), key->get()) != 1 || X509_REQ_sign(csr.get(), key->get(), nullptr) <= 0) {
    return fail(NetworkErrc::invalid_csr, "cannot build CSR: " + detail::openssl_errors());
  }
  KeyAndCsr out{detail::private_key_to_pem(key->get()), detail::csr_to_pem(csr.get())};
  if (out.private_key_pem.size() == 0 || out.csr_pem.empty()) {
    return fail(NetworkErrc::invalid_csr, "cannot write PEM: " + detail::openssl_errors());
  }
  return out;
}

Result<HallCa> HallCa::create(std::string_view common_name, std::chrono::days validity) {
  if (!is_valid_id(common_name)) {
    return fail(NetworkErrc::invalid_common_name, "CA name is not a plain id [A-Za-z0-9._-]{1,64}");
  }
  auto key = detail::generate_ed25519();
  if (!key) return forward(key.error());
  std::unique_ptr<X509_NAME, decltype(&X509_NAME_free)> subject(X509_NAME_new(), &X509_NAME_free);
  if (!subject || !add_text_entry(subject.get(), "O", kCaOrganization) ||
      !add_text_entry(subject.get(), "CN", common_name)) {
    return fail(NetworkErrc::invalid_argument, "cannot build CA name: " + detail::openssl_errors());
  }
  auto cert = new_certificate(subject.get(), key->get(), validity);
  if (!cert) return forward(cert.error());
  X509* c = cert->get();
  if (!add_extension(c, c, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !add_extension(c, c, NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_extension(c, c, NID_subject_key_identifier, "hash")) {
    return fail(NetworkErrc::invalid_argument, "cannot add CA extensions: " + detail::openssl_errors());
  }
  auto pem = sign(c, c, key->get());
  if (!pem) return forward(pem.error());
  crypto::SecretBytes key_pem = detail::private_key_to_pem(key->get());
  if (key_pem.size() == 0) return fail(NetworkErrc::invalid_key, "cannot write the CA key as PEM");
  return HallCa(std::move(*pem), std::move(key_pem));
}

Result<HallCa> HallCa::load(std::string certificate_pem, crypto::SecretBytes private_key_pem) {
  auto cert = detail::parse_certificate(certificate_pem);
  if (!cert) return forward(cert.error());
  if (X509_check_ca(cert->get()) < 1) return fail(NetworkErrc::invalid_certificate, "not a CA certificate");
  auto key = detail::parse_private_key(private_key_pem.reveal());
  if (!key) return forward(key.error());
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    ERR_clear_error();
    return fail(NetworkErrc::invalid_key, "the key does not belong to the CA certificate");
  }
  return HallCa(std::move(certificate_pem), std::move(private_key_pem));
}

namespace {

// Everything issue() and issue_server() share: check the CSR, build and sign the leaf.
Result<std::string> issue_leaf(const std::string& ca_pem, const crypto::SecretBytes& ca_key_pem,
                               std::string_view csr_pem, Role role, std::chrono::days validity,
                               const std::string& subject_alt_names) {
  auto csr = detail::parse_csr(csr_pem);
  if (!csr) return forward(csr.error());
  PkeyPtr csr_key(X509_REQ_get_pubkey(csr->get()));
  if (!csr_key || EVP_PKEY_get_id(csr_key.get()) != EVP_PKEY_ED25519) {
    ERR_clear_error();
    return fail(NetworkErrc::invalid_csr, "CSR key is not Ed25519");
  }
  if (X509_REQ_verify(csr->get(), csr_key.get()) != 1) {
    ERR_clear_error();
    return fail(NetworkErrc::invalid_csr, "CSR self-signature does not verify");
  }
  auto cn = detail::single_common_name(X509_REQ_get_subject_name(csr->get()));
  if (!cn) return forward(cn.error());

  auto ca = detail::parse_certificate(ca_pem);
  if (!ca) return forward(ca.error());
  auto ca_key = detail::parse_private_key(ca_key_pem.reveal());
  if (!ca_key) return forward(ca_key.error());

  std::unique_ptr<X509_NAME, decltype(&X509_NAME_free)> subject(X509_NAME_new(), &X509_NAME_free);
  if (!subject || !add_text_entry(subject.get(), "OU", role_name(role)) ||
      !add_text_entry(subject.get(), "CN", *cn)) {
    return fail(NetworkErrc::invalid_argument, "cannot build subject: " + detail::openssl_errors());
  }
  auto cert = new_certificate(subject.get(), csr_key.get(), validity);
  if (!cert) return forward(cert.error());
  X509* c = cert->get();
  const bool server = role == Role::server;
  if (!add_extension(c, ca->get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(c, ca->get(), NID_key_usage, "critical,digitalSignature") ||
      !add_extension(c, ca->get(), NID_ext_key_usage, server ? "serverAuth" : "clientAuth") ||
      !add_extension(c, ca->get(), NID_subject_key_identifier, "hash") ||
      !add_extension(c, ca->get(), NID_authority_key_identifier, "keyid:always") ||
      (!subject_alt_names.empty() && !add_extension(c, ca->get(), NID_subject_alt_name, subject_alt_names))) {
    return fail(NetworkErrc::invalid_argument, "cannot add extensions: " + detail::openssl_errors());
  }
  return sign(c, ca->get(), ca_key->get());
}

}  // namespace

Result<std::string> HallCa::issue(std::string_view csr_pem, Role role, std::chrono::days validity) const {
  if (role == Role::server)
    return fail(NetworkErrc::invalid_argument, "server certificates come from issue_server");
  return issue_leaf(certificate_pem_, private_key_pem_, csr_pem, role, validity, {});
}

Result<std::string> HallCa::issue_server(std::string_view csr_pem, const ServerNames& names,
                                         std::chrono::days validity) const {
  std::string san;
  for (const auto& dns : names.dns_names) {
    if (!is_dns_name(dns)) return fail(NetworkErrc::invalid_argument, "bad DNS name in server names");
    san += (san.empty() ? "DNS:" : ",DNS:") + dns;
  }
  for (const auto& ip : names.ip_addresses) {
    ASN1_OCTET_STRING* parsed = a2i_IPADDRESS(ip.c_str());
    if (parsed == nullptr) {
      ERR_clear_error();
      return fail(NetworkErrc::invalid_argument, "bad IP address in server names");
    }
    ASN1_OCTET_STRING_free(parsed);
    san += (san.empty() ? "IP:" : ",IP:") + ip;
  }
  if (san.empty()) return fail(NetworkErrc::invalid_argument, "a server certificate needs at least one name");
  return issue_leaf(certificate_pem_, private_key_pem_, csr_pem, Role::server, validity, san);
}

Result<PeerIdentity> read_certificate_identity(std::string_view certificate_pem) {
  auto cert = detail::parse_certificate(certificate_pem);
  if (!cert) return forward(cert.error());
  return detail::identity_of(cert->get());
}

}  // namespace hallvote::network
