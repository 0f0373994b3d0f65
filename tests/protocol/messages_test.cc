#include "hallvote/protocol/messages.h"

#include <gtest/gtest.h>

namespace hallvote::protocol {
namespace {

crypto::Bytes bytes(std::string_view text) { return crypto::Bytes(text.begin(), text.end()); }

TEST(Messages, RequestRoundTrips) {
  auto request = decode_request(encode_request(MessageType::cast, {{"ballot", "00"}}));
  ASSERT_TRUE(request);
  EXPECT_EQ(request->type, MessageType::cast);
  EXPECT_EQ(request->body["ballot"], "00");
}

TEST(Messages, GarbledVersionedAndUnknownMessagesAreNamed) {
  EXPECT_EQ(decode_request(bytes("{\"v\":1")).error().code, ProtocolErrc::malformed);
  EXPECT_EQ(decode_request(bytes("[1]")).error().code, ProtocolErrc::malformed);
  EXPECT_EQ(decode_request(bytes("{\"v\":2,\"type\":\"status\"}")).error().code,
            ProtocolErrc::unsupported_version);
  EXPECT_EQ(decode_request(bytes("{\"v\":1,\"type\":\"format_disk\"}")).error().code,
            ProtocolErrc::unknown_message);
  EXPECT_EQ(decode_request(bytes("{\"v\":1}")).error().code, ProtocolErrc::malformed);
  EXPECT_EQ(decode_request(crypto::Bytes(kMaxMessageBytes + 1, ' ')).error().code, ProtocolErrc::malformed);
}

TEST(Messages, ErrorResponsesCarryTheWireName) {
  auto response = decode_response(encode_error(Error{make_error_code(ProtocolErrc::already_cast), "D0001"}));
  ASSERT_TRUE(response);
  EXPECT_FALSE(response->ok);
  EXPECT_EQ(response->error, ProtocolErrc::already_cast);
  EXPECT_EQ(response->detail, "D0001");
}

TEST(Messages, RolesMayOnlySendTheirMessages) {
  EXPECT_TRUE(allowed(Role::terminal, MessageType::cast));
  EXPECT_FALSE(allowed(Role::terminal, MessageType::close_vote));
  EXPECT_FALSE(allowed(Role::terminal, MessageType::approve_vote));
  EXPECT_TRUE(allowed(Role::chair, MessageType::close_vote));
  EXPECT_FALSE(allowed(Role::staff, MessageType::open_vote));
  EXPECT_FALSE(allowed(Role::chair, MessageType::cast));
  EXPECT_TRUE(allowed(Role::presidium, MessageType::approve_vote));
}

}  // namespace
}  // namespace hallvote::protocol
