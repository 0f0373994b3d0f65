#include "raw_tls_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

namespace hallvote::network::testing {

RawTlsPeer::RawTlsPeer(std::uint16_t port, const Credentials* client, const std::string& source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
      ::bind(fd_, reinterpret_cast<const sockaddr*>(&from), sizeof from) != 0) {
    return;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return;
  timeval tv{0, 50'000};  // reads wake every 50 ms so deadlines are honoured
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

  ctx_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx_, TLS1_3_VERSION);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  if (client != nullptr) {
    BIO* cert_bio = BIO_new_mem_buf(client->cert_pem.data(), static_cast<int>(client->cert_pem.size()));
    X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
    BIO* key_bio = BIO_new_mem_buf(client->key_pem.reveal().data(), static_cast<int>(client->key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
    SSL_CTX_use_certificate(ctx_, cert);
    SSL_CTX_use_PrivateKey(ctx_, key);
    X509_free(cert);
    EVP_PKEY_free(key);
    BIO_free(cert_bio);
    BIO_free(key_bio);
  }
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
}

RawTlsPeer::~RawTlsPeer() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  if (fd_ >= 0) ::close(fd_);
  ERR_clear_error();
}

bool RawTlsPeer::handshake() {
  if (ssl_ == nullptr) return false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    const int rc = SSL_connect(ssl_);
    if (rc == 1) return true;
    if (SSL_get_error(ssl_, rc) != SSL_ERROR_WANT_READ || std::chrono::steady_clock::now() > deadline)
      return false;
  }
}

bool RawTlsPeer::send(const std::vector<std::uint8_t>& bytes) {
  std::size_t written = 0;
  return SSL_write_ex(ssl_, bytes.data(), bytes.size(), &written) == 1 && written == bytes.size();
}

bool RawTlsPeer::send_plain(const std::string& bytes) {
  return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

bool RawTlsPeer::read_exact(std::uint8_t* out, std::size_t n, std::chrono::steady_clock::time_point deadline) {
  std::size_t have = 0;
  while (have < n) {
    std::size_t got = 0;
    if (SSL_read_ex(ssl_, out + have, n - have, &got) == 1) {
      have += got;
      continue;
    }
    const int err = SSL_get_error(ssl_, 0);
    ERR_clear_error();
    if (err == SSL_ERROR_WANT_READ && std::chrono::steady_clock::now() < deadline) continue;
    if (err != SSL_ERROR_WANT_READ) closed_ = true;
    return false;
  }
  return true;
}

std::optional<std::vector<std::uint8_t>> RawTlsPeer::read_frame(std::chrono::milliseconds timeout) {
  if (ssl_ == nullptr) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::uint8_t header[4];
  if (!read_exact(header, 4, deadline)) return std::nullopt;
  const std::size_t length = (std::size_t{header[0]} << 24) | (std::size_t{header[1]} << 16) |
                             (std::size_t{header[2]} << 8) | std::size_t{header[3]};
  std::vector<std::uint8_t> payload(length);
  if (!read_exact(payload.data(), length, deadline)) return std::nullopt;
  return payload;
}

bool RawTlsPeer::closed_by_peer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::uint8_t byte = 0;
  while (!closed_ && std::chrono::steady_clock::now() < deadline) read_exact(&byte, 1, deadline);
  return closed_;
}

}  // namespace hallvote::network::testing
