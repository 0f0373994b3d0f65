// A whole vote over TLS on loopback: 60 seat terminals sign in with their cards and vote; the server is stopped
// and restarted from its log in the middle of the vote; the terminals reconnect and the vote completes; every
// receipt checks, and the exported log verifies.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <latch>
#include <thread>

#include "../ballot-server/hall_server_fixture.h"
#include "hall_listener.h"
#include "hallvote/auditor/log_verifier.h"
#include "hallvote/hardware/simulated_card.h"
#include "hallvote/network/hall_ca.h"
#include "network_transport.h"

namespace hallvote {
namespace {

using server::testing::Hall;

constexpr std::size_t kTerminals = 60;

struct Credentials {
  std::string cert_pem;
  crypto::SecretBytes key_pem;
};

Credentials enrol(const network::HallCa& ca, const std::string& id, network::Role role, bool server = false) {
  auto request = network::generate_key_and_csr(id).value();
  auto cert = server ? ca.issue_server(request.csr_pem) : ca.issue(request.csr_pem, role);
  return {cert.value(), std::move(request.private_key_pem)};
}

crypto::SecretBytes copy(const crypto::SecretBytes& secret) {
  crypto::Bytes bytes(secret.reveal().begin(), secret.reveal().end());
  return crypto::SecretBytes::take(bytes);
}

struct Listener {
  network::HallCa& ca;
  Credentials& server_credentials;
  std::uint16_t port = 0;
  std::unique_ptr<network::FrameServer> server;

  void start(server::HallServer& core) {
    network::ServerOptions options;
    options.port = port;
    options.ca_cert_pem = ca.certificate_pem();
    options.cert_pem = server_credentials.cert_pem;
    options.key_pem = copy(server_credentials.key_pem);
    options.worker_threads = 8;
    auto started = server::listen(core, std::move(options));
    ASSERT_TRUE(started) << started.error().message();
    server = std::move(*started);
    port = server->port();
  }
};

TEST(HallOverTls, SixtyTerminalsVoteThroughAServerRestart) {
  Hall hall("hanyin-county.toml");  // 250 deputies
  auto ca = network::HallCa::create("hall-test-ca").value();
  Credentials server_credentials = enrol(ca, "server", network::Role::server, /*server=*/true);
  Listener listener{ca, server_credentials, 0, nullptr};
  listener.start(*hall.server);

  network::ClientContext context(2);
  struct Seat {
    hardware::SimulatedCard card;
    hardware::SimulatedCardReader reader;
    std::unique_ptr<terminal::NetworkTransport> transport;
    std::unique_ptr<terminal::SeatTerminal> terminal;
    std::string code;
  };
  // The deputies in office, in roster order: the first kTerminals vote over TLS, the rest make the quorum.
  std::vector<std::size_t> in_office;
  for (std::size_t i = 0; i < hall.session.roster.size(); ++i) {
    if (hall.session.roster[i].in_office) in_office.push_back(i);
  }
  std::vector<std::unique_ptr<Seat>> seats;
  for (std::size_t k = 0; k < kTerminals; ++k) {
    const std::size_t i = in_office[k];
    const std::string id = "TLS" + std::to_string(k);
    Credentials credentials = enrol(ca, id, network::Role::terminal);
    network::ClientOptions options;
    options.host = "127.0.0.1";
    options.port = listener.port;
    options.ca_cert_pem = ca.certificate_pem();
    options.cert_pem = credentials.cert_pem;
    options.key_pem = std::move(credentials.key_pem);
    auto seat = std::make_unique<Seat>(Seat{
        hardware::SimulatedCard(hall.deputy(i).id,
                                crypto::SigningKey::from_seed(hall.deputy_keys.at(hall.deputy(i).id).seed()),
                                "246810"),
        {},
        std::make_unique<terminal::NetworkTransport>(context, std::move(options)),
        nullptr,
        {}});
    seat->reader.insert(seat->card);
    seat->terminal = std::make_unique<terminal::SeatTerminal>(
        terminal::TerminalConfig{&hall.session, hall.server_key.verify_key(), hall.log_key(), id, 30,
                                 std::chrono::milliseconds(100)},
        *seat->transport);
    seats.push_back(std::move(seat));
  }

  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::open_sign_in).ok);
  std::atomic<int> failures{0};
  std::latch signed_in(kTerminals);
  std::latch vote_open(1);
  std::latch first_half_cast(kTerminals / 2);
  std::latch restarted(1);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kTerminals; ++i) {
    threads.emplace_back([&, i] {
      Seat& seat = *seats[i];
      auto in = seat.terminal->sign_in(seat.reader, "246810");
      if (!in) {
        ADD_FAILURE() << i << ": " << in.error().message();
        ++failures;
      }
      signed_in.count_down();
      vote_open.wait();
      const bool second_half = i >= kTerminals / 2;
      if (second_half) restarted.wait();
      auto ballot = seat.terminal->wait_for_ballot(std::chrono::seconds(20));
      if (!ballot || !*ballot) {
        ADD_FAILURE() << i << ": no ballot " << (ballot ? "" : ballot.error().message());
        ++failures;
        if (!second_half) first_half_cast.count_down();
        return;
      }
      terminal::BallotScreen screen((*ballot)->definition);
      (void)screen.toggle(0, i % 4);
      (void)screen.toggle(0, (i + 2) % 4);
      auto receipt = seat.terminal->cast(screen, seat.reader);
      if (!receipt) {
        ADD_FAILURE() << i << ": " << receipt.error().message();
        ++failures;
      } else {
        seat.code = receipt->confirmation_code;
      }
      if (!second_half) first_half_cast.count_down();
    });
  }
  // Whatever happens below, release and join the terminal threads before the test ends.
  bool opened = false;
  bool came_back = false;
  struct Joiner {
    std::function<void()> run;
    ~Joiner() { run(); }
  } joiner{[&] {
    if (!opened) vote_open.count_down();
    if (!came_back) restarted.count_down();
    for (auto& t : threads) t.join();
  }};
  signed_in.wait();
  // The rest of the quorum signs in at terminals served in-process (the county has 250 deputies).
  for (std::size_t k = kTerminals; k < 200; ++k) ASSERT_TRUE(hall.sign_in(in_office[k]).ok);
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::start_session).ok);
  hall.open_vote("V1");
  opened = true;
  vote_open.count_down();

  // Half the hall has voted: the server goes down and comes back from its log on the same port.
  first_half_cast.wait();
  listener.server.reset();
  hall.restart();
  listener.start(*hall.server);
  came_back = true;
  restarted.count_down();
  joiner.run();
  joiner.run = [] {};
  ASSERT_EQ(failures.load(), 0);

  auto progress = hall.call(Hall::chair(), protocol::MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["returned"], kTerminals);
  EXPECT_EQ(progress.body["issued"], kTerminals);
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  listener.server.reset();

  // The log, exported and verified offline.
  ASSERT_TRUE(hall.log->sign_checkpoint());
  auto bundle = hall.log->export_bundle();
  ASSERT_TRUE(bundle) << bundle.error().message();
  const audit::Report report = audit::verify_bundle(*bundle);
  EXPECT_TRUE(report.ok()) << (report.ok() ? ""
                                           : report.failure->check + ": " + report.failure->error.message());
}

