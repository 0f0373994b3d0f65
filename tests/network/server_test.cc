// FrameServer and FrameClient together over mutual TLS on 127.0.0.1: round trips, concurrency, long-poll,
// handler-driven closes, limits, stop.
#include "hallvote/network/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "hallvote/network/client.h"
#include "test_pki.h"

namespace hallvote::network {
namespace {

using namespace std::chrono_literals;
using testing::client_options;
using testing::server_options;
using testing::TestPki;
using testing::wait_until;
using Bytes = std::vector<std::uint8_t>;

// Echoes the request with the peer's id and role prefixed: "<id>/<role>:" ‖ request.
void echo(const PeerIdentity& peer, Bytes request, const Responder& respond) {
  const std::string prefix = peer.id + "/" + std::string(role_name(peer.role)) + ":";
  Bytes out(prefix.begin(), prefix.end());
  out.insert(out.end(), request.begin(), request.end());
  respond(std::move(out));
}

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

class ServerClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() { delete pki_; }

  std::unique_ptr<FrameServer> start(ServerOptions options, FrameHandler handler = echo,
                                     DisconnectHandler on_disconnect = {}) {
    auto server = FrameServer::start(std::move(options), std::move(handler), std::move(on_disconnect));
    EXPECT_TRUE(server) << server.error().message();
    return server ? std::move(*server) : nullptr;
  }

  std::unique_ptr<FrameClient> connect(ClientContext& context, std::uint16_t port, const std::string& id,
                                       Role role = Role::terminal) {
    auto client = FrameClient::connect(context, client_options(*pki_, port, pki_->issue(id, role)));
    EXPECT_TRUE(client) << client.error().message();
    return client ? std::move(*client) : nullptr;
  }

