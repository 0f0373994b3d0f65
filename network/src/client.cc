// FrameClient and ClientContext on Boost.Asio. Each blocking call starts a named coroutine on the connection's
// strand (parameters by value, errors as values) and waits on a future for its result.
#include "hallvote/network/client.h"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <future>
#include <mutex>
#include <thread>

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
using Clock = std::chrono::steady_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 8 * 1024;

template <class T>
Result<T> failure(NetworkErrc code, std::string detail) {
  return fail(code, std::move(detail));
}

// One TLS connection. The TLS context lives here so that it outlives the stream whatever thread drops the last
// reference. Touched only on the connection's strand, except `open` (atomic).
struct ClientConn {
  ClientConn(const asio::any_io_executor& executor, SSL_CTX* native_tls, std::size_t max_frame_bytes)
      : tls(native_tls), stream(executor, tls), decoder(max_frame_bytes), buffer(kReadChunk) {}

  ssl::context tls;
  Stream stream;
  FrameDecoder decoder;
  Bytes buffer;
  std::atomic<bool> open{false};
};

// An error of a socket/TLS operation as a NetworkErrc. `handshaking`: TLS errors mean a refused handshake.
Error map_error(const error_code& ec, bool handshaking, const char* during) {
  NetworkErrc code = NetworkErrc::io_error;
  if (ec == beast::error::timeout) {
    code = NetworkErrc::timed_out;
  } else if (ec == asio::error::eof || ec == ssl::error::stream_truncated ||
             ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
             ec == asio::error::operation_aborted) {
    code = handshaking ? NetworkErrc::handshake_failed : NetworkErrc::connection_closed;
  } else if (ec.category() == asio::error::get_ssl_category()) {
    code = handshaking ? NetworkErrc::handshake_failed : NetworkErrc::io_error;
  }
  return Error{make_error_code(code), std::string(during) + ": " + ec.message()};
}

// The error a server's transport error frame reports.
Error remote_error(const Bytes& payload) {
  auto notice = parse_transport_payload(payload);
  if (!notice) return notice.error();
  if (notice->code == kGreetingCode ||
      notice->code > static_cast<std::uint16_t>(NetworkErrc::connection_limit)) {
    return Error{make_error_code(NetworkErrc::protocol_violation),
                 "unexpected transport frame from the server"};
  }
  return Error{make_error_code(static_cast<NetworkErrc>(notice->code)),
               "reported by the server: " + notice->text};
}

void close_socket(ClientConn& conn) {
  conn.open = false;
  beast::get_lowest_layer(conn.stream).close();
}

// Reads until one whole frame is in, all before `deadline`.
asio::awaitable<Result<Bytes>> read_frame(std::shared_ptr<ClientConn> conn, Clock::time_point deadline,
                                          bool handshaking) {
  auto& lowest = beast::get_lowest_layer(conn->stream);
  std::optional<Bytes> frame = conn->decoder.next();
  while (!frame.has_value()) {
    lowest.expires_at(deadline);
    auto [ec, n] = co_await conn->stream.async_read_some(asio::buffer(conn->buffer), use_tuple);
    if (ec) co_return tl::unexpected<Error>(map_error(ec, handshaking, "reading"));
    auto fed = conn->decoder.feed(std::span<const std::uint8_t>(conn->buffer.data(), n));
    if (!fed) co_return tl::unexpected<Error>(fed.error());
    frame = conn->decoder.next();
  }
  co_return std::move(*frame);
}

struct ConnectParams {
  std::string host;
  std::string port;
  std::string server_name;
  std::chrono::milliseconds timeout;
};

asio::awaitable<Result<PeerIdentity>> do_connect(std::shared_ptr<ClientConn> conn, ConnectParams p) {
  auto& lowest = beast::get_lowest_layer(conn->stream);
  const Clock::time_point deadline = Clock::now() + p.timeout;

  tcp::resolver resolver(conn->stream.get_executor());
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(p.host, p.port, use_tuple);
  if (resolve_ec) {
    co_return failure<PeerIdentity>(NetworkErrc::connect_failed,
                                    "cannot resolve " + p.host + ": " + resolve_ec.message());
  }
  lowest.expires_at(deadline);
  auto [connect_ec, endpoint] = co_await lowest.async_connect(endpoints, use_tuple);
  (void)endpoint;
  if (connect_ec) {
    const NetworkErrc code =
        connect_ec == beast::error::timeout ? NetworkErrc::timed_out : NetworkErrc::connect_failed;
    co_return failure<PeerIdentity>(code,
                                    "cannot connect to " + p.host + ":" + p.port + ": " + connect_ec.message());
  }
  if (auto named = detail::expect_server_name(conn->stream.native_handle(), p.server_name); !named) {
    co_return tl::unexpected<Error>(named.error());
  }

  lowest.expires_at(deadline);
  auto [handshake_ec] = co_await conn->stream.async_handshake(ssl::stream_base::client, use_tuple);
  if (handshake_ec) co_return tl::unexpected<Error>(map_error(handshake_ec, true, "TLS handshake"));
  auto identity = detail::verified_peer_identity(conn->stream.native_handle());
  if (!identity) co_return tl::unexpected<Error>(identity.error());
  if (identity->role != Role::server) {
    co_return failure<PeerIdentity>(NetworkErrc::wrong_peer_role, "the server's certificate has role " +
                                                                      std::string(role_name(identity->role)));
  }

  // TLS 1.3 clients finish their handshake before the server has checked their certificate: the greeting is
  // the server's word that it accepted us.
  auto greeting = co_await read_frame(conn, deadline, true);
  if (!greeting) co_return tl::unexpected<Error>(greeting.error());
  auto notice = parse_transport_payload(*greeting);
  if (!notice) co_return tl::unexpected<Error>(notice.error());
  if (notice->code != kGreetingCode) co_return tl::unexpected<Error>(remote_error(*greeting));
  if (notice->text != kTransportVersion) {
    co_return failure<PeerIdentity>(NetworkErrc::unsupported_version,
                                    "server speaks another transport version");
  }
  conn->open = true;
  co_return std::move(*identity);
}

