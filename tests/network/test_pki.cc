#include "test_pki.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace hallvote::network::testing {
namespace {

HallCa must(Result<HallCa> ca) {
  if (!ca) {
    ADD_FAILURE() << ca.error().message();
    std::abort();
  }
  return std::move(*ca);
}

}  // namespace

crypto::SecretBytes copy_secret(const crypto::SecretBytes& secret) {
  crypto::Bytes copy(secret.reveal().begin(), secret.reveal().end());
  return crypto::SecretBytes::take(copy);
}

TestPki::TestPki(const std::string& ca_name) : ca(must(HallCa::create(ca_name))) {
  auto request = generate_key_and_csr("server");
  auto cert = request ? ca.issue_server(request->csr_pem) : forward(request.error());
  if (!cert) {
    ADD_FAILURE() << cert.error().message();
    std::abort();
  }
  server = Credentials{std::move(*cert), std::move(request->private_key_pem)};
}

Credentials TestPki::issue(const std::string& id, Role role) const {
  auto request = generate_key_and_csr(id);
  auto cert = request ? ca.issue(request->csr_pem, role) : forward(request.error());
  if (!cert) {
    ADD_FAILURE() << cert.error().message();
    std::abort();
  }
  return Credentials{std::move(*cert), std::move(request->private_key_pem)};
}

ServerOptions server_options(const TestPki& pki) {
  ServerOptions o;
  o.ca_cert_pem = pki.ca.certificate_pem();
  o.cert_pem = pki.server.cert_pem;
  o.key_pem = copy_secret(pki.server.key_pem);
  o.handshake_timeout = std::chrono::seconds(10);
  o.read_timeout = std::chrono::seconds(5);
  o.idle_timeout = std::chrono::seconds(20);
  o.write_timeout = std::chrono::seconds(5);
  o.shutdown_timeout = std::chrono::milliseconds(500);
  o.worker_threads = 4;
  return o;
}

ClientOptions client_options(const TestPki& pki, std::uint16_t port, const Credentials& client) {
  ClientOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.ca_cert_pem = pki.ca.certificate_pem();
  o.cert_pem = client.cert_pem;
  o.key_pem = copy_secret(client.key_pem);
  o.connect_timeout = std::chrono::seconds(10);
  o.shutdown_timeout = std::chrono::milliseconds(500);
  return o;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace hallvote::network::testing