// A terminal cut off for too many refused casts (protocol.md §4.2.6) is disconnected, not answered, and every
// request of its cool-down closes its connection; another terminal is served meanwhile.
TEST(HallOverTls, TerminalCutOffForRefusedCastsIsDisconnected) {
  Hall hall;
  hall.refusal_limits = {std::chrono::milliseconds(60'000), 2, 4, std::chrono::milliseconds(60'000)};
  hall.restart();
  auto ca = network::HallCa::create("hall-test-ca").value();
  Credentials server_credentials = enrol(ca, "server", network::Role::server, /*server=*/true);
  Listener listener{ca, server_credentials, 0, nullptr};
  listener.start(*hall.server);
  network::ClientContext context(1);
  const auto connect = [&](const std::string& id) {
    Credentials credentials = enrol(ca, id, network::Role::terminal);
    network::ClientOptions options;
    options.host = "127.0.0.1";
    options.port = listener.port;
    options.ca_cert_pem = ca.certificate_pem();
    options.cert_pem = credentials.cert_pem;
    options.key_pem = std::move(credentials.key_pem);
    return network::FrameClient::connect(context, std::move(options)).value();
  };
  const auto bad_cast =
      protocol::encode_request(protocol::MessageType::cast, {{"vote_id", "V1"}});  // malformed
  const auto status = protocol::encode_request(protocol::MessageType::status, nlohmann::json::object());

  auto abusive = connect(Hall::terminal(0).id);
  for (int i = 0; i < 3; ++i) {
    auto answer = abusive->call(bad_cast, std::chrono::seconds(10));
    ASSERT_TRUE(answer) << answer.error().message();
    EXPECT_EQ(protocol::decode_response(*answer)->error, protocol::ProtocolErrc::malformed);
  }
  auto fourth = abusive->call(bad_cast, std::chrono::seconds(10));  // the cut-off: closed, not answered
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code, make_error_code(network::NetworkErrc::connection_closed));

  auto again = connect(Hall::terminal(0).id);  // the cool-down: admitted, but its first request closes it
  auto refused = again->call(status, std::chrono::seconds(10));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, make_error_code(network::NetworkErrc::connection_closed));

  auto honest = connect(Hall::terminal(1).id);
  auto served = honest->call(status, std::chrono::seconds(10));
  ASSERT_TRUE(served) << served.error().message();
  EXPECT_TRUE(protocol::decode_response(*served)->ok);
}

}  // namespace
}  // namespace hallvote
