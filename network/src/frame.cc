#include "hallvote/network/frame.h"

#include <algorithm>
#include <cstdlib>

namespace hallvote::network {
namespace {

constexpr std::array<std::uint8_t, 4> kTransportMagic = {0x00, 'H', 'V', 'T'};
// Growth step for a payload buffer: a peer announcing a large frame gets memory only as its bytes arrive.
constexpr std::size_t kReserveStep = 64 * 1024;

}  // namespace

Result<std::vector<std::uint8_t>> encode_frame(std::span<const std::uint8_t> payload,
                                               std::size_t max_frame_bytes) {
  if (payload.empty()) return fail(NetworkErrc::frame_empty, "refusing to send an empty frame");
  if (payload.size() > max_frame_bytes || payload.size() > kMaxFrameLimit) {
    return fail(NetworkErrc::frame_too_large,
                std::to_string(payload.size()) + " bytes > limit " + std::to_string(max_frame_bytes));
  }
  std::vector<std::uint8_t> out;
  out.reserve(kFrameHeaderBytes + payload.size());
  const auto n = static_cast<std::uint32_t>(payload.size());
  out.push_back(static_cast<std::uint8_t>(n >> 24));
  out.push_back(static_cast<std::uint8_t>(n >> 16));
  out.push_back(static_cast<std::uint8_t>(n >> 8));
  out.push_back(static_cast<std::uint8_t>(n));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

FrameDecoder::FrameDecoder(std::size_t max_frame_bytes) : max_(max_frame_bytes) {
  if (max_frame_bytes == 0 || max_frame_bytes > kMaxFrameLimit) std::abort();  // misuse
}

Status FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
  if (error_) return tl::unexpected<Error>(*error_);
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    if (!in_payload_) {
      const std::size_t take = std::min(kFrameHeaderBytes - header_have_, bytes.size() - pos);
      std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(pos), take, header_.begin() + header_have_);
      header_have_ += take;
      pos += take;
      if (header_have_ < kFrameHeaderBytes) break;
      const std::size_t length = (std::size_t{header_[0]} << 24) | (std::size_t{header_[1]} << 16) |
                                 (std::size_t{header_[2]} << 8) | std::size_t{header_[3]};
      header_have_ = 0;
      if (length == 0) {
        error_ = Error{make_error_code(NetworkErrc::frame_empty), "length prefix 0"};
        return tl::unexpected<Error>(*error_);
      }
      if (length > max_) {
        error_ = Error{make_error_code(NetworkErrc::frame_too_large),
                       "length prefix " + std::to_string(length) + " > limit " + std::to_string(max_)};
        return tl::unexpected<Error>(*error_);
      }
      in_payload_ = true;
      payload_need_ = length;
      payload_.clear();
      payload_.reserve(std::min(length, kReserveStep));
    }
    const std::size_t take = std::min(payload_need_ - payload_.size(), bytes.size() - pos);
    const auto first = bytes.begin() + static_cast<std::ptrdiff_t>(pos);
    payload_.insert(payload_.end(), first, first + static_cast<std::ptrdiff_t>(take));
    pos += take;
    if (payload_.size() == payload_need_) {
      ready_.push_back(std::move(payload_));
      payload_ = {};
      in_payload_ = false;
      payload_need_ = 0;
    }
  }
  return {};
}

std::optional<std::vector<std::uint8_t>> FrameDecoder::next() {
  if (ready_.empty()) return std::nullopt;
  std::vector<std::uint8_t> out = std::move(ready_.front());
  ready_.pop_front();
  return out;
}

bool is_transport_payload(std::span<const std::uint8_t> payload) noexcept {
  return !payload.empty() && payload[0] == 0x00;
}

std::vector<std::uint8_t> encode_transport_payload(std::uint16_t code, std::string_view text) {
  if (text.size() > kMaxTransportTextBytes) text = text.substr(0, kMaxTransportTextBytes);
  std::vector<std::uint8_t> out(kTransportMagic.begin(), kTransportMagic.end());
  out.push_back(static_cast<std::uint8_t>(code >> 8));
  out.push_back(static_cast<std::uint8_t>(code));
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

Result<TransportFrame> parse_transport_payload(std::span<const std::uint8_t> payload) {
  if (payload.size() < kTransportMagic.size() + 2) {
    return fail(NetworkErrc::protocol_violation, "transport frame shorter than 6 bytes");
  }
  if (!std::equal(kTransportMagic.begin(), kTransportMagic.end(), payload.begin())) {
    return fail(NetworkErrc::protocol_violation, "transport frame without the 00 'HVT' magic");
  }
  const std::size_t text_bytes = payload.size() - kTransportMagic.size() - 2;
  if (text_bytes > kMaxTransportTextBytes) {
    return fail(NetworkErrc::protocol_violation, "transport frame text longer than 200 bytes");
  }
  TransportFrame out;
  out.code = static_cast<std::uint16_t>((payload[4] << 8) | payload[5]);
  out.text.assign(payload.begin() + 6, payload.end());
  return out;
}

}  // namespace hallvote::network
