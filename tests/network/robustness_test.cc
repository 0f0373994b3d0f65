// Misbehaving peers, played by RawTlsPeer: broken frames, stalls, and peers that never answer close_notify.
// Every one must be closed by the server, named in its counters, within its deadline.
#include <gtest/gtest.h>

#include <atomic>

#include "hallvote/network/frame.h"
#include "hallvote/network/server.h"
#include "raw_tls_peer.h"
#include "test_pki.h"

namespace hallvote::network {
namespace {

using namespace std::chrono_literals;
using testing::RawTlsPeer;
using testing::server_options;
using testing::TestPki;
using testing::wait_until;
using Bytes = std::vector<std::uint8_t>;

class RobustnessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new TestPki();
    terminal_ = new testing::Credentials(pki_->issue("T0200", Role::terminal));
  }
  static void TearDownTestSuite() {
    delete terminal_;
    delete pki_;
  }

  void start(ServerOptions options) {
    auto started = FrameServer::start(
        std::move(options),
        [](const PeerIdentity&, Bytes request, const Responder& respond) {
          if (request == Bytes{'b', 'y', 'e'}) {
            respond(std::nullopt);
          } else {
            respond(std::move(request));
          }
        },
        [this](const PeerIdentity&) { ++disconnects_; });
    ASSERT_TRUE(started) << started.error().message();
    server_ = std::move(*started);
  }

  // A connected, greeted peer with a valid terminal certificate.
  std::unique_ptr<RawTlsPeer> greeted_peer() {
    auto peer = std::make_unique<RawTlsPeer>(server_->port(), terminal_);
    EXPECT_TRUE(peer->handshake());
    auto greeting = peer->read_frame(5s);
    EXPECT_TRUE(greeting.has_value());
    if (greeting) {
      auto notice = parse_transport_payload(*greeting);
      EXPECT_TRUE(notice && notice->code == kGreetingCode && notice->text == kTransportVersion);
    }
    return peer;
  }

  // Reads the transport error frame the server sends before closing; returns its code.
  static std::optional<NetworkErrc> error_frame(RawTlsPeer& peer) {
    auto payload = peer.read_frame(5s);
    if (!payload) return std::nullopt;
    auto notice = parse_transport_payload(*payload);
    if (!notice) return std::nullopt;
    return static_cast<NetworkErrc>(notice->code);
  }

  static TestPki* pki_;
  static testing::Credentials* terminal_;
  std::unique_ptr<FrameServer> server_;
  std::atomic<int> disconnects_{0};
};

TestPki* RobustnessTest::pki_ = nullptr;
testing::Credentials* RobustnessTest::terminal_ = nullptr;

TEST_F(RobustnessTest, RawPeerEchoWorks) {
  start(server_options(*pki_));
  auto peer = greeted_peer();
  ASSERT_TRUE(peer->send(*encode_frame(Bytes{1, 2, 3})));
  EXPECT_EQ(peer->read_frame(5s), (Bytes{1, 2, 3}));
}

TEST_F(RobustnessTest, ZeroLengthFrameClosesWithErrorFrame) {
  start(server_options(*pki_));
  auto peer = greeted_peer();
  ASSERT_TRUE(peer->send(Bytes{0, 0, 0, 0}));
  EXPECT_EQ(error_frame(*peer), NetworkErrc::frame_empty);
  EXPECT_TRUE(peer->closed_by_peer(5s));
  EXPECT_TRUE(wait_until([&] { return server_->stats().bad_frames == 1 && server_->stats().active == 0; }));
}

TEST_F(RobustnessTest, OversizedLengthPrefixClosesBeforeThePayload) {
  ServerOptions options = server_options(*pki_);
  options.max_frame_bytes = 4096;
  start(std::move(options));
  auto peer = greeted_peer();
  ASSERT_TRUE(peer->send(Bytes{0x7F, 0xFF, 0xFF, 0xFF}));  // 2 GiB announced, nothing follows
  EXPECT_EQ(error_frame(*peer), NetworkErrc::frame_too_large);
  EXPECT_TRUE(peer->closed_by_peer(5s));
  EXPECT_TRUE(
      wait_until([&] { return server_->stats().frames_too_large == 1 && server_->stats().active == 0; }));
}

TEST_F(RobustnessTest, ReservedTransportPayloadFromClientIsAProtocolViolation) {
  start(server_options(*pki_));
  auto peer = greeted_peer();
  ASSERT_TRUE(peer->send(*encode_frame(encode_transport_payload(0, "fake greeting"))));
  EXPECT_EQ(error_frame(*peer), NetworkErrc::protocol_violation);
  EXPECT_TRUE(wait_until([&] { return server_->stats().bad_frames == 1; }));
}

