// LocalPageServer on Boost.Beast: one io_context on one thread, one coroutine per connection (named functions
// taking their parameters by value, as in server.cc: GCC 12 miscompiles capturing coroutine lambdas), errors
// as values (as_tuple). Pages are few (one browser per screen), so the limits are small and fixed.
#include "hallvote/network/local_page_server.h"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace hallvote::network {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxRequestBytes = 16 * 1024;
constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxPages = 16;
constexpr auto kRequestTimeout = std::chrono::seconds(30);

std::string_view content_type(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "json") return "application/json";
  return "";
}

// A plain file name of the page's folder: lower-case letters, digits, '-', '_', '.', a known type, no "..".
bool servable_name(std::string_view name) {
  static const std::regex pattern("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9_-]+)*\\.(html|css|js|mjs|svg|png|json)");
  return name.size() <= 64 && name.find("..") == std::string_view::npos &&
         std::regex_match(name.begin(), name.end(), pattern);
}

struct PageSocket;

struct Impl final : LocalPageServer {
  Impl(LocalPageOptions o, LocalPageHandlers h) : options(std::move(o)), handlers(std::move(h)) {}
  ~Impl() override;

  std::uint16_t port() const noexcept override { return bound_port; }
  void broadcast(std::string text) override;

  [[nodiscard]] bool host_allowed(std::string_view host) const {
    const std::string port_text = ":" + std::to_string(bound_port);
    return host == "127.0.0.1" + port_text || host == "localhost" + port_text;
  }
  [[nodiscard]] bool origin_allowed(std::string_view origin) const {
    const std::string port_text = ":" + std::to_string(bound_port);
    return origin == "http://127.0.0.1" + port_text || origin == "http://localhost" + port_text;
  }
  [[nodiscard]] std::string security_policy() const {
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
           "connect-src ws://127.0.0.1:" +
           std::to_string(bound_port) + " ws://localhost:" + std::to_string(bound_port) +
           "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  LocalPageOptions options;
  LocalPageHandlers handlers;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::uint16_t bound_port = 0;
  std::set<std::shared_ptr<PageSocket>> pages;  // touched on the io thread only
  std::atomic<std::uint64_t> broadcasts{0};     // broadcast() calls so far
  std::thread thread;
};

// One open WebSocket. Writes are queued; while one is on the wire, only the latest waiting text is kept.
struct PageSocket : std::enable_shared_from_this<PageSocket> {
  explicit PageSocket(beast::tcp_stream stream) : ws(std::move(stream)) {}

  // Sends the text of broadcast number `sequence` unless this page already has a later state.
  void send_state(std::uint64_t sequence, std::string text) {
    if (sequence <= delivered) return;
    delivered = sequence;
    send(std::move(text));
  }
  void send(std::string text) {
    if (closed) return;
    if (queue.size() > 1) queue.pop_back();  // superseded: every text is a whole state
    queue.push_back(std::move(text));
    if (!writing) write_next();
  }
  void write_next() {
    writing = true;
    ws.text(true);
    ws.async_write(asio::buffer(queue.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->queue.pop_front();
      if (ec) {
        self->closed = true;
        self->queue.clear();
        self->writing = false;
        return;
      }
      if (self->queue.empty()) {
        self->writing = false;
      } else {
        self->write_next();
      }
    });
  }

