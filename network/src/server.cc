// FrameServer on Boost.Asio: one C++20 coroutine per connection, each on its own strand. The coroutines are
// named functions taking their parameters by value (GCC 12 miscompiles capturing coroutine lambdas and lambda
// temporaries inside co_await), and every operation's error comes back as a value (as_tuple).
#include "hallvote/network/server.h"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "admission.h"
#include "x509_util.h"

namespace hallvote::network {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Bytes = std::vector<std::uint8_t>;
using Stream = ssl::stream<beast::tcp_stream>;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 8 * 1024;

// Serialises Responders against stop(): while `open`, the server's io_context is alive and may be posted to.
struct Gate {
  std::mutex mutex;
  bool open = true;
};

// State of one connection. Everything but `id` and `remote` is touched only on the connection's strand.
struct Connection {
  Connection(tcp::socket socket, ssl::context& tls, std::uint64_t connection_id)
      : stream(std::move(socket), tls), wake(stream.get_executor()), id(connection_id) {}

  Stream stream;
  asio::steady_timer wake;                       // cancelled to wake the coroutine: response ready, or stop
  std::optional<std::optional<Bytes>> response;  // set by a Responder (via the strand)
  bool stopping = false;                         // the server stops, or the connection was shed: close at once
  bool waiting_for_response = false;
  const std::uint64_t id;
  std::string remote;
};

}  // namespace

class FrameServer::Impl {
 public:
  Impl(ServerOptions opts, FrameHandler frame_handler, DisconnectHandler disconnect, SSL_CTX* native_tls)
      : options(std::move(opts)),
        handler(std::move(frame_handler)),
        on_disconnect(std::move(disconnect)),
        admission(detail::AdmissionLimits::from(options)),
        tls(native_tls),
        acceptor(asio::make_strand(ioc)),
        workers(options.worker_threads) {}

  void log(const std::string& line) const {
    if (options.log) options.log(line);
  }

  ServerOptions options;  // key_pem already wiped
  FrameHandler handler;
  DisconnectHandler on_disconnect;
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();

  std::atomic<std::uint64_t> accepted{0}, active{0}, refused_over_limit{0}, refused_per_address{0},
      shed_unauthenticated{0}, refused_per_identity{0}, refused_role_capacity{0}, handshake_failures{0},
      frames_received{0}, frames_sent{0}, frames_too_large{0}, bad_frames{0}, deadline_closes{0},
      shutdown_timeouts{0}, handler_errors{0};

  std::mutex connections_mutex;
  bool stopping = false;  // guarded by connections_mutex
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections;  // guarded by connections_mutex
  detail::Admission admission;                                               // guarded by connections_mutex
  std::condition_variable all_closed;

  // Destruction order matters: coroutine frames still queued in `ioc` are destroyed with it and hold streams
  // that use `tls`, so `tls` is declared (and outlives) before `ioc`.
  ssl::context tls;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::uint16_t port = 0;
  asio::thread_pool workers;
  std::vector<std::thread> io_threads;
  std::once_flag stopped;
};

namespace {

using Impl = FrameServer::Impl;

bool is_timeout(const error_code& ec) { return ec == beast::error::timeout; }

bool is_peer_gone(const error_code& ec) {
  return ec == asio::error::eof || ec == ssl::error::stream_truncated || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::operation_aborted;
}

// Bytes a Responder delivers; runs on the connection's strand.
void deliver(const std::shared_ptr<Connection>& c, std::optional<Bytes> response) {
  if (c->response.has_value()) return;
  c->response = std::move(response);
  c->wake.cancel();
}

// Shared by every copy of one Responder. Destroyed without a response: closes the connection.
class ResponseState {
 public:
  ResponseState(std::shared_ptr<Gate> gate, std::weak_ptr<Connection> connection)
      : gate_(std::move(gate)), connection_(std::move(connection)) {}
  ResponseState(const ResponseState&) = delete;
  ResponseState& operator=(const ResponseState&) = delete;
  ~ResponseState() { respond(std::nullopt); }

  void respond(std::optional<Bytes> response) {
    if (used_.exchange(true)) return;
    const std::lock_guard lock(gate_->mutex);
    if (!gate_->open) return;
    std::shared_ptr<Connection> c = connection_.lock();
    if (!c) return;
    asio::post(c->stream.get_executor(), [c, r = std::move(response)]() mutable { deliver(c, std::move(r)); });
  }

