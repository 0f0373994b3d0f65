// Test fixtures for the network suite: a hall CA with a server certificate, client certificates on demand, and
// options with short deadlines pointing at 127.0.0.1.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "hallvote/network/client.h"
#include "hallvote/network/hall_ca.h"
#include "hallvote/network/server.h"

namespace hallvote::network::testing {

struct Credentials {
  std::string cert_pem;
  crypto::SecretBytes key_pem;
};

crypto::SecretBytes copy_secret(const crypto::SecretBytes& secret);

// A CA named `ca_name` and a server certificate for localhost/127.0.0.1 issued by it. Aborts the test on
// failure.
struct TestPki {
  explicit TestPki(const std::string& ca_name = "hall-ca");
  [[nodiscard]] Credentials issue(const std::string& id, Role role) const;

  HallCa ca;
  Credentials server;
};

// Server options for `pki` with short deadlines (the tests override the one they exercise).
ServerOptions server_options(const TestPki& pki);

// Client options connecting to 127.0.0.1:`port`, pinning `pki`'s CA, with `client` credentials.
ClientOptions client_options(const TestPki& pki, std::uint16_t port, const Credentials& client);

// Polls `condition` every 5 ms until it holds or `timeout` passes; returns its last value.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace hallvote::network::testing
