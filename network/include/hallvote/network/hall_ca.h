// The hall certificate authority and enrolment (docs/protocol.md §1.2–1.3). Ed25519 keys and X.509
// certificates, all exchanged as PEM text. The CA signs; it never sees a terminal's private key: the terminal
// runs generate_key_and_csr(), sends the CSR, and receives its certificate from HallCa::issue().
//
// Thread safety: the free functions are thread-safe; a HallCa is immutable after creation, so its const
// methods may run concurrently. Private keys come back as crypto::SecretBytes (wiped on destruction); storing
// them (sealed with crypto/key_file.h) is the caller's business. Nothing here logs or prints key material.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/secret.h"
#include "hallvote/network/errors.h"
#include "hallvote/network/identity.h"

namespace hallvote::network {

inline constexpr std::chrono::days kDefaultCaValidity{5 * 365};
inline constexpr std::chrono::days kDefaultLeafValidity{2 * 365};

// A fresh Ed25519 key (PKCS#8 PEM) and a CSR (PEM) for it with subject CN = common_name, self-signed by the
// key. Fails with invalid_common_name unless is_valid_id(common_name).
struct KeyAndCsr {
  crypto::SecretBytes private_key_pem;
  std::string csr_pem;
};
[[nodiscard]] Result<KeyAndCsr> generate_key_and_csr(std::string_view common_name);

// Names put into the server certificate's subjectAltName; clients check the host they dialled against them.
// DNS names must be [A-Za-z0-9.-]{1,253}; addresses IPv4 or IPv6 literals.
struct ServerNames {
  std::vector<std::string> dns_names{"localhost"};
  std::vector<std::string> ip_addresses{"127.0.0.1"};
};

class HallCa {
 public:
  // A new CA: Ed25519 key and a self-signed certificate with subject CN = common_name, O = "hallvote hall CA",
  // basicConstraints CA:TRUE pathlen:0 and keyUsage keyCertSign|cRLSign (both critical), valid from 10 minutes
  // ago for `validity`. Fails with invalid_common_name (same rule as ids, is_valid_id) or invalid_argument.
  [[nodiscard]] static Result<HallCa> create(std::string_view common_name,
                                             std::chrono::days validity = kDefaultCaValidity);

  // A CA from its stored certificate and key. Fails with invalid_certificate (not parseable, not a CA) or
  // invalid_key (not parseable, not Ed25519, not the certificate's key).
  [[nodiscard]] static Result<HallCa> load(std::string certificate_pem, crypto::SecretBytes private_key_pem);

  HallCa(HallCa&&) noexcept = default;
  HallCa& operator=(HallCa&&) noexcept = default;
  HallCa(const HallCa&) = delete;
  HallCa& operator=(const HallCa&) = delete;
  ~HallCa() = default;

  // The CA certificate: what every terminal and the server pin as their only trust anchor.
  [[nodiscard]] const std::string& certificate_pem() const noexcept { return certificate_pem_; }
  // The CA private key (PKCS#8 PEM), for the caller to seal and store.
  [[nodiscard]] const crypto::SecretBytes& private_key_pem() const noexcept { return private_key_pem_; }

  // Issues a client certificate for `csr_pem`: subject CN = the CSR's CN, OU = role_name(role); everything else
  // the CSR asks for (other subject fields, extensions) is ignored. Extensions: basicConstraints CA:FALSE,
  // keyUsage digitalSignature, extendedKeyUsage clientAuth. Random 127-bit serial; valid from 10 minutes ago.
  // Fails with invalid_csr (unparseable, not Ed25519, bad self-signature), invalid_common_name (missing,
  // repeated or not is_valid_id), or invalid_argument (role server: use issue_server; validity not positive).
  [[nodiscard]] Result<std::string> issue(std::string_view csr_pem, Role role,
                                          std::chrono::days validity = kDefaultLeafValidity) const;

  // Issues the server certificate: like issue() with OU = "server", extendedKeyUsage serverAuth and
  // subjectAltName = `names`. Fails as issue(), or invalid_argument for a bad or empty name list.
  [[nodiscard]] Result<std::string> issue_server(std::string_view csr_pem, const ServerNames& names = {},
                                                 std::chrono::days validity = kDefaultLeafValidity) const;

 private:
  HallCa(std::string certificate_pem, crypto::SecretBytes private_key_pem)
      : certificate_pem_(std::move(certificate_pem)), private_key_pem_(std::move(private_key_pem)) {}

  std::string certificate_pem_;
  crypto::SecretBytes private_key_pem_;
};

// The id and role written in `certificate_pem`, and its fingerprint. This does NOT verify anything (no chain,
// no dates): use it to show or store a certificate, never to authenticate a peer (connections give verified
// PeerIdentity values). Fails with invalid_certificate or peer_identity_invalid.
[[nodiscard]] Result<PeerIdentity> read_certificate_identity(std::string_view certificate_pem);

}  // namespace hallvote::network
