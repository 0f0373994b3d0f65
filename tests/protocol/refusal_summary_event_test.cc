// The casts_refused_summary entry (docs/audit-log.md §3): its encoding round-trips, and the decoder refuses
// each way its counts can be wrong, naming the field.
#include <gtest/gtest.h>

#include "hallvote/protocol/events.h"

namespace hallvote::protocol {
namespace {

Result<Event> decode_summary(const std::string& payload) {
  return decode(EntryType::casts_refused_summary, payload);
}

TEST(CastsRefusedSummary, EncodesCanonicallyAndRoundTrips) {
  const CastsRefusedSummary summary{
      "T0001", 7, {{ProtocolErrc::wrong_credential, 5}, {ProtocolErrc::malformed, 2}}, true};
  const std::string payload = encode(summary);
  EXPECT_EQ(
      payload,
      R"({"by_reason":{"malformed":2,"wrong_credential":5},"cut_off":true,"refused":7,"terminal_id":"T0001"})");
  auto decoded = decode_summary(payload);
  ASSERT_TRUE(decoded) << decoded.error().message();
  const auto& back = std::get<CastsRefusedSummary>(*decoded);
  EXPECT_EQ(back.terminal_id, "T0001");
  EXPECT_EQ(back.refused, 7u);
  EXPECT_EQ(back.by_reason, summary.by_reason);
  EXPECT_TRUE(back.cut_off);
  EXPECT_EQ(entry_type_name(21), "casts_refused_summary");
}

TEST(CastsRefusedSummary, RefusesCountsThatDoNotAddUpOrNameNoReason) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"by_reason":{"malformed":2},"cut_off":false,"refused":3,"terminal_id":"T1"})", "payload.refused"},
      {R"({"by_reason":{"malformed":4},"cut_off":false,"refused":3,"terminal_id":"T1"})",
       "payload.by_reason.malformed"},
      {R"({"by_reason":{"malformed":0},"cut_off":false,"refused":0,"terminal_id":"T1"})",
       "payload.by_reason.malformed"},
      {R"({"by_reason":{},"cut_off":false,"refused":0,"terminal_id":"T1"})", "payload.by_reason"},
      {R"({"by_reason":[],"cut_off":false,"refused":0,"terminal_id":"T1"})", "payload.by_reason"},
      {R"({"by_reason":{"no_such_code":1},"cut_off":false,"refused":1,"terminal_id":"T1"})",
       "payload.by_reason"},
      {R"({"by_reason":{"malformed":"1"},"cut_off":false,"refused":1,"terminal_id":"T1"})",
       "payload.by_reason.malformed"},
      {R"({"by_reason":{"malformed":1},"cut_off":1,"refused":1,"terminal_id":"T1"})", "payload.cut_off"},
      {R"({"by_reason":{"malformed":1},"refused":1,"terminal_id":"T1"})", "payload.cut_off"},
      {R"({"by_reason":{"malformed":1},"cut_off":false,"refused":1,"terminal_id":""})", "payload.terminal_id"},
      {R"({"by_reason":{"malformed":1},"cut_off":false,"extra":1,"refused":1,"terminal_id":"T1"})",
       "payload.extra"},
  };
  for (const auto& [payload, field] : bad) {
    auto decoded = decode_summary(payload);
    ASSERT_FALSE(decoded) << payload;
    EXPECT_EQ(decoded.error().code, make_error_code(ProtocolErrc::malformed)) << payload;
    EXPECT_EQ(decoded.error().detail.rfind(field, 0), 0u) << payload << " → " << decoded.error().detail;
  }
}

}  // namespace
}  // namespace hallvote::protocol