  static TestPki* pki_;
};

TestPki* ServerClientTest::pki_ = nullptr;

TEST_F(ServerClientTest, EchoRoundTripCarriesVerifiedIdentities) {
  std::mutex mutex;
  std::vector<PeerIdentity> disconnected;
  auto server = start(server_options(*pki_), echo, [&](const PeerIdentity& peer) {
    const std::lock_guard lock(mutex);
    disconnected.push_back(peer);
  });
  ASSERT_TRUE(server);
  ASSERT_NE(server->port(), 0);
  ClientContext context;
  auto client = connect(context, server->port(), "T0001");
  ASSERT_TRUE(client);
  EXPECT_EQ(client->server().id, "server");
  EXPECT_EQ(client->server().role, Role::server);
  EXPECT_EQ(client->server().certificate_fingerprint_hex,
            read_certificate_identity(pki_->server.cert_pem)->certificate_fingerprint_hex);

  for (int i = 0; i < 3; ++i) {
    auto reply = client->call(text("hello " + std::to_string(i)), 5s);
    ASSERT_TRUE(reply) << reply.error().message();
    EXPECT_EQ(*reply, text("T0001/terminal:hello " + std::to_string(i)));
  }
  client->close();
  EXPECT_FALSE(client->is_open());
  EXPECT_EQ(client->call(text("late"), 1s).error().code, NetworkErrc::connection_closed);
  ASSERT_TRUE(wait_until([&] { return server->stats().active == 0; }));
  ASSERT_TRUE(wait_until([&] {
    const std::lock_guard lock(mutex);
    return disconnected.size() == 1;
  }));
  EXPECT_EQ(disconnected[0].id, "T0001");
  EXPECT_EQ(disconnected[0].role, Role::terminal);
  EXPECT_EQ(server->stats().frames_received, 3u);
  EXPECT_EQ(server->stats().frames_sent, 3u);
  EXPECT_EQ(server->stats().handshake_failures, 0u);
}

TEST_F(ServerClientTest, ReportsTheRoleTheCaIssued) {
  auto server = start(server_options(*pki_));
  ASSERT_TRUE(server);
  ClientContext context;
  auto chair = connect(context, server->port(), "chair-console", Role::chair);
  auto staff = connect(context, server->port(), "staff.1", Role::staff);
  ASSERT_TRUE(chair && staff);
  EXPECT_EQ(*chair->call(text("x"), 5s), text("chair-console/chair:x"));
  EXPECT_EQ(*staff->call(text("y"), 5s), text("staff.1/staff:y"));
}

TEST_F(ServerClientTest, FiftyConcurrentClientsOnOneContext) {
  ServerOptions options = server_options(*pki_);
  options.io_threads = 2;
  auto server = start(std::move(options));
  ASSERT_TRUE(server);
  ClientContext context(2);
  constexpr int kThreads = 10, kClientsPerThread = 5, kCalls = 4;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::unique_ptr<FrameClient>> clients;
      for (int c = 0; c < kClientsPerThread; ++c) {
        clients.push_back(connect(context, server->port(), "T" + std::to_string(t * 100 + c)));
      }
      for (int call = 0; call < kCalls; ++call) {
        for (int c = 0; c < kClientsPerThread; ++c) {
          if (!clients[static_cast<std::size_t>(c)]) continue;
          const std::string id = "T" + std::to_string(t * 100 + c);
          auto reply = clients[static_cast<std::size_t>(c)]->call(text(std::to_string(call)), 20s);
          if (reply && *reply == text(id + "/terminal:" + std::to_string(call))) ++ok;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kClientsPerThread * kCalls);
  EXPECT_EQ(server->stats().accepted, static_cast<std::uint64_t>(kThreads * kClientsPerThread));
}

TEST_F(ServerClientTest, LongPollIsAnsweredLaterFromAnotherThread) {
  std::mutex mutex;
  std::vector<Responder> parked;
  ServerOptions options = server_options(*pki_);
  options.idle_timeout = 200ms;  // must not run while a request is outstanding
  auto server = start(std::move(options), [&](const PeerIdentity&, Bytes, Responder respond) {
    const std::lock_guard lock(mutex);
    parked.push_back(std::move(respond));
  });
  ASSERT_TRUE(server);
  ClientContext context;
  auto client = connect(context, server->port(), "T0002");
  ASSERT_TRUE(client);

  std::thread answer([&] {
    ASSERT_TRUE(wait_until([&] {
      const std::lock_guard lock(mutex);
      return !parked.empty();
    }));
    std::this_thread::sleep_for(600ms);  // three idle deadlines pass while the call is parked
    const std::lock_guard lock(mutex);
    parked[0](text("ballot 1"));
    parked[0](text("ignored second answer"));
  });
  auto reply = client->call(text("next ballot?"), 10s);
  answer.join();
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(*reply, text("ballot 1"));
  EXPECT_EQ(server->stats().deadline_closes, 0u);
  EXPECT_TRUE(client->is_open());
}

TEST_F(ServerClientTest, HandlerClosesWithNulloptOrByDroppingTheResponder) {
  auto server = start(server_options(*pki_), [](const PeerIdentity&, Bytes request, Responder respond) {
    if (request == text("close")) respond(std::nullopt);
    if (request == text("throw")) throw std::runtime_error("handler bug");
    // "drop": the Responder is destroyed unanswered
  });
  ASSERT_TRUE(server);
  ClientContext context;
  for (const char* what : {"close", "drop", "throw"}) {
    auto client = connect(context, server->port(), "T0003");
    ASSERT_TRUE(client);
    auto reply = client->call(text(what), 5s);
    ASSERT_FALSE(reply) << what;
    EXPECT_EQ(reply.error().code, NetworkErrc::connection_closed) << what << ": " << reply.error().message();
    EXPECT_FALSE(client->is_open());
  }
  EXPECT_EQ(server->stats().handler_errors, 1u);
}

TEST_F(ServerClientTest, CallTimesOutAndClosesTheConnection) {
  std::mutex mutex;
  std::vector<Responder> parked;
  auto server = start(server_options(*pki_), [&](const PeerIdentity&, Bytes, Responder respond) {
    const std::lock_guard lock(mutex);
    parked.push_back(std::move(respond));
  });
  ASSERT_TRUE(server);
  ClientContext context;
  auto client = connect(context, server->port(), "T0004");
  ASSERT_TRUE(client);
  const auto before = std::chrono::steady_clock::now();
  auto reply = client->call(text("wait"), 300ms);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, NetworkErrc::timed_out);
  EXPECT_FALSE(client->is_open());
  const std::lock_guard lock(mutex);
  ASSERT_EQ(parked.size(), 1u);
  parked[0](text("too late"));  // the server notices the closed connection; nothing breaks
}

TEST_F(ServerClientTest, ClientCloseAbortsAParkedCall) {
  std::mutex mutex;
  std::vector<Responder> parked;
  auto server = start(server_options(*pki_), [&](const PeerIdentity&, Bytes, Responder respond) {
    const std::lock_guard lock(mutex);
    parked.push_back(std::move(respond));
  });
  ASSERT_TRUE(server);
  ClientContext context;
  auto client = connect(context, server->port(), "T0007");
  ASSERT_TRUE(client);
  Result<Bytes> reply = fail(NetworkErrc::internal_error);
  std::thread waiting([&] { reply = client->call(text("next ballot?"), 20s); });
  ASSERT_TRUE(wait_until([&] {
    const std::lock_guard lock(mutex);
    return parked.size() == 1;
  }));
  const auto before = std::chrono::steady_clock::now();
  client->close();
  waiting.join();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, NetworkErrc::connection_closed) << reply.error().message();
  EXPECT_FALSE(client->is_open());
}

