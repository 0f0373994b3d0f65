#include "hallvote/network/frame.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace hallvote::network {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes payload(std::size_t size, std::uint8_t seed) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(seed + i);
  return out;
}

TEST(Frame, EncodeWritesBigEndianLengthThenPayload) {
  const Bytes p = {0x01, 0x02, 0x03};
  auto frame = encode_frame(p);
  ASSERT_TRUE(frame) << frame.error().message();
  EXPECT_EQ(*frame, (Bytes{0, 0, 0, 3, 1, 2, 3}));
}

TEST(Frame, EncodeRefusesEmptyAndOversized) {
  EXPECT_EQ(encode_frame(Bytes{}).error().code, NetworkErrc::frame_empty);
  EXPECT_EQ(encode_frame(payload(11, 0), 10).error().code, NetworkErrc::frame_too_large);
  EXPECT_TRUE(encode_frame(payload(10, 0), 10));
}

TEST(FrameDecoder, DecodesFrameFedOneByteAtATime) {
  const Bytes p = payload(300, 7);
  const Bytes wire = *encode_frame(p);
  FrameDecoder decoder(1000);
  for (std::size_t i = 0; i < wire.size(); ++i) {
    EXPECT_FALSE(decoder.next().has_value());
    EXPECT_EQ(decoder.mid_frame(), i > 0);
    ASSERT_TRUE(decoder.feed(std::span(wire).subspan(i, 1)));
  }
  EXPECT_FALSE(decoder.mid_frame());
  auto frame = decoder.next();
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(*frame, p);
  EXPECT_FALSE(decoder.next().has_value());
}

TEST(FrameDecoder, DecodesManyFramesInOneFeedInOrder) {
  Bytes wire;
  for (std::uint8_t i = 1; i <= 50; ++i) {
    const Bytes f = *encode_frame(payload(i, i));
    wire.insert(wire.end(), f.begin(), f.end());
  }
  FrameDecoder decoder;
  ASSERT_TRUE(decoder.feed(wire));
  EXPECT_EQ(decoder.complete_frames(), 50u);
  for (std::uint8_t i = 1; i <= 50; ++i) {
    auto frame = decoder.next();
    ASSERT_TRUE(frame.has_value());
    EXPECT_EQ(*frame, payload(i, i));
  }
  EXPECT_FALSE(decoder.mid_frame());
}

TEST(FrameDecoder, SplitsAcrossArbitraryFeedBoundaries) {
  Bytes wire;
  for (std::size_t i = 0; i < 20; ++i) {
    const Bytes f = *encode_frame(payload(1 + i * 37, static_cast<std::uint8_t>(i)));
    wire.insert(wire.end(), f.begin(), f.end());
  }
  for (std::size_t step : {2u, 3u, 5u, 7u, 64u, 1000u}) {
    FrameDecoder decoder;
    for (std::size_t pos = 0; pos < wire.size(); pos += step) {
      ASSERT_TRUE(decoder.feed(std::span(wire).subspan(pos, std::min(step, wire.size() - pos))));
    }
    ASSERT_EQ(decoder.complete_frames(), 20u) << "step " << step;
    for (std::size_t i = 0; i < 20; ++i)
      EXPECT_EQ(*decoder.next(), payload(1 + i * 37, static_cast<std::uint8_t>(i)));
  }
}

TEST(FrameDecoder, ZeroLengthPrefixIsStickyError) {
  FrameDecoder decoder;
  const Bytes good = *encode_frame(Bytes{42});
  Bytes wire = good;
  wire.insert(wire.end(), {0, 0, 0, 0, 9, 9});
  auto status = decoder.feed(wire);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, NetworkErrc::frame_empty);
  EXPECT_TRUE(decoder.failed());
  EXPECT_EQ(*decoder.next(), Bytes{42});  // frames before the bad prefix survive
  EXPECT_EQ(decoder.feed(good).error().code, NetworkErrc::frame_empty);
  EXPECT_FALSE(decoder.next().has_value());
}

TEST(FrameDecoder, OversizedPrefixFailsBeforeAnyPayloadArrives) {
  FrameDecoder decoder(1024);
  auto status = decoder.feed(Bytes{0, 0, 4, 1});  // 1025
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, NetworkErrc::frame_too_large);
  FrameDecoder at_limit(1024);
  EXPECT_TRUE(at_limit.feed(Bytes{0, 0, 4, 0}));
  EXPECT_TRUE(at_limit.mid_frame());
  FrameDecoder huge;
  EXPECT_EQ(huge.feed(Bytes{0xFF, 0xFF, 0xFF, 0xFF}).error().code, NetworkErrc::frame_too_large);
}

TEST(TransportFrame, RoundTripsAndRejectsBadMagic) {
  const Bytes p = encode_transport_payload(kGreetingCode, kTransportVersion);
  EXPECT_TRUE(is_transport_payload(p));
  auto parsed = parse_transport_payload(p);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->code, kGreetingCode);
  EXPECT_EQ(parsed->text, kTransportVersion);

  const Bytes err =
      encode_transport_payload(static_cast<std::uint16_t>(NetworkErrc::frame_too_large), std::string(500, 'x'));
  auto parsed_err = parse_transport_payload(err);
  ASSERT_TRUE(parsed_err);
  EXPECT_EQ(parsed_err->text.size(), kMaxTransportTextBytes);

  EXPECT_FALSE(is_transport_payload(Bytes{1, 0}));
  EXPECT_EQ(parse_transport_payload(Bytes{0, 'H', 'V', 'X', 0, 0}).error().code,
            NetworkErrc::protocol_violation);
  EXPECT_EQ(parse_transport_payload(Bytes{0, 'H', 'V'}).error().code, NetworkErrc::protocol_violation);
}

}  // namespace
}  // namespace hallvote::network
