// Framing of the hall transport: frame = u32 big-endian length ‖ payload, 0 < length ≤ limit. Pure code with no
// I/O (no Asio, no OpenSSL), fuzzed by tests/fuzz/frame_fuzz.cc. Wire format: docs/protocol.md §2.
//
// Thread safety: the free functions are thread-safe; a FrameDecoder is used by one thread at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/network/errors.h"

namespace hallvote::network {

inline constexpr std::size_t kFrameHeaderBytes = 4;
// Default limit on a frame's payload, both directions.
inline constexpr std::size_t kDefaultMaxFrameBytes = std::size_t{1} << 20;
// The largest limit anyone may configure (the length prefix is a u32).
inline constexpr std::size_t kMaxFrameLimit = 0xFFFFFFFFu;

// Frames `payload`. Fails with frame_empty for an empty payload and frame_too_large above `max_frame_bytes`.
[[nodiscard]] Result<std::vector<std::uint8_t>> encode_frame(
    std::span<const std::uint8_t> payload, std::size_t max_frame_bytes = kDefaultMaxFrameBytes);

// Incremental decoder: feed whatever bytes arrive, in pieces of any size; pop complete payloads in order.
// A bad length prefix is reported as soon as its 4 bytes are in, before any payload byte is awaited, and memory
// grows only with bytes actually received (a large prefix reserves nothing up front).
class FrameDecoder {
 public:
  // Precondition (aborts otherwise): 1 <= max_frame_bytes <= kMaxFrameLimit.
  explicit FrameDecoder(std::size_t max_frame_bytes = kDefaultMaxFrameBytes);

  // Consumes all of `bytes`; every frame they complete is queued for next(). Fails with frame_empty (prefix 0)
  // or frame_too_large (prefix above the limit). Errors are sticky: once failed, feed() consumes nothing and
  // returns the same error; frames completed before the bad prefix remain available from next().
  [[nodiscard]] Status feed(std::span<const std::uint8_t> bytes);

  // The oldest complete payload, or nullopt if none is complete yet.
  [[nodiscard]] std::optional<std::vector<std::uint8_t>> next();

  // True if part of a frame (some prefix or payload bytes) is buffered: the peer is mid-frame.
  [[nodiscard]] bool mid_frame() const noexcept { return header_have_ > 0 || in_payload_; }
  [[nodiscard]] std::size_t complete_frames() const noexcept { return ready_.size(); }
  [[nodiscard]] bool failed() const noexcept { return error_.has_value(); }
  [[nodiscard]] std::size_t max_frame_bytes() const noexcept { return max_; }

 private:
  std::size_t max_;
  std::array<std::uint8_t, kFrameHeaderBytes> header_{};
  std::size_t header_have_ = 0;
  bool in_payload_ = false;
  std::size_t payload_need_ = 0;  // total payload length of the frame being read
  std::vector<std::uint8_t> payload_;
  std::deque<std::vector<std::uint8_t>> ready_;
  std::optional<Error> error_;
};

// --- Transport frames (docs/protocol.md §2.4) ---------------------------------------------------------------
// Payloads whose first byte is 0x00 belong to the transport, never to the application: the server's greeting
// (code 0) and the error notice it sends before closing (code = a NetworkErrc value). Layout:
// 0x00 'H' 'V' 'T' ‖ u16 code ‖ UTF-8 text (at most kMaxTransportTextBytes).

inline constexpr std::string_view kTransportVersion = "hallvote-transport/1";
inline constexpr std::uint16_t kGreetingCode = 0;
inline constexpr std::size_t kMaxTransportTextBytes = 200;

struct TransportFrame {
  std::uint16_t code = 0;  // 0: greeting; otherwise the NetworkErrc of the error that closes the connection
  std::string text;        // greeting: kTransportVersion; error: a short reason, for logs only
};

// True if `payload` is reserved for the transport (first byte 0x00).
[[nodiscard]] bool is_transport_payload(std::span<const std::uint8_t> payload) noexcept;

// The payload of a transport frame; `text` is cut to kMaxTransportTextBytes.
[[nodiscard]] std::vector<std::uint8_t> encode_transport_payload(std::uint16_t code, std::string_view text);

// Parses a transport payload; fails with protocol_violation on a wrong magic, a short payload or overlong text.
[[nodiscard]] Result<TransportFrame> parse_transport_payload(std::span<const std::uint8_t> payload);

}  // namespace hallvote::network
