#include "hallvote/network/hall_ca.h"

#include <gtest/gtest.h>

#include <string>

namespace hallvote::network {
namespace {

std::string as_text(const crypto::SecretBytes& secret) {
  return {secret.reveal().begin(), secret.reveal().end()};
}

TEST(HallCa, IssuesTerminalCertificateWithIdAndRoleFromCsr) {
  auto ca = HallCa::create("hall-ca");
  ASSERT_TRUE(ca) << ca.error().message();
  EXPECT_NE(ca->certificate_pem().find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(as_text(ca->private_key_pem()).find("BEGIN PRIVATE KEY"), std::string::npos);

  auto request = generate_key_and_csr("T0123");
  ASSERT_TRUE(request) << request.error().message();
  EXPECT_NE(request->csr_pem.find("BEGIN CERTIFICATE REQUEST"), std::string::npos);
  auto cert = ca->issue(request->csr_pem, Role::terminal);
  ASSERT_TRUE(cert) << cert.error().message();
  auto identity = read_certificate_identity(*cert);
  ASSERT_TRUE(identity) << identity.error().message();
  EXPECT_EQ(identity->id, "T0123");
  EXPECT_EQ(identity->role, Role::terminal);
  EXPECT_EQ(identity->certificate_fingerprint_hex.size(), 64u);

  auto chair = ca->issue(request->csr_pem, Role::chair);
  ASSERT_TRUE(chair);
  EXPECT_EQ(read_certificate_identity(*chair)->role, Role::chair);
}

TEST(HallCa, ReloadsFromItsPemAndRejectsMismatchedKey) {
  auto ca = HallCa::create("hall-ca");
  ASSERT_TRUE(ca);
  crypto::Bytes key_copy(ca->private_key_pem().reveal().begin(), ca->private_key_pem().reveal().end());
  auto loaded = HallCa::load(ca->certificate_pem(), crypto::SecretBytes::take(key_copy));
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_TRUE(loaded->issue(generate_key_and_csr("T1")->csr_pem, Role::staff));

  auto other = HallCa::create("other-ca");
  crypto::Bytes other_key(other->private_key_pem().reveal().begin(), other->private_key_pem().reveal().end());
  auto mismatched = HallCa::load(ca->certificate_pem(), crypto::SecretBytes::take(other_key));
  ASSERT_FALSE(mismatched);
  EXPECT_EQ(mismatched.error().code, NetworkErrc::invalid_key);

  auto leaf = ca->issue(generate_key_and_csr("T2")->csr_pem, Role::terminal);
  crypto::Bytes leaf_key = *crypto::from_hex("00");
  auto not_ca = HallCa::load(*leaf, crypto::SecretBytes::take(leaf_key));
  ASSERT_FALSE(not_ca);
  EXPECT_EQ(not_ca.error().code, NetworkErrc::invalid_certificate);
}

TEST(HallCa, RefusesBadCommonNames) {
  for (const char* bad : {"", "T 1", "a/b", "terminal,OU=chair", "名字", "x\n"}) {
    auto request = generate_key_and_csr(bad);
    ASSERT_FALSE(request) << bad;
    EXPECT_EQ(request.error().code, NetworkErrc::invalid_common_name);
  }
  EXPECT_FALSE(generate_key_and_csr(std::string(65, 'a')));
  EXPECT_TRUE(generate_key_and_csr(std::string(64, 'a')));
  EXPECT_FALSE(HallCa::create("bad name"));
}

TEST(HallCa, RefusesGarbledOrTamperedCsr) {
  auto ca = HallCa::create("hall-ca");
  ASSERT_TRUE(ca);
  EXPECT_EQ(ca->issue("not a csr", Role::terminal).error().code, NetworkErrc::invalid_csr);

  auto request = generate_key_and_csr("T0007");
  ASSERT_TRUE(request);
  // Flip one base64 character inside the body: the self-signature (or the parse) must fail.
  std::string tampered = request->csr_pem;
  const std::size_t at = tampered.find('\n') + 60;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  auto issued = ca->issue(tampered, Role::terminal);
  ASSERT_FALSE(issued);
  EXPECT_EQ(issued.error().code, NetworkErrc::invalid_csr);
}

TEST(HallCa, ServerCertificateOnlyThroughIssueServer) {
  auto ca = HallCa::create("hall-ca");
  auto request = generate_key_and_csr("server");
  ASSERT_TRUE(ca && request);
  EXPECT_EQ(ca->issue(request->csr_pem, Role::server).error().code, NetworkErrc::invalid_argument);
  auto cert = ca->issue_server(request->csr_pem, ServerNames{{"hall.local"}, {"127.0.0.1", "::1"}});
  ASSERT_TRUE(cert) << cert.error().message();
  EXPECT_EQ(read_certificate_identity(*cert)->role, Role::server);
  EXPECT_EQ(ca->issue_server(request->csr_pem, ServerNames{{"bad,DNS:evil"}, {}}).error().code,
            NetworkErrc::invalid_argument);
  EXPECT_EQ(ca->issue_server(request->csr_pem, ServerNames{{}, {"300.1.1.1"}}).error().code,
            NetworkErrc::invalid_argument);
  EXPECT_EQ(ca->issue_server(request->csr_pem, ServerNames{{}, {}}).error().code,
            NetworkErrc::invalid_argument);
}

}  // namespace
}  // namespace hallvote::network