asio::awaitable<void> connect_flow(std::shared_ptr<ClientConn> conn, ConnectParams p,
                                   std::shared_ptr<std::promise<Result<PeerIdentity>>> done) {
  Result<PeerIdentity> result = failure<PeerIdentity>(NetworkErrc::internal_error, "connect did not finish");
  try {
    result = co_await do_connect(conn, std::move(p));
  } catch (const std::exception& e) {
    result = failure<PeerIdentity>(NetworkErrc::internal_error, e.what());
  }
  if (!result) close_socket(*conn);
  done->set_value(std::move(result));
}

asio::awaitable<Result<Bytes>> do_call(std::shared_ptr<ClientConn> conn, Bytes frame,
                                       Clock::time_point deadline, std::chrono::milliseconds write_timeout) {
  auto& lowest = beast::get_lowest_layer(conn->stream);
  lowest.expires_at(std::min(deadline, Clock::now() + write_timeout));
  auto [write_ec, written] = co_await asio::async_write(conn->stream, asio::buffer(frame), use_tuple);
  (void)written;
  if (write_ec) co_return tl::unexpected<Error>(map_error(write_ec, false, "writing request"));
  auto response = co_await read_frame(conn, deadline, false);
  if (!response) co_return response;
  if (is_transport_payload(*response)) co_return tl::unexpected<Error>(remote_error(*response));
  co_return response;
}

asio::awaitable<void> call_flow(std::shared_ptr<ClientConn> conn, Bytes frame, Clock::time_point deadline,
                                std::chrono::milliseconds write_timeout,
                                std::shared_ptr<std::promise<Result<Bytes>>> done) {
  Result<Bytes> result = failure<Bytes>(NetworkErrc::internal_error, "call did not finish");
  try {
    result = co_await do_call(conn, std::move(frame), deadline, write_timeout);
  } catch (const std::exception& e) {
    result = failure<Bytes>(NetworkErrc::internal_error, e.what());
  }
  if (!result) close_socket(*conn);
  done->set_value(std::move(result));
}

