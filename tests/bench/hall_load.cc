// hall_load: the ballot server under a hall's worth of load, on loopback over TLS. N terminals (default 1,000)
// sign in, are issued a W1 ballot (10 projects, choose at most 3), and then cast their encrypted ballots as
// fast as they can; the server verifies every proof and signature and logs each ballot durably before
// answering. Prints FIGURE lines (docs/benchmarks.md):
//   signin_1000_s     wall time for all terminals to sign in (challenge, card signature, durable log entry)
//   accept_w1_per_s   ballots accepted per second in the casting phase (encryption done beforehand, off the
//   clock) receipt_p99_ms    99th percentile of cast → verified receipt, per terminal
// Usage: hall_load [terminals] [client-threads]
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "hall_listener.h"
#include "hallvote/audit/log.h"
#include "hallvote/hardware/simulated_card.h"
#include "hallvote/network/hall_ca.h"
#include "hallvote/protocol/cast_ballot.h"
#include "network_transport.h"
#include "w1_session.h"

namespace hv = hallvote;
using Clock = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

template <class Work>
void parallel(std::size_t count, std::size_t threads, Work work) {
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < count; i = next++) work(i);
    });
  }
  for (auto& t : pool) t.join();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t terminals = argc > 1 ? std::stoul(argv[1]) : 1000;
  const std::size_t threads = argc > 2 ? std::stoul(argv[2]) : 64;
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);

  hv::crypto::DeterministicRandom setup_random(9);
  std::vector<hv::crypto::SigningKey> cards, officials;
  const auto session_record = hv::bench::w1_session_record(terminals, 3, 2, cards, officials, setup_random);
  const auto session = session_record.definition().value();
  const auto dir = std::filesystem::temp_directory_path() / ("hallvote-load-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto server_key = hv::crypto::SigningKey::generate();
  hv::audit::LogOptions log_options;
  log_options.path = (dir / "session.db").string();
  log_options.origin = "hallvote.load/load-1";
  log_options.server_key = &server_key;
  auto log = hv::audit::AuditLog::open(log_options).value();
  const auto election_secret = hv::crypto::SecretScalar::random(hv::crypto::system_random());
  hv::server::HallServerOptions options;
  options.session = &session;
  options.session_record = &session_record;
  options.log = log.get();
  options.server_key = &server_key;
  options.election_key = hv::crypto::Point::base_mul(election_secret.reveal()).encode();
  auto core = hv::server::HallServer::start(options).value();

  auto ca = hv::network::HallCa::create("load-ca").value();
  auto server_csr = hv::network::generate_key_and_csr("server").value();
  hv::network::ServerOptions server_options;
  server_options.ca_cert_pem = ca.certificate_pem();
  server_options.cert_pem = ca.issue_server(server_csr.csr_pem).value();
  server_options.key_pem = std::move(server_csr.private_key_pem);
  server_options.worker_threads = 32;
  // Every terminal at once, plus the officials' reserved capacity (docs/protocol.md §2.7) and some slack.
  server_options.max_connections = terminals + 16 + server_options.reserved_for_officials;
  auto listener = hv::server::listen(*core, std::move(server_options)).value();

  std::fprintf(stderr, "hall_load: enrolling %zu terminals…\n", terminals);
  hv::network::ClientContext context(2);
  struct Seat {
    std::unique_ptr<hv::hardware::SimulatedCard> card;
    hv::hardware::SimulatedCardReader reader;
    std::unique_ptr<hv::terminal::NetworkTransport> transport;
    std::unique_ptr<hv::terminal::SeatTerminal> terminal;
    std::optional<hv::protocol::SignedBallot> ballot;
    hv::crypto::Bytes cast_request;
  };
  std::vector<Seat> seats(terminals);
  for (std::size_t i = 0; i < terminals; ++i) {
    const std::string id = "T" + std::to_string(i + 1);
    auto request = hv::network::generate_key_and_csr(id).value();
    hv::network::ClientOptions client;
    client.host = "127.0.0.1";
    client.port = listener->port();
    client.ca_cert_pem = ca.certificate_pem();
    client.cert_pem = ca.issue(request.csr_pem, hv::network::Role::terminal).value();
    client.key_pem = std::move(request.private_key_pem);
    Seat& seat = seats[i];
    seat.card = std::make_unique<hv::hardware::SimulatedCard>(
        session.roster[i].id, hv::crypto::SigningKey::from_seed(cards[i].seed()), "135790");
    seat.reader.insert(*seat.card);
    seat.transport = std::make_unique<hv::terminal::NetworkTransport>(context, std::move(client));
    seat.terminal = std::make_unique<hv::terminal::SeatTerminal>(
        hv::terminal::TerminalConfig{&session, server_key.verify_key(), log->log_key(), id}, *seat.transport);
  }
  auto control = [&](hv::protocol::MessageType type, nlohmann::json fields) {
    std::promise<hv::crypto::Bytes> answer;
    core->handle({"chair", hv::protocol::Role::chair}, hv::protocol::encode_request(type, std::move(fields)),
                 [&](hv::crypto::Bytes b) { answer.set_value(std::move(b)); });
    return hv::protocol::decode_response(answer.get_future().get()).value();
  };
  (void)control(hv::protocol::MessageType::open_sign_in, nlohmann::json::object());

  std::atomic<std::size_t> failures{0};
  const auto signin_start = Clock::now();
  parallel(terminals, threads, [&](std::size_t i) {
    if (!seats[i].terminal->sign_in(seats[i].reader, "135790")) ++failures;
  });
  const double signin_s = std::chrono::duration<double>(Clock::now() - signin_start).count();

  (void)control(hv::protocol::MessageType::start_session, nlohmann::json::object());
  auto prepared = control(hv::protocol::MessageType::prepare_vote, {{"vote_id", "W1"}});
  const auto base_hash = hv::crypto::from_hex_fixed<32>(prepared.body["base_hash"].get<std::string>()).value();
  for (int m = 0; m < 2; ++m) {
    std::promise<hv::crypto::Bytes> answer;
    core->handle({"P0" + std::to_string(m + 1), hv::protocol::Role::presidium},
                 hv::protocol::encode_request(
                     hv::protocol::MessageType::approve_vote,
                     {{"vote_id", "W1"},
                      {"official_id", "P0" + std::to_string(m + 1)},
                      {"signature", hv::crypto::to_hex(officials[static_cast<std::size_t>(m)].sign(
                                        hv::protocol::approval_message(base_hash)))}}),
                 [&](hv::crypto::Bytes b) { answer.set_value(std::move(b)); });
    answer.get_future().wait();
  }
  (void)control(hv::protocol::MessageType::open_vote, {{"vote_id", "W1"}});

  // Issue and encrypt off the clock.
  parallel(terminals, threads, [&](std::size_t i) {
    auto ballot = seats[i].terminal->wait_for_ballot(std::chrono::seconds(30));
    if (!ballot || !*ballot) {
      ++failures;
      return;
    }
    const auto& definition = (*ballot)->definition;
    hv::protocol::Choices choices(1, std::vector<std::uint8_t>(10, 0));
    for (std::size_t k = 0; k < (i % 4); ++k) choices[0][(i * 3 + k * 4) % 10] = 1;
    auto encrypted =
        hv::protocol::encrypt_ballot(definition, session.roster[i].id, cards[i].verify_key(), choices);
    const auto bytes = encrypted->encode();
    const auto signature = cards[i].sign(hv::protocol::cast_signing_message(bytes));
    seats[i].cast_request = hv::protocol::encode_request(hv::protocol::MessageType::cast,
                                                         {{"vote_id", "W1"},
                                                          {"ballot", hv::crypto::to_hex(bytes)},
                                                          {"signature", hv::crypto::to_hex(signature)}});
  });

  std::mutex latencies_mutex;
  std::vector<double> latencies;
  std::atomic<std::size_t> accepted{0};
  const auto cast_start = Clock::now();
  parallel(terminals, threads, [&](std::size_t i) {
    if (seats[i].cast_request.empty()) return;
    const auto start = Clock::now();
    auto answer = seats[i].transport->call(seats[i].cast_request, std::chrono::seconds(60));
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    auto response = answer ? hv::protocol::decode_response(*answer)
                           : hv::Result<hv::protocol::Response>(hv::forward(answer.error()));
    if (!response || !response->ok) {
      ++failures;
      return;
    }
    ++accepted;
    std::lock_guard lock(latencies_mutex);
    latencies.push_back(ms);
  });
  const double cast_s = std::chrono::duration<double>(Clock::now() - cast_start).count();

  listener.reset();
  core.reset();
  log.reset();
  std::filesystem::remove_all(dir);
  std::fprintf(stderr, "hall_load: %zu terminals, %zu accepted, %zu failures\n", terminals, accepted.load(),
               failures.load());
  std::printf("FIGURE signin_1000_s %.2f s\n", signin_s * 1000.0 / static_cast<double>(terminals));
  std::printf("FIGURE accept_w1_per_s %.0f ballots/s\n", static_cast<double>(accepted.load()) / cast_s);
  std::printf("FIGURE receipt_p99_ms %.1f ms\n", percentile(latencies, 0.99));
  return failures.load() == 0 ? 0 : 1;
}