TEST_F(RobustnessTest, StallMidFrameIsClosedByTheReadDeadline) {
  ServerOptions options = server_options(*pki_);
  options.read_timeout = 300ms;
  start(std::move(options));
  auto peer = greeted_peer();
  ASSERT_TRUE(peer->send(Bytes{0, 0, 0, 100, 1, 2, 3, 4, 5}));  // 5 of 100 bytes, then silence
  const auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(peer->closed_by_peer(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  EXPECT_TRUE(
      wait_until([&] { return server_->stats().deadline_closes == 1 && server_->stats().active == 0; }));
  EXPECT_TRUE(wait_until([&] { return disconnects_ == 1; }));
}

// The read deadline is one per frame: a peer dripping bytes faster than the deadline, so every single read
// completes in time, is still closed once the frame as a whole took longer than the deadline.
TEST_F(RobustnessTest, FrameDrippedByteByByteIsClosedByOneReadDeadline) {
  ServerOptions options = server_options(*pki_);
  options.read_timeout = 400ms;
  options.idle_timeout = 400ms;
  start(std::move(options));
  auto peer = greeted_peer();
  ASSERT_TRUE(peer->send(Bytes{0, 0, 0, 100}));  // a 100-byte frame, then one byte every 100 ms (10 s in all)
  bool closed = false;
  for (int sent = 0; sent < 50 && !closed; ++sent) {
    closed = !peer->send(Bytes{1}) || peer->closed_by_peer(100ms);
  }
  EXPECT_TRUE(closed) << "a dripping peer outlived its frame's read deadline by more than 10 times";
  EXPECT_TRUE(
      wait_until([&] { return server_->stats().deadline_closes == 1 && server_->stats().active == 0; }));
  EXPECT_EQ(server_->stats().frames_received, 0u);
}

// The idle deadline is not extended either: a frame begun just before it expires still gets only the read
// deadline, and bytes between frames do not restart anything.
TEST_F(RobustnessTest, FrameDeadlineRunsFromItsFirstByteAfterEarlierFramesWereAnswered) {
  ServerOptions options = server_options(*pki_);
  options.read_timeout = 400ms;
  start(std::move(options));
  auto peer = greeted_peer();
  ASSERT_TRUE(peer->send(*encode_frame(Bytes{7})));
  ASSERT_EQ(peer->read_frame(5s), Bytes{7});
  ASSERT_TRUE(peer->send(Bytes{0, 0, 0, 100}));
  bool closed = false;
  for (int sent = 0; sent < 50 && !closed; ++sent) {
    closed = !peer->send(Bytes{1}) || peer->closed_by_peer(100ms);
  }
  EXPECT_TRUE(closed);
  EXPECT_TRUE(wait_until([&] { return server_->stats().deadline_closes == 1; }));
  EXPECT_EQ(server_->stats().frames_received, 1u);
}

// The whole handshake runs under one deadline: a ClientHello record dripped a byte at a time is cut off.
TEST_F(RobustnessTest, HandshakeDrippedByteByByteIsClosedByOneHandshakeDeadline) {
  ServerOptions options = server_options(*pki_);
  options.handshake_timeout = 400ms;
  start(std::move(options));
  RawTlsPeer peer(server_->port(), terminal_);
  ASSERT_TRUE(peer.send_plain(std::string("\x16\x03\x01\x3f\xff\x01", 6)));  // a 16 KiB handshake record
  bool closed = false;
  for (int sent = 0; sent < 50 && !closed; ++sent) {
    closed = !peer.send_plain(std::string(1, '\0')) ||
             wait_until([&] { return server_->stats().deadline_closes == 1; }, 100ms);
  }
  EXPECT_TRUE(closed);
  EXPECT_TRUE(
      wait_until([&] { return server_->stats().deadline_closes == 1 && server_->stats().active == 0; }));
  EXPECT_EQ(server_->stats().handshake_failures, 1u);
}

TEST_F(RobustnessTest, IdleConnectionIsClosedByTheIdleDeadline) {
  ServerOptions options = server_options(*pki_);
  options.idle_timeout = 300ms;
  start(std::move(options));
  auto peer = greeted_peer();
  EXPECT_TRUE(peer->closed_by_peer(5s));
  EXPECT_TRUE(wait_until([&] { return server_->stats().deadline_closes == 1; }));
}

TEST_F(RobustnessTest, HandshakeStalledAfterTcpConnectIsClosedByItsDeadline) {
  ServerOptions options = server_options(*pki_);
  options.handshake_timeout = 300ms;
  start(std::move(options));
  RawTlsPeer peer(server_->port(), terminal_);  // TCP only; never starts TLS
  EXPECT_TRUE(
      wait_until([&] { return server_->stats().deadline_closes == 1 && server_->stats().active == 0; }));
  EXPECT_EQ(server_->stats().handshake_failures, 1u);
}

TEST_F(RobustnessTest, PeerThatNeverAnswersCloseNotifyIsAbandonedAfterTheShutdownDeadline) {
  ServerOptions options = server_options(*pki_);
  options.shutdown_timeout = 300ms;
  start(std::move(options));
  auto peer = greeted_peer();
  ASSERT_TRUE(peer->send(*encode_frame(Bytes{'b', 'y', 'e'})));  // handler answers nullopt: graceful close
  // The peer now reads nothing and never sends close_notify.
  const auto before = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_until([&] { return server_->stats().active == 0; }, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  EXPECT_EQ(server_->stats().shutdown_timeouts, 1u);
  EXPECT_TRUE(wait_until([&] { return disconnects_ == 1; }));
}

}  // namespace
}  // namespace hallvote::network
