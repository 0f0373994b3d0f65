// Mutual TLS under the hall CA: who gets refused, on which side, and what the server counts.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "hallvote/network/client.h"
#include "hallvote/network/server.h"
#include "raw_tls_peer.h"
#include "test_pki.h"

namespace hallvote::network {
namespace {

using namespace std::chrono_literals;
using testing::client_options;
using testing::Credentials;
using testing::RawTlsPeer;
using testing::server_options;
using testing::TestPki;
using testing::wait_until;
using Bytes = std::vector<std::uint8_t>;

void echo_role(const PeerIdentity& peer, Bytes, const Responder& respond) {
  const std::string role(role_name(peer.role));
  respond(Bytes(role.begin(), role.end()));
}

class AuthenticationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hall_ = new TestPki("hall-ca");
    other_ = new TestPki("other-ca");
  }
  static void TearDownTestSuite() {
    delete hall_;
    delete other_;
  }
  void SetUp() override {
    ServerOptions options = server_options(*hall_);
    options.log = [this](std::string_view line) {
      const std::lock_guard lock(log_mutex_);
      log_.emplace_back(line);
    };
    auto started = FrameServer::start(std::move(options), echo_role);
    ASSERT_TRUE(started) << started.error().message();
    server_ = std::move(*started);
  }
  bool logged(const std::string& needle) {
    const std::lock_guard lock(log_mutex_);
    for (const auto& line : log_) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return false;
  }

  static TestPki* hall_;
  static TestPki* other_;
  std::unique_ptr<FrameServer> server_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
  ClientContext context_;
};

TestPki* AuthenticationTest::hall_ = nullptr;
TestPki* AuthenticationTest::other_ = nullptr;

TEST_F(AuthenticationTest, NoClientCertificateIsRefused) {
  RawTlsPeer peer(server_->port(), nullptr);
  peer.handshake();  // may "succeed" on the client side in TLS 1.3; the server decides after
  EXPECT_FALSE(peer.read_frame(5s).has_value());  // no greeting
  EXPECT_TRUE(peer.closed_by_peer(5s));
  ASSERT_TRUE(wait_until([&] { return server_->stats().handshake_failures == 1; }));
  EXPECT_EQ(server_->stats().frames_received, 0u);
  EXPECT_TRUE(logged("handshake refused from 127.0.0.1"));
}

TEST_F(AuthenticationTest, ClientCertificateFromAnotherCaIsRefused) {
  const Credentials foreign = other_->issue("T0100", Role::chair);
  ClientOptions options = client_options(*hall_, server_->port(), foreign);  // pins the right CA, wrong cert
  auto client = FrameClient::connect(context_, std::move(options));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, NetworkErrc::handshake_failed) << client.error().message();
  ASSERT_TRUE(wait_until([&] { return server_->stats().handshake_failures == 1; }));
}

TEST_F(AuthenticationTest, ServerCertificateFromAnotherCaIsRefusedByTheClient) {
  ServerOptions options = server_options(*other_);
  options.ca_cert_pem = hall_->ca.certificate_pem();  // trusts hall clients, but is not a hall server
  auto impostor = FrameServer::start(std::move(options), echo_role);
  ASSERT_TRUE(impostor) << impostor.error().message();
  auto client = FrameClient::connect(
      context_, client_options(*hall_, (*impostor)->port(), hall_->issue("T0101", Role::terminal)));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, NetworkErrc::handshake_failed) << client.error().message();
  EXPECT_TRUE(wait_until([&] { return (*impostor)->stats().handshake_failures == 1; }));
}

TEST_F(AuthenticationTest, ServerNameMustMatchTheCertificate) {
  ClientOptions options = client_options(*hall_, server_->port(), hall_->issue("T0102", Role::terminal));
  options.server_name = "hall.example";
  auto client = FrameClient::connect(context_, std::move(options));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, NetworkErrc::handshake_failed);
}

TEST_F(AuthenticationTest, ServerCertificateCannotActAsAClient) {
  Credentials server_as_client{hall_->server.cert_pem, testing::copy_secret(hall_->server.key_pem)};
  auto client = FrameClient::connect(context_, client_options(*hall_, server_->port(), server_as_client));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, NetworkErrc::handshake_failed) << client.error().message();
}

TEST_F(AuthenticationTest, RoleComesFromTheCaNotFromTheRequest) {
  // A terminal asks for OU=chair in its CSR; the CA writes the role it was told to (terminal).
  auto request = generate_key_and_csr("T0103");
  ASSERT_TRUE(request);
  BIO* key_bio = BIO_new_mem_buf(request->private_key_pem.reveal().data(),
                                 static_cast<int>(request->private_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  X509_REQ* csr = X509_REQ_new();
  X509_NAME* name = X509_REQ_get_subject_name(csr);
  X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("chair"), -1, -1,
                             0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("T0103"), -1, -1,
                             0);
  X509_REQ_set_pubkey(csr, key);
  ASSERT_GT(X509_REQ_sign(csr, key, nullptr), 0);
  BIO* out = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_REQ(out, csr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  const std::string csr_pem(data, static_cast<std::size_t>(size));
  BIO_free(out);
  X509_REQ_free(csr);
  EVP_PKEY_free(key);
  BIO_free(key_bio);

  auto cert = hall_->ca.issue(csr_pem, Role::terminal);
  ASSERT_TRUE(cert) << cert.error().message();
  Credentials terminal{*cert, std::move(request->private_key_pem)};
  auto client = FrameClient::connect(context_, client_options(*hall_, server_->port(), terminal));
  ASSERT_TRUE(client) << client.error().message();
  auto reply = (*client)->call(Bytes{'?'}, 5s);
  ASSERT_TRUE(reply);
  EXPECT_EQ(std::string(reply->begin(), reply->end()), "terminal");
}

TEST_F(AuthenticationTest, PlainTcpGarbageIsAFailedHandshake) {
  RawTlsPeer peer(server_->port(), nullptr);
  ASSERT_TRUE(peer.send_plain("GET / HTTP/1.1\r\nHost: hall\r\n\r\n"));
  ASSERT_TRUE(
      wait_until([&] { return server_->stats().handshake_failures == 1 && server_->stats().active == 0; }));
}

}  // namespace
}  // namespace hallvote::network
