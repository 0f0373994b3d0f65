// hall_load: the ballot server under a hall's worth of load, on loopback over TLS. The server (log, core, TLS
// listener) runs in its own process, so that its memory can be measured; this process holds N terminals
// (default 3,000), each with its own TLS connection and certificate, which sign in, are issued a W1 ballot
// (10 projects, choose at most 3), and then cast their encrypted ballots as fast as they can; the server
// verifies every proof and signature and logs each ballot durably before answering. Prints FIGURE lines
// (docs/benchmarks.md), N being the number of terminals:
//   signin_1000_s          wall time per 1,000 sign-ins (challenge, card signature, durable log entry)
//   accept_w1_N_per_s      ballots accepted per second in the casting phase (encryption done beforehand)
//   receipt_N_p99_ms       99th percentile of cast → verified receipt, per terminal
//   server_rss_N_mb        the server process's resident memory after the casting, every terminal connected
//   server_rss_peak_N_mb   the server process's peak resident memory
//   server_rss_after_flood_mb  the server's resident memory after an unauthenticated flood (4,300 plain TCP
//                          connections sending a partial TLS record, held 5 s, closed, 5 s to settle), every
//                          terminal still connected: compare with server_rss_N_mb, measured just before it
//   server_rss_peak_flood_mb   the server's peak resident memory by then (the flood included)
// With S seats (third argument), S of the N terminals are driven through the seat's screen model as the seat
// daemon drives it (docs/seat.md): the ballot is encrypted, proved and card-signed when the review is shown
// (before the deputy chooses to cast or to challenge it, off the clock), then the 确认投票 intent is parsed and
// applied, that prepared ballot cast and its receipt verified, and the receipt page's view rendered, while the
// other N − S terminals cast at the same time; it prints
//   seat_confirm_to_receipt_p99_ms   99th percentile over the S seats of that whole path (the WebSocket hop to
//                                    the browser and the page's drawing are not included)
// Usage: hall_load [terminals] [client-threads] [seats]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "hall_listener.h"
#include "hallvote/audit/log.h"
#include "hallvote/hardware/simulated_card.h"
#include "hallvote/network/hall_ca.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/terminal/seat_model.h"
#include "network_transport.h"
#include "tcp_flood.h"
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

// A /proc/<pid>/status figure in MiB (VmRSS, VmHWM), 0 if unreadable.
double status_mib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;  // kB
  }
  return 0;
}

// What the two processes share, made before the fork.
struct Setup {
  explicit Setup(hv::network::HallCa hall_ca) : ca(std::move(hall_ca)) {}
  std::vector<hv::crypto::SigningKey> cards, officials;
  hv::protocol::SessionRecord session_record;
  hv::session::SessionDefinition session;
  std::filesystem::path dir;
  hv::crypto::SigningKey server_key = hv::crypto::SigningKey::generate();
  std::string origin = "hallvote.load/load-1";
  hv::network::HallCa ca;
  hv::network::ServerOptions server_options;
};

// The steps the measuring process asks the server process for, one byte each on the command pipe; the server
// answers each with one byte (0 = done) on the answer pipe.
enum Command : char { open_sign_in = 'S', open_vote = 'V', quit = 'Q' };

