// An unauthenticated connection flood for the hall load bench (issue 17 item 3): plain TCP connections from
// loopback that send the first bytes of a TLS record and then nothing, as an attacker without a certificate
// would, held open together, then closed.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

namespace hallvote::bench {

// Opens up to `count` connections to 127.0.0.1:`port` (a connect that does not complete within a second is
// skipped), each sending a TLS handshake record header announcing 512 bytes that never come; holds them all for
// `hold`, then closes them. Returns how many connected.
inline std::size_t tcp_flood(std::uint16_t port, std::size_t count, std::chrono::milliseconds hold) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const unsigned char partial_record[] = {0x16, 0x03, 0x01, 0x02, 0x00};
  std::vector<int> open;
  for (std::size_t i = 0; i < count; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) break;
    const timeval second{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &second, sizeof second);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::send(fd, partial_record, sizeof partial_record, MSG_NOSIGNAL) < 0) {
      ::close(fd);
      continue;
    }
    open.push_back(fd);
  }
  std::this_thread::sleep_for(hold);
  for (const int fd : open) ::close(fd);
  return open.size();
}

}  // namespace hallvote::bench