asio::awaitable<void> close_flow(std::shared_ptr<ClientConn> conn, std::chrono::milliseconds timeout,
                                 std::shared_ptr<std::promise<void>> done) {
  if (conn->open) {
    auto& lowest = beast::get_lowest_layer(conn->stream);
    lowest.expires_after(timeout);
    auto [ec] = co_await conn->stream.async_shutdown(use_tuple);
    (void)ec;  // whatever the peer did, the socket closes now
  }
  close_socket(*conn);
  done->set_value();
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------

class ClientContext::Impl {
 public:
  explicit Impl(unsigned io_threads) : work(asio::make_work_guard(ioc)) {
    for (unsigned i = 0; i < std::max(1u, io_threads); ++i) threads.emplace_back([this] { ioc.run(); });
  }
  ~Impl() {
    if (clients.load() != 0) {
      std::fputs("hallvote::network: ClientContext destroyed while FrameClients still use it\n", stderr);
      std::abort();
    }
    work.reset();
    ioc.stop();
    for (auto& t : threads) t.join();
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // Blocking on an I/O thread of this context would deadlock: misuse.
  void check_not_io_thread() {
    if (ioc.get_executor().running_in_this_thread()) {
      std::fputs("hallvote::network: blocking FrameClient call on a ClientContext I/O thread\n", stderr);
      std::abort();
    }
  }

  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> clients{0};
};

ClientContext::ClientContext(unsigned io_threads) : impl_(std::make_unique<Impl>(io_threads)) {}
ClientContext::~ClientContext() = default;

class FrameClient::Impl {
 public:
  Impl(ClientContext::Impl& context, std::shared_ptr<ClientConn> connection, ClientOptions opts)
      : ctx(context), conn(std::move(connection)), options(std::move(opts)) {
    ++ctx.clients;
  }
  ~Impl() { --ctx.clients; }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  ClientContext::Impl& ctx;
  std::shared_ptr<ClientConn> conn;
  ClientOptions options;  // key_pem already wiped
  PeerIdentity server;
  std::mutex call_mutex;  // one call (or close) at a time
};

Result<std::unique_ptr<FrameClient>> FrameClient::connect(ClientContext& context, ClientOptions options) {
  ClientContext::Impl& ctx = *context.impl_;
  ctx.check_not_io_thread();
  if (options.host.empty() || options.port == 0)
    return fail(NetworkErrc::invalid_argument, "host and port needed");
  if (options.max_frame_bytes == 0 || options.max_frame_bytes > kMaxFrameLimit) {
    return fail(NetworkErrc::invalid_argument, "max_frame_bytes must be 1..2^32-1");
  }
  using std::chrono::milliseconds;
  if (options.connect_timeout <= milliseconds::zero() || options.write_timeout <= milliseconds::zero() ||
      options.shutdown_timeout <= milliseconds::zero()) {
    return fail(NetworkErrc::invalid_argument, "timeouts must be positive");
  }
  auto tls = detail::make_client_tls_context(options.ca_cert_pem, options.cert_pem, options.key_pem.reveal());
  options.key_pem = crypto::SecretBytes{};  // the TLS context holds the key now
  if (!tls) return forward(tls.error());

  const asio::any_io_executor strand = asio::make_strand(ctx.ioc);
  auto conn = std::make_shared<ClientConn>(strand, tls->release(), options.max_frame_bytes);
  ConnectParams params{options.host, std::to_string(options.port),
                       options.server_name.empty() ? options.host : options.server_name,
                       options.connect_timeout};
  auto done = std::make_shared<std::promise<Result<PeerIdentity>>>();
  auto result = done->get_future();
  asio::co_spawn(strand, connect_flow(conn, std::move(params), done), asio::detached);
  auto identity = result.get();
  if (!identity) return forward(identity.error());

  auto impl = std::make_unique<Impl>(ctx, std::move(conn), std::move(options));
  impl->server = std::move(*identity);
  return std::unique_ptr<FrameClient>(new FrameClient(std::move(impl)));
}

FrameClient::FrameClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

FrameClient::~FrameClient() { close(); }

Result<std::vector<std::uint8_t>> FrameClient::call(std::vector<std::uint8_t> request,
                                                    std::chrono::milliseconds timeout) {
  impl_->ctx.check_not_io_thread();
  if (timeout <= std::chrono::milliseconds::zero())
    return fail(NetworkErrc::invalid_argument, "timeout must be positive");
  if (is_transport_payload(request)) {
    return fail(NetworkErrc::protocol_violation, "request payloads must not begin with 0x00 (reserved)");
  }
  auto frame = encode_frame(request, impl_->options.max_frame_bytes);
  if (!frame) return forward(frame.error());

  const std::lock_guard lock(impl_->call_mutex);
  if (!impl_->conn->open) return fail(NetworkErrc::connection_closed, "the connection is closed");
  const Clock::time_point deadline = Clock::now() + timeout;
  auto done = std::make_shared<std::promise<Result<Bytes>>>();
  auto result = done->get_future();
  const asio::any_io_executor executor = impl_->conn->stream.get_executor();
  asio::co_spawn(executor,
                 call_flow(impl_->conn, std::move(*frame), deadline, impl_->options.write_timeout, done),
                 asio::detached);
  return result.get();
}

void FrameClient::close() {
  impl_->ctx.check_not_io_thread();
  std::unique_lock lock(impl_->call_mutex, std::try_to_lock);
  if (!lock.owns_lock()) {
    // A call is in progress, perhaps a long-poll: abort it (no close_notify), then wait for it to return.
    const std::shared_ptr<ClientConn> conn = impl_->conn;
    asio::post(conn->stream.get_executor(), [conn] { close_socket(*conn); });
    lock.lock();
  }
  if (!impl_->conn->open) return;
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  const asio::any_io_executor executor = impl_->conn->stream.get_executor();
  asio::co_spawn(executor, close_flow(impl_->conn, impl_->options.shutdown_timeout, done), asio::detached);
  finished.get();
}

bool FrameClient::is_open() const noexcept { return impl_->conn->open; }

const PeerIdentity& FrameClient::server() const noexcept { return impl_->server; }

ClientOptions ClientOptions::copy() const {
  ClientOptions copy;
  copy.host = host;
  copy.port = port;
  copy.server_name = server_name;
  copy.ca_cert_pem = ca_cert_pem;
  copy.cert_pem = cert_pem;
  crypto::Bytes key(key_pem.reveal().begin(), key_pem.reveal().end());
  copy.key_pem = crypto::SecretBytes::take(key);
  copy.connect_timeout = connect_timeout;
  copy.write_timeout = write_timeout;
  copy.shutdown_timeout = shutdown_timeout;
  copy.max_frame_bytes = max_frame_bytes;
  return copy;
}

}  // namespace hallvote::network