 private:
  std::shared_ptr<Gate> gate_;
  std::weak_ptr<Connection> connection_;
  std::atomic<bool> used_{false};
};

// Runs the FrameHandler on a worker. Exceptions are the boundary's business: count, log, close.
void run_handler(Impl* impl, std::shared_ptr<const PeerIdentity> peer, Bytes request,
                 std::shared_ptr<ResponseState> state) {
  Responder respond = [state](std::optional<Bytes> r) { state->respond(std::move(r)); };
  try {
    impl->handler(*peer, std::move(request), std::move(respond));
  } catch (const std::exception& e) {
    ++impl->handler_errors;
    impl->log("handler for " + peer->id + " threw: " + e.what());
    state->respond(std::nullopt);
  } catch (...) {
    ++impl->handler_errors;
    impl->log("handler for " + peer->id + " threw a non-standard exception");
    state->respond(std::nullopt);
  }
}

// Sends close_notify and waits (bounded) for the peer's; then closes the socket.
asio::awaitable<void> shutdown_connection(Impl* impl, std::shared_ptr<Connection> c) {
  auto& lowest = beast::get_lowest_layer(c->stream);
  if (!c->stopping) {
    lowest.expires_after(impl->options.shutdown_timeout);
    auto [ec] = co_await c->stream.async_shutdown(use_tuple);
    if (is_timeout(ec)) {
      ++impl->shutdown_timeouts;
      impl->log("connection " + c->remote + ": peer did not answer close_notify; abandoned");
    }
  }
  lowest.close();
}

// Writes one frame with the write deadline. False if the connection is no longer usable.
asio::awaitable<bool> write_frame(Impl* impl, std::shared_ptr<Connection> c, Bytes frame) {
  auto& lowest = beast::get_lowest_layer(c->stream);
  lowest.expires_after(impl->options.write_timeout);
  auto [ec, n] = co_await asio::async_write(c->stream, asio::buffer(frame), use_tuple);
  (void)n;
  if (ec) {
    if (is_timeout(ec)) {
      ++impl->deadline_closes;
      impl->log("connection " + c->remote + ": write deadline expired");
    }
    lowest.close();
    co_return false;
  }
  co_return true;
}

// Tells the peer why (a transport error frame), then shuts the connection down.
asio::awaitable<void> close_with_error(Impl* impl, std::shared_ptr<Connection> c, NetworkErrc code,
                                       std::string reason) {
  impl->log("connection " + c->remote + ": closing: " + reason);
  Bytes payload = encode_transport_payload(static_cast<std::uint16_t>(code), reason);
  auto frame = encode_frame(payload, kMaxFrameLimit);
  Bytes bytes = std::move(*frame);
  const bool written = co_await write_frame(impl, c, std::move(bytes));
  if (written) co_await shutdown_connection(impl, c);
}

// Waits on the strand until a Responder delivered or the server stops.
asio::awaitable<void> await_response(std::shared_ptr<Connection> c) {
  c->waiting_for_response = true;
  while (!c->response.has_value() && !c->stopping) {
    c->wake.expires_at(asio::steady_timer::time_point::max());
    auto [ec] = co_await c->wake.async_wait(use_tuple);
    (void)ec;
  }
  c->waiting_for_response = false;
}

// The whole life of one connection after accept.
asio::awaitable<void> serve(Impl* impl, std::shared_ptr<Connection> c,
                            std::shared_ptr<const PeerIdentity>* out) {
  auto& lowest = beast::get_lowest_layer(c->stream);
  const ServerOptions& opt = impl->options;

  lowest.expires_after(opt.handshake_timeout);
  // One deadline for the whole handshake: set once, not extended by the bytes the peer sends.
  auto [hs_ec] = co_await c->stream.async_handshake(ssl::stream_base::server, use_tuple);
  if (c->stopping) {  // shed for a newer connection, or the server stops
    lowest.close();
    co_return;
  }
  if (hs_ec) {
    ++impl->handshake_failures;
    if (is_timeout(hs_ec)) ++impl->deadline_closes;
    impl->log("handshake refused from " + c->remote + ": " + hs_ec.message());
    lowest.close();
    co_return;
  }
  auto identity = detail::verified_peer_identity(c->stream.native_handle());
  if (!identity || identity->role == Role::server) {
    ++impl->handshake_failures;
    const NetworkErrc code = identity ? NetworkErrc::wrong_peer_role : NetworkErrc::peer_identity_invalid;
    std::string why =
        "identity refused from " + c->remote + ": " +
        (identity ? std::string("a server certificate used as a client") : identity.error().message());
    co_await close_with_error(impl, c, code, std::move(why));
    co_return;
  }
  detail::AuthVerdict verdict;
  {
    const std::lock_guard lock(impl->connections_mutex);
    verdict = impl->admission.authenticate(c->id, identity->id, identity->role);
  }
  if (verdict == detail::AuthVerdict::already_shed) {
    lowest.close();
    co_return;
  }
  if (verdict != detail::AuthVerdict::admitted) {
    const bool per_identity = verdict == detail::AuthVerdict::refused_per_identity;
    ++(per_identity ? impl->refused_per_identity : impl->refused_role_capacity);
    std::string why = per_identity ? "too many connections for " + identity->id
                                   : "no capacity left for role " + std::string(role_name(identity->role));
    co_await close_with_error(impl, c, NetworkErrc::connection_limit, std::move(why));
    co_return;
  }
  auto peer = std::make_shared<const PeerIdentity>(std::move(*identity));
  *out = peer;

  Bytes greeting =
      std::move(*encode_frame(encode_transport_payload(kGreetingCode, kTransportVersion), kMaxFrameLimit));
  const bool greeted = co_await write_frame(impl, c, std::move(greeting));
  if (!greeted) co_return;

  FrameDecoder decoder(opt.max_frame_bytes);
  Bytes buffer(kReadChunk);
  for (;;) {
    // One deadline per frame (§2.3), never extended by the bytes that arrive: the idle deadline until the
    // frame's first byte, then the read deadline until its last. A frame already begun in the buffer (pipelined
    // behind the previous request) gets its read deadline now, when reading resumes.
    std::optional<Bytes> request = decoder.next();
    if (!request.has_value()) lowest.expires_after(decoder.mid_frame() ? opt.read_timeout : opt.idle_timeout);
    while (!request.has_value()) {
      const bool frame_begun = decoder.mid_frame();
      auto [ec, n] = co_await c->stream.async_read_some(asio::buffer(buffer), use_tuple);
      if (ec) {
        if (c->stopping) {
          lowest.close();
        } else if (is_timeout(ec)) {
          ++impl->deadline_closes;
          impl->log("connection " + c->remote + " (" + peer->id + "): " +
                    (decoder.mid_frame() ? "read deadline expired mid-frame" : "idle deadline expired"));
          lowest.close();  // a stalled peer gets no graceful shutdown
        } else if (ec == asio::error::eof) {
          co_await shutdown_connection(impl, c);  // peer sent close_notify: answer it
        } else {
          if (!is_peer_gone(ec)) impl->log("connection " + c->remote + ": read failed: " + ec.message());
          lowest.close();
        }
        co_return;
      }
      auto fed = decoder.feed(std::span<const std::uint8_t>(buffer.data(), n));
      if (!fed) {
        const auto code = static_cast<NetworkErrc>(fed.error().code.value());
        if (code == NetworkErrc::frame_too_large) {
          ++impl->frames_too_large;
        } else {
          ++impl->bad_frames;
        }
        std::string why = fed.error().message();
        co_await close_with_error(impl, c, code, std::move(why));
        co_return;
      }
      request = decoder.next();
      if (!request.has_value() && !frame_begun && decoder.mid_frame()) lowest.expires_after(opt.read_timeout);
    }
    if (is_transport_payload(*request)) {
      ++impl->bad_frames;
      std::string why = "request payloads must not begin with 0x00 (reserved for the transport)";
      co_await close_with_error(impl, c, NetworkErrc::protocol_violation, std::move(why));
      co_return;
    }
    ++impl->frames_received;

    // One request in flight: no read (and no read deadline) until the handler answers.
    lowest.expires_never();
    c->response.reset();
    auto state = std::make_shared<ResponseState>(impl->gate, c);
    asio::post(impl->workers, [impl, peer, r = std::move(*request), state]() mutable {
      run_handler(impl, std::move(peer), std::move(r), std::move(state));
    });
    state.reset();
    co_await await_response(c);
    if (c->stopping) {
      lowest.close();
      co_return;
    }
    std::optional<Bytes> response = std::move(*c->response);
    if (!response.has_value()) {
      co_await shutdown_connection(impl, c);
      co_return;
    }
    if (is_transport_payload(*response)) {
      ++impl->handler_errors;
      std::string why = "response begins with reserved byte 0x00";
      co_await close_with_error(impl, c, NetworkErrc::internal_error, std::move(why));
      co_return;
    }
    auto frame = encode_frame(*response, opt.max_frame_bytes);
    if (!frame) {
      ++impl->handler_errors;
      std::string why = "unsendable response: " + frame.error().message();
      co_await close_with_error(impl, c, NetworkErrc::internal_error, std::move(why));
      co_return;
    }
    Bytes bytes = std::move(*frame);
    const bool written = co_await write_frame(impl, c, std::move(bytes));
    if (!written) co_return;
    ++impl->frames_sent;
  }
}

asio::awaitable<void> run_connection(Impl* impl, std::shared_ptr<Connection> c) {
  std::shared_ptr<const PeerIdentity> peer;
  try {
    co_await serve(impl, c, &peer);
  } catch (const std::exception& e) {
    impl->log("connection " + c->remote + ": internal error: " + e.what());
    beast::get_lowest_layer(c->stream).close();
  }
  if (peer && impl->on_disconnect) {
    asio::post(impl->workers, [impl, peer] { impl->on_disconnect(*peer); });
  }
  {
    const std::lock_guard lock(impl->connections_mutex);
    impl->connections.erase(c->id);
    impl->admission.closed(c->id);
    --impl->active;
  }
  impl->all_closed.notify_all();
}

// On a connection's strand: wake and abort whatever it waits for.
void abort_connection(const std::shared_ptr<Connection>& c) {
  c->stopping = true;
  c->wake.cancel();
  beast::get_lowest_layer(c->stream).close();
}

asio::awaitable<void> accept_loop(Impl* impl) {
  for (;;) {
    auto strand = asio::make_strand(impl->ioc);
    auto [ec, accepted] = co_await impl->acceptor.async_accept(strand, use_tuple);
    if (ec) {
      {
        const std::lock_guard lock(impl->connections_mutex);
        if (impl->stopping || !impl->acceptor.is_open()) co_return;
      }
      impl->log("accept failed: " + ec.message());
      asio::steady_timer pause(impl->acceptor.get_executor(), std::chrono::milliseconds(50));
      auto [pause_ec] = co_await pause.async_wait(use_tuple);
      (void)pause_ec;
      continue;
    }
    ++impl->accepted;
    tcp::socket socket(std::move(accepted));
    error_code endpoint_ec;
    const auto endpoint = socket.remote_endpoint(endpoint_ec);
    std::string remote =
        endpoint_ec ? "?" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());

    // An IPv4 peer on a dual-stack socket is counted under its IPv4 address.
    asio::ip::address source = endpoint_ec ? asio::ip::address() : endpoint.address();
    if (source.is_v6() && source.to_v6().is_v4_mapped()) {
      source = asio::ip::make_address_v4(asio::ip::v4_mapped, source.to_v6());
    }
    const std::string address = endpoint_ec ? std::string() : source.to_string();
    const bool loopback = !endpoint_ec && source.is_loopback();

    std::shared_ptr<Connection> c;
    std::vector<std::shared_ptr<Connection>> shed;
    detail::AcceptVerdict verdict;
    {
      const std::lock_guard lock(impl->connections_mutex);
      if (impl->stopping) co_return;
      const std::uint64_t id = impl->next_id++;
      detail::AcceptDecision decision = impl->admission.accept(id, address, loopback);
      verdict = decision.verdict;
      for (const std::uint64_t old : decision.shed) {
        const auto found = impl->connections.find(old);
        if (found == impl->connections.end()) continue;
        if (auto victim = found->second.lock()) shed.push_back(std::move(victim));
      }
      if (verdict == detail::AcceptVerdict::admitted) {
        c = std::make_shared<Connection>(std::move(socket), impl->tls, id);
        c->remote = remote;
        impl->connections.emplace(c->id, c);
        ++impl->active;
      }
    }
    impl->shed_unauthenticated += shed.size();
    for (auto& victim : shed) {
      impl->log("shed unauthenticated connection " + victim->remote + " for a newer one");
      auto executor = victim->stream.get_executor();
      asio::post(executor, [victim] { abort_connection(victim); });
    }
    shed.clear();
    if (!c) {
      const bool per_address = verdict == detail::AcceptVerdict::refused_per_address;
      ++(per_address ? impl->refused_per_address : impl->refused_over_limit);
      impl->log("refused " + remote + ": " +
                (per_address ? std::to_string(impl->options.max_per_address) + " connections open from it"
                             : std::to_string(impl->options.max_connections) + " connections open"));
      error_code close_ec;
      socket.close(close_ec);
      continue;
    }
    auto executor = c->stream.get_executor();
    asio::co_spawn(executor, run_connection(impl, std::move(c)), asio::detached);
  }
}