TEST_F(ServerClientTest, ClientRefusesBadRequestsWithoutClosing) {
  auto server = start(server_options(*pki_));
  ASSERT_TRUE(server);
  ClientContext context;
  auto client = connect(context, server->port(), "T0005");
  ASSERT_TRUE(client);
  EXPECT_EQ(client->call({}, 1s).error().code, NetworkErrc::frame_empty);
  EXPECT_EQ(client->call(Bytes{0x00, 0x01}, 1s).error().code, NetworkErrc::protocol_violation);
  EXPECT_EQ(client->call(Bytes(kDefaultMaxFrameBytes + 1, 7), 1s).error().code, NetworkErrc::frame_too_large);
  EXPECT_TRUE(client->is_open());
  EXPECT_TRUE(client->call(text("fine"), 5s));
}

TEST_F(ServerClientTest, OversizedFrameIsRefusedWithAnErrorFrame) {
  ServerOptions options = server_options(*pki_);
  options.max_frame_bytes = 1024;
  auto server = start(std::move(options));
  ASSERT_TRUE(server);
  ClientContext context;
  ClientOptions big = client_options(*pki_, server->port(), pki_->issue("T0006", Role::terminal));
  big.max_frame_bytes = 1 << 20;
  auto client = FrameClient::connect(context, std::move(big));
  ASSERT_TRUE(client);
  EXPECT_TRUE((*client)->call(Bytes(1000, 1), 5s));  // the echo adds a 14-byte prefix
  auto reply = (*client)->call(Bytes(1025, 1), 5s);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, NetworkErrc::frame_too_large) << reply.error().message();
  EXPECT_FALSE((*client)->is_open());
  EXPECT_TRUE(wait_until([&] { return server->stats().frames_too_large == 1 && server->stats().active == 0; }));
}

TEST_F(ServerClientTest, ConnectionLimitRefusesExtraClients) {
  ServerOptions options = server_options(*pki_);
  options.max_connections = 2;
  options.reserved_for_officials = 0;  // the total alone (reserved capacity: admission_test.cc)
  auto server = start(std::move(options));
  ASSERT_TRUE(server);
  ClientContext context;
  auto a = connect(context, server->port(), "T1");
  auto b = connect(context, server->port(), "T2");
  ASSERT_TRUE(a && b);
  auto c =
      FrameClient::connect(context, client_options(*pki_, server->port(), pki_->issue("T3", Role::terminal)));
  ASSERT_FALSE(c);
  EXPECT_EQ(server->stats().refused_over_limit, 1u);
  a->close();
  ASSERT_TRUE(wait_until([&] { return server->stats().active == 1; }));
  EXPECT_TRUE(connect(context, server->port(), "T3"));
}

TEST_F(ServerClientTest, StopClosesOpenAndParkedConnections) {
  std::mutex mutex;
  std::vector<Responder> parked;
  auto server = start(server_options(*pki_), [&](const PeerIdentity&, Bytes request, Responder respond) {
    if (request == text("park")) {
      const std::lock_guard lock(mutex);
      parked.push_back(std::move(respond));
    } else {
      echo(PeerIdentity{}, std::move(request), respond);
    }
  });
  ASSERT_TRUE(server);
  ClientContext context;
  std::vector<std::unique_ptr<FrameClient>> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(connect(context, server->port(), "T" + std::to_string(i)));
  auto parker = connect(context, server->port(), "T9");
  ASSERT_TRUE(parker);
  Result<Bytes> parked_reply = fail(NetworkErrc::internal_error);
  std::thread waiting([&] { parked_reply = parker->call(text("park"), 20s); });
  ASSERT_TRUE(wait_until([&] {
    const std::lock_guard lock(mutex);
    return parked.size() == 1;
  }));

  const auto before = std::chrono::steady_clock::now();
  server->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  waiting.join();
  ASSERT_FALSE(parked_reply);
  EXPECT_EQ(parked_reply.error().code, NetworkErrc::connection_closed) << parked_reply.error().message();
  for (auto& client : idle) {
    ASSERT_TRUE(client);
    EXPECT_FALSE(client->call(text("after stop"), 2s));
  }
  parked[0](text("after stop"));  // a Responder outliving stop() does nothing
  server.reset();
  parked.clear();
}

TEST(FrameServer, RefusesBadOptions) {
  TestPki pki;
  ServerOptions bad_address = server_options(pki);
  bad_address.address = "not-an-ip";
  EXPECT_EQ(FrameServer::start(std::move(bad_address), echo).error().code, NetworkErrc::invalid_argument);
  ServerOptions no_key = server_options(pki);
  no_key.key_pem = crypto::SecretBytes{};
  EXPECT_EQ(FrameServer::start(std::move(no_key), echo).error().code, NetworkErrc::invalid_key);
  ServerOptions wrong_key = server_options(pki);
  wrong_key.key_pem = testing::copy_secret(pki.issue("T1", Role::terminal).key_pem);
  EXPECT_EQ(FrameServer::start(std::move(wrong_key), echo).error().code, NetworkErrc::invalid_key);
  EXPECT_EQ(FrameServer::start(server_options(pki), nullptr).error().code, NetworkErrc::invalid_argument);
}

}  // namespace
}  // namespace hallvote::network
