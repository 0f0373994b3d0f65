// A presidium decision's signed bytes (docs/crypto.md §2), its JSON (docs/audit-log.md §3.5) with every
// per-kind rule refused by name, who may sign it, and the presidium_decision entry's round trip.
#include "hallvote/protocol/presidium_decision.h"

#include <gtest/gtest.h>

#include <functional>

#include "hallvote/crypto/random.h"
#include "hallvote/protocol/events.h"

namespace hallvote::protocol {
namespace {

using nlohmann::json;
using session::OfficialRole;

PresidiumDecision accept_fewer() {
  PresidiumDecision d;
  d.kind = DecisionKind::accept_fewer;
  d.vote_id = "V1";
  d.round = 1;
  d.result_sequence = 42;
  d.result_hash.fill(0xab);
  d.sitting = 2;
  return d;
}

TEST(DecisionMessage, IsTheDocumentedHashInput) {
  const PresidiumDecision d = accept_fewer();
  const std::string text = d.to_json().dump();
  EXPECT_EQ(text,
            "{\"items\":[],\"kind\":\"accept_fewer\",\"notice_number\":0,\"reason\":\"\",\"result_hash\":\"" +
                crypto::to_hex(d.result_hash) +
                "\",\"result_sequence\":42,\"round\":1,\"sitting\":2,\"vote_id\":\"V1\"}");
  const auto bytes = decision_message("s1", d, "P01");
  crypto::Bytes expected;
  auto append = [&](std::string_view t) { expected.insert(expected.end(), t.begin(), t.end()); };
  auto length = [&](std::uint64_t n) {
    for (int shift = 56; shift >= 0; shift -= 8) expected.push_back(static_cast<std::uint8_t>(n >> shift));
  };
  append("hallvote/v1/presidium-decision");
  expected.push_back(0);
  length(2), append("s1");
  length(text.size()), append(text);
  length(3), append("P01");
  EXPECT_EQ(bytes, expected);
}

TEST(PresidiumDecisionJson, RoundTripsAndRefusesWhatAKindDoesNotAllow) {
  const PresidiumDecision d = accept_fewer();
  const auto back = PresidiumDecision::from_json(d.to_json(), "decision");
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, d);
  struct Case {
    const char* what;
    std::function<void(json&)> change;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"unknown kind", [](json& j) { j["kind"] = "另行投票"; }, "decision.kind"},
      {"round 0", [](json& j) { j["round"] = 0; }, "decision.round"},
      {"sitting 0", [](json& j) { j["sitting"] = 0; }, "decision.sitting"},
      {"items on accept_fewer", [](json& j) { j["items"] = {"P3"}; }, "decision.items"},
      {"hold without items", [](json& j) { j["kind"] = "hold_further_vote"; }, "decision.items"},
      {"invalid without a reason", [](json& j) { j["kind"] = "declare_invalid"; }, "decision.reason"},
      {"a reason over 200 bytes",
       [](json& j) {
         j["kind"] = "declare_invalid";
         j["reason"] = std::string(201, 'x');
       },
       "decision.reason"},
      {"a reason on accept_fewer", [](json& j) { j["reason"] = "x"; }, "decision.reason"},
      {"announce without a number", [](json& j) { j["kind"] = "announce"; }, "decision.notice_number"},
      {"a number on accept_fewer", [](json& j) { j["notice_number"] = 3; }, "decision.notice_number"},
      {"a field not in the list", [](json& j) { j["extra"] = 1; }, "decision"},
      {"missing result_hash", [](json& j) { j.erase("result_hash"); }, "decision.result_hash"},
  };
  for (const Case& c : cases) {
    json j = d.to_json();
    c.change(j);
    const auto refused = PresidiumDecision::from_json(j, "decision");
    ASSERT_FALSE(refused) << c.what;
    EXPECT_EQ(refused.error().code, ProtocolErrc::malformed) << c.what;
    EXPECT_EQ(refused.error().detail.rfind(c.field, 0), 0u) << c.what << ": " << refused.error().detail;
  }
}

TEST(VerifyDecision, OnlyAPresidiumMembersOwnSignatureCounts) {
  crypto::DeterministicRandom random(5);
  session::KeyCommittee committee;
  std::vector<crypto::SigningKey> keys;
  for (const auto& [id, role] :
       std::vector<std::pair<std::string, OfficialRole>>{{"P01", OfficialRole::presidium_member},
                                                         {"P02", OfficialRole::presidium_member},
                                                         {"C01", OfficialRole::chief_scrutineer}}) {
    keys.push_back(crypto::SigningKey::generate(random));
    committee.members.push_back({id, "成员" + id, role, keys.back().verify_key().hex(), ""});
  }
  committee.quorum = 3;
  EXPECT_EQ(decision_signatures_needed(committee), 2u);  // min(3, two presidium members)
  const PresidiumDecision d = accept_fewer();
  EXPECT_TRUE(verify_decision(committee, "s1", d, "P01", keys[0].sign(decision_message("s1", d, "P01"))));
  EXPECT_EQ(
      verify_decision(committee, "s1", d, "P01", keys[1].sign(decision_message("s1", d, "P01"))).error().code,
      ProtocolErrc::invalid_approval);
  EXPECT_FALSE(verify_decision(committee, "s2", d, "P01", keys[0].sign(decision_message("s1", d, "P01"))));
  PresidiumDecision other = d;
  other.sitting = 3;
  EXPECT_FALSE(verify_decision(committee, "s1", other, "P01", keys[0].sign(decision_message("s1", d, "P01"))));
  EXPECT_FALSE(verify_decision(committee, "s1", d, "C01", keys[2].sign(decision_message("s1", d, "C01"))));
}

TEST(PresidiumDecisionEntry, EncodesAndDecodes) {
  PresidiumDecisionSigned e{accept_fewer(), "P01", "成员P01", {}, true};
  e.signature.fill(7);
  const std::string payload = encode(e);
  const auto back = decode_as<PresidiumDecisionSigned>(EntryType::presidium_decision, payload);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->decision, e.decision);
  EXPECT_EQ(back->official_id, "P01");
  EXPECT_TRUE(back->complete);
  json broken = json::parse(payload);
  broken["decision"]["kind"] = "announce";  // no notice number
  const auto refused = decode(EntryType::presidium_decision, broken.dump());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("payload.decision.notice_number"), std::string::npos)
      << refused.error().detail;
}

}  // namespace
}  // namespace hallvote::protocol
