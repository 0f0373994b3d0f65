#include "hallvote/network/local_page_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace hallvote::network {
namespace {

// One HTTP/1.1 request over a plain socket; the whole answer (the server closes or answers in one piece).
std::string http_exchange(std::uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return "connect failed";
  }
  (void)!::write(fd, request.data(), request.size());
  std::string answer;
  char buffer[4096];
  timeval timeout{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  while (true) {
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
    if (answer.find("\r\n\r\n") != std::string::npos && answer.find("Connection: close") == std::string::npos &&
        answer.size() > 200)
      break;
  }
  ::close(fd);
  return answer;
}

std::string get(std::uint16_t port, const std::string& target, const std::string& host) {
  return http_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
}

// A minimal WebSocket client on a plain socket (RFC 6455: the upgrade, masked text frames out, unmasked text
// frames in, payloads under 64 KiB): no test translation unit includes Asio (see CMakeLists.txt).
class RawWebSocket {
 public:
  RawWebSocket(std::uint16_t port, const std::string& host) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return;
    const std::string upgrade = "GET /ws HTTP/1.1\r\nHost: " + host +
                                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                                "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://" +
                                host + "\r\n\r\n";
    if (!write_all(upgrade)) return;
    std::string answer;
    char c = 0;
    while (answer.size() < 4096 && !answer.ends_with("\r\n\r\n") && ::read(fd_, &c, 1) == 1) answer += c;
    open_ = answer.starts_with("HTTP/1.1 101");
  }
  ~RawWebSocket() { ::close(fd_); }
  RawWebSocket(const RawWebSocket&) = delete;
  RawWebSocket& operator=(const RawWebSocket&) = delete;

  [[nodiscard]] bool open() const { return open_; }

  // The next text frame's payload; empty on a closed connection, a timeout or a frame of another kind.
  std::string read_text() {
    unsigned char head[2];
    if (!read_exact(head, 2) || (head[0] & 0x0f) != 0x1) return "";
    std::size_t length = head[1] & 0x7f;
    if (length == 126) {
      unsigned char extended[2];
      if (!read_exact(extended, 2)) return "";
      length = static_cast<std::size_t>(extended[0]) << 8 | extended[1];
    } else if (length == 127) {
      return "";
    }
    std::string payload(length, '\0');
    if (length > 0 && !read_exact(reinterpret_cast<unsigned char*>(payload.data()), length)) return "";
    return payload;
  }

  // Sends `text` as one masked text frame (a client must mask; the key is fixed, which is enough for a test).
  void send_text(const std::string& text) {
    const unsigned char key[4] = {0x12, 0x34, 0x56, 0x78};
    std::string frame;
    frame += static_cast<char>(0x81);
    frame += static_cast<char>(0x80 | text.size());  // the tests send short texts (< 126 bytes)
    frame.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t i = 0; i < text.size(); ++i) frame += static_cast<char>(text[i] ^ key[i % 4]);
    EXPECT_TRUE(write_all(frame));
  }

 private:
  bool write_all(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const auto n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool read_exact(unsigned char* out, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
      const auto n = ::read(fd_, out + done, size - done);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  int fd_ = -1;
  bool open_ = false;
};

class LocalPageServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("hallvote-page-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_ / "sub");
    std::ofstream(root_ / "index.html") << "<!doctype html><title>seat</title>";
    std::ofstream(root_ / "seat.js") << "'use strict';";
    std::ofstream(root_ / "sub" / "secret.js") << "SECRET-CONTENT";
    std::ofstream(root_.parent_path() / "outside.js") << "SECRET-CONTENT";
    LocalPageHandlers handlers;
    handlers.snapshot = []() { return std::string("{}"); };
    handlers.on_control = [this](std::string_view name, std::string_view body) -> Result<std::string> {
      ++controls_;
      if (name != "card") return fail(std::errc::invalid_argument, "unknown control");
      return std::string(body);
    };
    auto server = LocalPageServer::start({root_, 0, 4096}, std::move(handlers));
    ASSERT_TRUE(server) << server.error().message();
    server_ = std::move(*server);
    host_ = "127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(root_);
  }

  std::filesystem::path root_;
  std::unique_ptr<LocalPageServer> server_;
  std::string host_;
  std::atomic<int> controls_{0};
};

TEST_F(LocalPageServerTest, ServesThePageWithItsSecurityPolicy) {
  const std::string answer = get(server_->port(), "/", host_);
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find("text/html; charset=utf-8"), std::string::npos);
  EXPECT_NE(answer.find("Content-Security-Policy: default-src 'none'; script-src 'self'"), std::string::npos);
  EXPECT_NE(answer.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(answer.find("<title>seat</title>"), std::string::npos);
  EXPECT_NE(get(server_->port(), "/seat.js", "localhost:" + std::to_string(server_->port())).find("200"),
            std::string::npos);
}