  websocket::stream<beast::tcp_stream> ws;
  std::uint64_t delivered =
      0;  // the latest broadcast whose state this page has (sent or covered by a snapshot)
  std::deque<std::string> queue;
  bool writing = false;
  bool closed = false;
};

// Broadcasts are numbered when called, not when run: a post from inside a handler on the io thread may run
// after a post made later from another thread, and an older state must never overwrite a newer one.
void Impl::broadcast(std::string text) {
  const std::uint64_t sequence = ++broadcasts;
  asio::post(io, [this, sequence, text = std::move(text)]() {
    for (const auto& page : pages) page->send_state(sequence, text);
  });
}

Impl::~Impl() {
  asio::post(io, [this]() {
    beast::error_code ignored;
    acceptor.close(ignored);
    for (const auto& page : pages) beast::get_lowest_layer(page->ws).close();
    pages.clear();
    io.stop();  // after the closes above: the coroutines still pending are destroyed with the io_context
  });
  if (thread.joinable()) thread.join();
}

http::response<http::string_body> plain_answer(const Impl& server, http::status status, std::string text,
                                               unsigned version) {
  http::response<http::string_body> answer{status, version};
  answer.set(http::field::content_type, "text/plain; charset=utf-8");
  answer.set("Content-Security-Policy", server.security_policy());
  answer.set(http::field::cache_control, "no-store");
  answer.set("X-Content-Type-Options", "nosniff");
  answer.body() = std::move(text);
  answer.keep_alive(false);
  answer.prepare_payload();
  return answer;
}

http::response<http::string_body> file_answer(const Impl& server, std::string_view target, unsigned version) {
  std::string name(target.substr(1));
  if (const auto query = name.find('?'); query != std::string::npos) name.resize(query);
  if (name.empty()) name = "index.html";
  if (!servable_name(name)) return plain_answer(server, http::status::not_found, "not found\n", version);
  std::ifstream file(server.options.web_root / name, std::ios::binary);
  std::ostringstream body;
  if (!file || !(body << file.rdbuf()) || body.tellp() > static_cast<std::streamoff>(kMaxFileBytes)) {
    return plain_answer(server, http::status::not_found, "not found\n", version);
  }
  auto answer = plain_answer(server, http::status::ok, body.str(), version);
  answer.set(http::field::content_type, content_type(name));
  answer.keep_alive(true);
  answer.prepare_payload();
  return answer;
}

asio::awaitable<void> serve_page_socket(Impl* server, std::shared_ptr<PageSocket> page) {
  page->ws.read_message_max(server->options.max_message_bytes);
  server->pages.insert(page);
  // Read before the snapshot is taken: every broadcast made so far is covered by it (callers broadcast after
  // changing the state the snapshot reads), so none of them may follow it onto this page.
  page->delivered = server->broadcasts.load();
  if (server->handlers.snapshot) page->send(server->handlers.snapshot());
  beast::flat_buffer buffer;
  while (true) {
    auto [ec, n] = co_await page->ws.async_read(buffer, use_tuple);
    if (ec) break;
    const std::string message = beast::buffers_to_string(buffer.data());
    buffer.consume(n);
    if (!page->ws.got_text()) break;
    if (server->handlers.on_message) server->handlers.on_message(message);
  }
  page->closed = true;
  server->pages.erase(page);
}

asio::awaitable<void> serve_connection(Impl* server, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kMaxRequestBytes);
    parser.body_limit(kMaxRequestBytes);
    stream.expires_after(kRequestTimeout);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (ec) co_return;
    auto request = parser.release();
    const unsigned version = request.version();
    http::response<http::string_body> answer;
    if (!server->host_allowed(request[http::field::host])) {
      answer = plain_answer(*server, http::status::forbidden, "host not allowed\n", version);
    } else if (websocket::is_upgrade(request)) {
      if (request.target() != "/ws" || !server->origin_allowed(request[http::field::origin]) ||
          server->pages.size() >= kMaxPages) {
        answer = plain_answer(*server, http::status::forbidden, "websocket refused\n", version);
      } else {
        stream.expires_never();
        auto page = std::make_shared<PageSocket>(std::move(stream));
        auto [accept_ec] = co_await page->ws.async_accept(request, use_tuple);
        if (accept_ec) co_return;
        co_await serve_page_socket(server, std::move(page));
        co_return;
      }
    } else if (request.method() == http::verb::get || request.method() == http::verb::head) {
      answer = file_answer(*server, request.target(), version);
      if (request.method() == http::verb::head) answer.body().clear();
    } else if (request.method() == http::verb::post && request.target().starts_with("/control/") &&
               server->handlers.on_control) {
      const std::string_view target = request.target();
      auto result = server->handlers.on_control(target.substr(9), request.body());
      answer = result ? plain_answer(*server, http::status::ok, *result + "\n", version)
                      : plain_answer(*server, http::status::bad_request, result.error().detail + "\n", version);
    } else {
      answer = plain_answer(*server, http::status::method_not_allowed, "not allowed\n", version);
    }
    const bool keep = answer.keep_alive() && request.keep_alive();
    auto [write_ec, written] = co_await http::async_write(stream, answer, use_tuple);
    if (write_ec || !keep) co_return;
  }
}

asio::awaitable<void> accept_loop(Impl* server) {
  while (true) {
    auto [ec, socket] = co_await server->acceptor.async_accept(use_tuple);
    if (ec) {
      if (!server->acceptor.is_open()) co_return;
      continue;
    }
    asio::co_spawn(server->io, serve_connection(server, std::move(socket)), asio::detached);
  }
}

}  // namespace

Result<std::unique_ptr<LocalPageServer>> LocalPageServer::start(LocalPageOptions options,
                                                                LocalPageHandlers handlers) {
  if (!std::filesystem::is_regular_file(options.web_root / "index.html")) {
    return fail(std::errc::no_such_file_or_directory,
                "页面目录中没有 index.html / no index.html in " + options.web_root.string());
  }
  auto server = std::make_unique<Impl>(std::move(options), std::move(handlers));
  beast::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), server->options.port);
  server->acceptor.open(endpoint.protocol(), ec);
  if (!ec) server->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) server->acceptor.bind(endpoint, ec);
  if (!ec) server->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(std::errc::address_in_use, "无法监听 127.0.0.1:" + std::to_string(server->options.port) +
                                               " / cannot listen on 127.0.0.1:" +
                                               std::to_string(server->options.port) + ": " + ec.message());
  }
  server->bound_port = server->acceptor.local_endpoint().port();
  asio::co_spawn(server->io, accept_loop(server.get()), asio::detached);
  Impl* raw = server.get();
  server->thread = std::thread([raw]() { raw->io.run(); });
  return std::unique_ptr<LocalPageServer>(std::move(server));
}

}  // namespace hallvote::network