Status validate(const ServerOptions& o, const FrameHandler& handler) {
  using std::chrono::milliseconds;
  if (!handler) return fail(NetworkErrc::invalid_argument, "no frame handler");
  if (o.max_frame_bytes == 0 || o.max_frame_bytes > kMaxFrameLimit) {
    return fail(NetworkErrc::invalid_argument, "max_frame_bytes must be 1..2^32-1");
  }
  if (o.max_connections == 0 || o.max_unauthenticated == 0 || o.max_per_address == 0 ||
      o.max_per_terminal == 0 || o.max_per_identity == 0 || o.io_threads == 0 || o.worker_threads == 0) {
    return fail(NetworkErrc::invalid_argument,
                "max_connections, max_unauthenticated, max_per_address, max_per_terminal, max_per_identity, "
                "io_threads and worker_threads must be positive");
  }
  if (o.reserved_for_officials >= o.max_connections) {
    return fail(NetworkErrc::invalid_argument, "reserved_for_officials must be below max_connections");
  }
  for (const milliseconds t :
       {o.handshake_timeout, o.read_timeout, o.idle_timeout, o.write_timeout, o.shutdown_timeout}) {
    if (t <= milliseconds::zero()) return fail(NetworkErrc::invalid_argument, "timeouts must be positive");
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<FrameServer>> FrameServer::start(ServerOptions options, FrameHandler handler,
                                                        DisconnectHandler on_disconnect) {
  if (auto valid = validate(options, handler); !valid) return forward(valid.error());
  error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  if (ec) return fail(NetworkErrc::invalid_argument, "not an IP address: " + options.address);

  auto tls = detail::make_server_tls_context(options.ca_cert_pem, options.cert_pem, options.key_pem.reveal());
  options.key_pem = crypto::SecretBytes{};  // the TLS context holds the key now
  if (!tls) return forward(tls.error());

  auto impl =
      std::make_unique<Impl>(std::move(options), std::move(handler), std::move(on_disconnect), tls->release());
  const tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(NetworkErrc::io_error, "cannot listen on " + impl->options.address + ":" +
                                           std::to_string(impl->options.port) + ": " + ec.message());
  }
  impl->port = impl->acceptor.local_endpoint().port();

  Impl* raw = impl.get();
  asio::co_spawn(impl->acceptor.get_executor(), accept_loop(raw), asio::detached);
  for (unsigned i = 0; i < impl->options.io_threads; ++i) {
    impl->io_threads.emplace_back([raw] { raw->ioc.run(); });
  }
  return std::unique_ptr<FrameServer>(new FrameServer(std::move(impl)));
}

FrameServer::FrameServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

FrameServer::~FrameServer() { stop(); }

std::uint16_t FrameServer::port() const noexcept { return impl_->port; }

void FrameServer::stop() {
  Impl* impl = impl_.get();
  std::call_once(impl->stopped, [impl] {
    std::vector<std::shared_ptr<Connection>> open;
    {
      const std::lock_guard lock(impl->connections_mutex);
      impl->stopping = true;
      for (auto& [id, weak] : impl->connections) {
        if (auto c = weak.lock()) open.push_back(std::move(c));
      }
    }
    asio::post(impl->acceptor.get_executor(), [impl] {
      error_code ec;
      impl->acceptor.close(ec);
    });
    for (auto& c : open) {
      auto executor = c->stream.get_executor();
      asio::post(executor, [c] { abort_connection(c); });
    }
    open.clear();
    {
      // Connections end promptly once aborted; the bound only guards against a bug hanging stop().
      std::unique_lock lock(impl->connections_mutex);
      impl->all_closed.wait_for(lock, impl->options.shutdown_timeout + std::chrono::seconds(2),
                                [impl] { return impl->connections.empty(); });
    }
    impl->ioc.stop();
    for (auto& t : impl->io_threads) t.join();
    {
      const std::lock_guard lock(impl->gate->mutex);
      impl->gate->open = false;
    }
    impl->workers.join();
  });
}

ServerStats FrameServer::stats() const noexcept {
  const Impl& i = *impl_;
  return ServerStats{i.accepted.load(),
                     i.active.load(),
                     i.refused_over_limit.load(),
                     i.refused_per_address.load(),
                     i.shed_unauthenticated.load(),
                     i.refused_per_identity.load(),
                     i.refused_role_capacity.load(),
                     i.handshake_failures.load(),
                     i.frames_received.load(),
                     i.frames_sent.load(),
                     i.frames_too_large.load(),
                     i.bad_frames.load(),
                     i.deadline_closes.load(),
                     i.shutdown_timeouts.load(),
                     i.handler_errors.load()};
}

}  // namespace hallvote::network