TEST_F(LocalPageServerTest, RefusesAnotherHostName) {  // DNS rebinding: evil.example resolving to 127.0.0.1
  EXPECT_NE(get(server_->port(), "/", "evil.example:" + std::to_string(server_->port())).find("403"),
            std::string::npos);
  EXPECT_NE(get(server_->port(), "/", "127.0.0.1:1").find("403"), std::string::npos);
}

TEST_F(LocalPageServerTest, ServesOnlyPlainFileNamesOfItsFolder) {
  for (const char* target : {"/../outside.js", "/sub/secret.js", "/%2e%2e/outside.js", "/SEAT.JS", "/seat.exe",
                             "/.hidden.js", "/nonexistent.js"}) {
    const std::string answer = get(server_->port(), target, host_);
    EXPECT_NE(answer.find("404"), std::string::npos) << target << "\n" << answer;
    EXPECT_EQ(answer.find("SECRET-CONTENT"), std::string::npos) << target;
  }
}

TEST_F(LocalPageServerTest, RefusesAWebSocketFromAnotherOrigin) {
  const std::string upgrade = "GET /ws HTTP/1.1\r\nHost: " + host_ +
                              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                              "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ";
  EXPECT_NE(http_exchange(server_->port(), upgrade + "http://evil.example\r\n\r\n").find("403"),
            std::string::npos);
  EXPECT_NE(http_exchange(server_->port(), upgrade + "http://" + host_ + "\r\n\r\n").find("101"),
            std::string::npos);
}

TEST_F(LocalPageServerTest, ControlRequestsReachTheHandlerAndErrorsAreRefused) {
  const auto post = [&](const std::string& target, const std::string& body) {
    return http_exchange(server_->port(), "POST " + target + " HTTP/1.1\r\nHost: " + host_ +
                                              "\r\nConnection: close\r\nContent-Length: " +
                                              std::to_string(body.size()) + "\r\n\r\n" + body);
  };
  EXPECT_NE(post("/control/card", "insert SD0001").find("200"), std::string::npos);
  EXPECT_NE(post("/control/other", "x").find("400"), std::string::npos);
  EXPECT_NE(post("/index.html", "x").find("405"), std::string::npos);
  EXPECT_EQ(controls_.load(), 2);
}

// A state broadcast from the page's own handler (on the server's thread) and a later one from another thread
// (the seat's protocol thread answering the intent) must reach the page in the order they were made: Asio may
// run the first post after the second, and the page was left showing 正在签到 after the answer had come.
TEST(LocalPageServer, AnOlderStateNeverFollowsANewerOne) {
  const auto root =
      std::filesystem::temp_directory_path() / ("hallvote-page-order-" + std::to_string(::getpid()));
  std::filesystem::create_directories(root);
  std::ofstream(root / "index.html") << "<!doctype html><title>seat</title>";
  LocalPageServer* server = nullptr;
  LocalPageHandlers handlers;
  handlers.snapshot = []() { return std::string("snapshot"); };
  handlers.on_message = [&server](std::string_view message) {
    if (message == "intent") {
      server->broadcast("older");
      std::thread([&server]() { server->broadcast("newer"); }).join();
    } else {
      server->broadcast("last");
    }
  };
  auto started = LocalPageServer::start({root, 0, 4096}, std::move(handlers));
  ASSERT_TRUE(started) << started.error().message();
  server = started->get();

  RawWebSocket page(server->port(), "127.0.0.1:" + std::to_string(server->port()));
  ASSERT_TRUE(page.open());
  EXPECT_EQ(page.read_text(), "snapshot");
  page.send_text("intent");
  page.send_text("again");
  std::vector<std::string> received;
  while (received.empty() || (received.back() != "last" && !received.back().empty())) {
    received.push_back(page.read_text());
  }
  ASSERT_GE(received.size(), 2u);
  EXPECT_EQ(received.back(), "last");
  EXPECT_EQ(received[received.size() - 2], "newer") << "an older state arrived after a newer one";
  started->reset();
  std::filesystem::remove_all(root);
}

TEST(LocalPageServer, RefusesAFolderWithoutAPage) {
  auto server =
      LocalPageServer::start({std::filesystem::temp_directory_path() / "hallvote-no-such-page", 0, 4096}, {});
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, std::errc::no_such_file_or_directory);
}

}  // namespace
}  // namespace hallvote::network