bool read_all(int fd, void* data, std::size_t size) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = read(fd, p, size);
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// The server process: log, core and TLS listener; sends its port, then performs the chair's and the members'
// steps on command until told to quit.
[[noreturn]] void run_server(Setup& setup, int commands, int answers) {
  hv::audit::LogOptions log_options;
  log_options.path = (setup.dir / "session.db").string();
  log_options.origin = setup.origin;
  log_options.server_key = &setup.server_key;
  auto log = hv::audit::AuditLog::open(log_options).value();
  const auto election_secret = hv::crypto::SecretScalar::random(hv::crypto::system_random());
  hv::server::HallServerOptions options;
  options.session = &setup.session;
  options.session_record = &setup.session_record;
  options.log = log.get();
  options.server_key = &setup.server_key;
  options.election_key = hv::crypto::Point::base_mul(election_secret.reveal()).encode();
  auto core = hv::server::HallServer::start(options).value();
  auto listener = hv::server::listen(*core, std::move(setup.server_options)).value();
  const std::uint16_t port = listener->port();
  if (write(answers, &port, sizeof port) != sizeof port) _exit(2);

  auto control = [&](hv::protocol::Peer who, hv::protocol::MessageType type, nlohmann::json fields) {
    std::promise<hv::crypto::Bytes> answer;
    core->handle(std::move(who), hv::protocol::encode_request(type, std::move(fields)),
                 [&](hv::crypto::Bytes b) { answer.set_value(std::move(b)); });
    auto response = hv::protocol::decode_response(answer.get_future().get()).value();
    if (!response.ok) {
      std::fprintf(stderr, "hall_load: server step failed: %s\n", response.body.dump().c_str());
      _exit(3);
    }
    return response;
  };
  const hv::protocol::Peer chair{"chair", hv::protocol::Role::chair};
  for (char command = 0; read_all(commands, &command, 1);) {
    if (command == Command::open_sign_in) {
      control(chair, hv::protocol::MessageType::open_sign_in, nlohmann::json::object());
    } else if (command == Command::open_vote) {
      control(chair, hv::protocol::MessageType::start_session, nlohmann::json::object());
      auto prepared = control(chair, hv::protocol::MessageType::prepare_vote, {{"vote_id", "W1"}});
      const auto base_hash =
          hv::crypto::from_hex_fixed<32>(prepared.body["base_hash"].get<std::string>()).value();
      for (std::size_t m = 0; m < 2; ++m) {
        const std::string id = "P0" + std::to_string(m + 1);
        control({id, hv::protocol::Role::presidium}, hv::protocol::MessageType::approve_vote,
                {{"vote_id", "W1"},
                 {"official_id", id},
                 {"signature",
                  hv::crypto::to_hex(setup.officials[m].sign(hv::protocol::approval_message(base_hash)))}});
      }
      control(chair, hv::protocol::MessageType::open_vote, {{"vote_id", "W1"}});
    } else {
      break;
    }
    const char done = 0;
    if (write(answers, &done, 1) != 1) _exit(2);
  }
  listener.reset();
  core.reset();
  log.reset();
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t terminals = argc > 1 ? std::stoul(argv[1]) : 3000;
  const std::size_t threads = argc > 2 ? std::stoul(argv[2]) : 64;
  const std::size_t seat_pages = std::min(terminals, argc > 3 ? std::stoul(argv[3]) : std::size_t{0});
  // The seats are spread evenly among the terminals, so that they cast amid the others.
  const std::size_t seat_stride = seat_pages == 0 ? 1 : terminals / seat_pages;
  const auto is_seat = [&](std::size_t i) {
    return seat_pages > 0 && i % seat_stride == 0 && i / seat_stride < seat_pages;
  };
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);

  hv::crypto::DeterministicRandom setup_random(9);
  Setup setup(hv::network::HallCa::create("load-ca").value());
  setup.session_record =
      hv::bench::w1_session_record(terminals, 3, 2, setup.cards, setup.officials, setup_random);
  setup.session = setup.session_record.definition().value();
  setup.dir = std::filesystem::temp_directory_path() / ("hallvote-load-" + std::to_string(::getpid()));
  std::filesystem::create_directories(setup.dir);
  auto server_csr = hv::network::generate_key_and_csr("server").value();
  setup.server_options.ca_cert_pem = setup.ca.certificate_pem();
  setup.server_options.cert_pem = setup.ca.issue_server(server_csr.csr_pem).value();
  setup.server_options.key_pem = std::move(server_csr.private_key_pem);
  setup.server_options.worker_threads = 32;
  // Every terminal at once, plus the officials' reserved capacity (docs/protocol.md §2.7) and some slack.
  setup.server_options.max_connections = terminals + 16 + setup.server_options.reserved_for_officials;
  const auto& session = setup.session;
  const auto& cards = setup.cards;

  int commands[2], answers[2];
  if (pipe(commands) != 0 || pipe(answers) != 0) return 2;
  const pid_t server = fork();  // before any thread exists
  if (server < 0) return 2;
  if (server == 0) {
    close(commands[1]);
    close(answers[0]);
    run_server(setup, commands[0], answers[1]);
  }
  close(commands[0]);
  close(answers[1]);
  std::uint16_t port = 0;
  if (!read_all(answers[0], &port, sizeof port)) {
    std::fprintf(stderr, "hall_load: the server process did not start\n");
    return 2;
  }
  auto ask = [&](Command command) {
    char done = 1;
    if (write(commands[1], &command, 1) != 1 || !read_all(answers[0], &done, 1) || done != 0) {
      std::fprintf(stderr, "hall_load: the server process failed step %c\n", command);
      std::exit(2);
    }
  };

  std::fprintf(stderr, "hall_load: enrolling %zu terminals…\n", terminals);
  const hv::audit::NoteKey log_key{setup.origin, hv::audit::kNoteEd25519, setup.server_key.verify_key()};
  hv::network::ClientContext context(2);
  struct Seat {
    std::unique_ptr<hv::hardware::SimulatedCard> card;
    hv::hardware::SimulatedCardReader reader;
    std::unique_ptr<hv::terminal::NetworkTransport> transport;
    std::unique_ptr<hv::terminal::SeatTerminal> terminal;
    hv::crypto::Bytes cast_request;
    std::unique_ptr<hv::terminal::SeatModel> model;  // a seat (is_seat): the seat's screen model
  };
  std::vector<Seat> seats(terminals);
  for (std::size_t i = 0; i < terminals; ++i) {
    const std::string id = "T" + std::to_string(i + 1);
    auto request = hv::network::generate_key_and_csr(id).value();
    hv::network::ClientOptions client;
    client.host = "127.0.0.1";
    client.port = port;
    client.ca_cert_pem = setup.ca.certificate_pem();
    client.cert_pem = setup.ca.issue(request.csr_pem, hv::network::Role::terminal).value();
    client.key_pem = std::move(request.private_key_pem);
    Seat& seat = seats[i];
    seat.card = std::make_unique<hv::hardware::SimulatedCard>(
        session.roster[i].id, hv::crypto::SigningKey::from_seed(cards[i].seed()), "135790");
    seat.reader.insert(*seat.card);
    seat.transport = std::make_unique<hv::terminal::NetworkTransport>(context, std::move(client));
    seat.terminal = std::make_unique<hv::terminal::SeatTerminal>(
        hv::terminal::TerminalConfig{&session, setup.server_key.verify_key(), log_key, id}, *seat.transport);
  }
  ask(Command::open_sign_in);

  std::atomic<std::size_t> failures{0};
  const auto signin_start = Clock::now();
  parallel(terminals, threads, [&](std::size_t i) {
    if (!seats[i].terminal->sign_in(seats[i].reader, "135790")) ++failures;
  });
  const double signin_s = std::chrono::duration<double>(Clock::now() - signin_start).count();
  ask(Command::open_vote);

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
    if (is_seat(
            i)) {  // the deputy chooses on the seat's page, up to the review, whose entry prepares the ballot
      auto& model = seats[i].model;
      model = std::make_unique<hv::terminal::SeatModel>(session);
      model->card_inserted(session.roster[i].id);
      model->signed_in({session.roster[i].id, session.roster[i].name, session.roster[i].seat});
      model->status({{"open_vote", {{"vote_id", "W1"}, {"round", definition.shape.round}}}});
      model->ballot_arrived(**ballot);
      for (std::size_t s = 0; s < 10; ++s) {
        if (choices[0][s] != 0 &&
            !model->apply(hv::terminal::parse_seat_intent(R"({"intent":"toggle","contest":0,"selection":)" +
                                                          std::to_string(s) + "}")
                              .value())) {
          ++failures;
        }
      }
      auto prepare = model->apply(hv::terminal::parse_seat_intent(R"({"intent":"review"})").value());
      if (!prepare || !prepare->has_value() || !(*prepare)->ballot) {
        ++failures;
        return;
      }
      auto prepared = seats[i].terminal->prepare(*(*prepare)->ballot, seats[i].reader);
      if (!prepared) {
        ++failures;
        return;
      }
      model->ballot_prepared((*prepare)->token, std::move(*prepared));
      return;
    }
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
  std::vector<double> latencies, seat_latencies;
  std::atomic<std::size_t> accepted{0};
  // The seats confirm on their page while the others cast: the whole path a seat runs after the touch.
  const auto confirm_on_seat = [&](std::size_t i) {
    auto& model = *seats[i].model;
    const auto start = Clock::now();
    auto command = model.apply(hv::terminal::parse_seat_intent(R"({"intent":"confirm"})").value());
    if (!command || !command->has_value() || !(*command)->prepared) {
      ++failures;
      return;
    }
    auto receipt = seats[i].terminal->cast(std::move(*(*command)->prepared));
    if (receipt) {
      model.cast_confirmed(*receipt);
    } else {
      model.cast_failed(receipt.error());
    }
    const std::string view = model.view().dump();  // what goes to the page
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!receipt || model.page() != hv::terminal::SeatPage::receipt || view.empty()) {
      ++failures;
      return;
    }
    ++accepted;
    std::lock_guard lock(latencies_mutex);
    seat_latencies.push_back(ms);
  };
  const auto cast_start = Clock::now();
  parallel(terminals, threads, [&](std::size_t i) {
    if (is_seat(i)) return confirm_on_seat(i);
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

  const double rss_mb = status_mib(server, "VmRSS");
  const double peak_mb = status_mib(server, "VmHWM");
  // Issue 17 item 3: the memory an anonymous flood leaves behind (it went 74 → 574 MB and stayed).
  std::fprintf(stderr, "hall_load: flooding…\n");
  const std::size_t flooded = hv::bench::tcp_flood(port, 4300, std::chrono::seconds(5));
  std::this_thread::sleep_for(std::chrono::seconds(5));
  const double rss_after_flood_mb = status_mib(server, "VmRSS");
  const double peak_flood_mb = status_mib(server, "VmHWM");
  std::fprintf(stderr, "hall_load: %zu flood connections opened\n", flooded);
  const char quit = Command::quit;
  if (write(commands[1], &quit, 1) != 1) std::fprintf(stderr, "hall_load: cannot stop the server process\n");
  int status = 0;
  waitpid(server, &status, 0);
  seats.clear();
  std::filesystem::remove_all(setup.dir);
  std::fprintf(stderr, "hall_load: %zu terminals, %zu accepted, %zu failures\n", terminals, accepted.load(),
               failures.load());
  std::printf("FIGURE signin_1000_s %.2f s\n", signin_s * 1000.0 / static_cast<double>(terminals));
  std::printf("FIGURE accept_w1_%zu_per_s %.0f ballots/s\n", terminals,
              static_cast<double>(accepted.load()) / cast_s);
  std::printf("FIGURE receipt_%zu_p99_ms %.1f ms\n", terminals, percentile(latencies, 0.99));
  std::printf("FIGURE server_rss_%zu_mb %.0f MiB\n", terminals, rss_mb);
  std::printf("FIGURE server_rss_peak_%zu_mb %.0f MiB\n", terminals, peak_mb);
  std::printf("FIGURE server_rss_after_flood_mb %.0f MiB\n", rss_after_flood_mb);
  std::printf("FIGURE server_rss_peak_flood_mb %.0f MiB\n", peak_flood_mb);
  if (seat_pages > 0) {
    std::printf("FIGURE seat_confirm_to_receipt_p99_ms %.1f ms\n", percentile(seat_latencies, 0.99));
  }
  return failures.load() == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
