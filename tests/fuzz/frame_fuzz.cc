// libFuzzer target for the transport framing (network/include/hallvote/network/frame.h): FrameDecoder fed in
// chunks of fuzzer-chosen size under a fuzzer-chosen limit, and parse_transport_payload on every frame.
// Invariants: every frame is 1..limit bytes; re-encoding the frames reproduces a prefix of the input; without
// an error, whatever is left over is exactly one incomplete frame; an error is one of the two named framing
// errors and is sticky. Built by the fuzz preset, run by tests/fuzz/run.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "hallvote/network/frame.h"

using hallvote::network::encode_frame;
using hallvote::network::FrameDecoder;
using hallvote::network::NetworkErrc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  constexpr std::size_t kLimits[] = {1, 16, 1024, hallvote::network::kDefaultMaxFrameBytes};
  const std::size_t limit = kLimits[data[0] & 3u];
  const std::size_t chunk = 1 + std::size_t{data[1]};
  const std::span<const std::uint8_t> input(data + 2, size - 2);

  FrameDecoder decoder(limit);
  std::vector<std::uint8_t> reencoded;
  std::size_t pos = 0;
  bool failed = false;
  while (pos < input.size() && !failed) {
    const std::size_t take = std::min(chunk, input.size() - pos);
    auto status = decoder.feed(input.subspan(pos, take));
    pos += take;
    while (auto frame = decoder.next()) {
      if (frame->empty() || frame->size() > limit) std::abort();
      auto wire = encode_frame(*frame, limit);
      if (!wire) std::abort();
      reencoded.insert(reencoded.end(), wire->begin(), wire->end());
      auto notice = hallvote::network::parse_transport_payload(*frame);
      if (notice && notice->text.size() > hallvote::network::kMaxTransportTextBytes) std::abort();
    }
    if (!status) {
      const auto code = status.error().code;
      if (code != NetworkErrc::frame_empty && code != NetworkErrc::frame_too_large) std::abort();
      if (decoder.feed(input.subspan(0, 0)) || !decoder.failed()) std::abort();  // sticky
      failed = true;
    }
  }
  if (reencoded.size() > pos || !std::equal(reencoded.begin(), reencoded.end(), input.begin())) std::abort();
  if (!failed && decoder.mid_frame() != (reencoded.size() < input.size())) std::abort();
  return 0;
}
