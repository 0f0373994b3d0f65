// The round's tally report as the server gives it, and the certify requests over it — shared by the
// certification and presidium decision tests.
#pragma once

#include <gtest/gtest.h>

#include "hall_server_fixture.h"
#include "hallvote/protocol/certification.h"
#include "hallvote/tlog/entry.h"

namespace hallvote::server::testing {

using nlohmann::json;
using protocol::MessageType;

// The round's report as the server gives it, checked the way a member's tool checks it.
struct Report {
  std::uint32_t round = 0;
  std::uint64_t sequence = 0;
  protocol::ResultHash hash{};
  json answer;
};

inline Report fetch_report(Hall& hall, const std::string& vote) {
  auto result = hall.call(Hall::chair(), MessageType::result, {{"vote_id", vote}});
  EXPECT_TRUE(result.ok) << result.detail;
  const auto bytes = crypto::from_hex(result.body["entry"].get<std::string>()).value();
  const auto entry = audit::decode(bytes).value();
  EXPECT_EQ(entry.type, audit::EntryType::result);
  EXPECT_EQ(entry.sequence, result.body["result_sequence"].get<std::uint64_t>());
  EXPECT_EQ(json::parse(entry.payload)["outcome"], result.body["result"]);
  EXPECT_EQ(crypto::to_hex(audit::entry_hash(bytes)), result.body["result_hash"]);
  return {result.body["result"]["round"].get<std::uint32_t>(), entry.sequence, audit::entry_hash(bytes),
          result.body};
}

// The certify request of `member` over `report`, signed with `signer`'s key (the member's own by default).
inline json certify_fields(Hall& hall, const std::string& member, const std::string& vote, const Report& report,
                           const std::string& signer = "") {
  const auto* official = hall.session.find_official(member);
  const std::string role =
      official != nullptr ? std::string(session::to_string(official->role)) : "presidium_member";
  const auto& key = hall.official_keys.at(signer.empty() ? member : signer);
  const auto signature = key.sign(protocol::certification_message(hall.session.info.id, vote, report.round,
                                                                  report.sequence, report.hash, member, role));
  return {{"vote_id", vote},
          {"round", report.round},
          {"official_id", member},
          {"result_sequence", report.sequence},
          {"result_hash", crypto::to_hex(report.hash)},
          {"signature", crypto::to_hex(signature)}};
}

inline protocol::Response certify(Hall& hall, const std::string& member, const std::string& vote,
                                  const Report& report) {
  return hall.call(Hall::member(member), MessageType::certify, certify_fields(hall, member, vote, report));
}

inline std::vector<std::string> ids_with(const Hall& hall, bool scrutineers) {
  std::vector<std::string> ids;
  for (const auto& m : hall.session.key_committee.members) {
    const bool scrutineer = m.role != session::OfficialRole::presidium_member;
    if (scrutineer == scrutineers) ids.push_back(m.id);
  }
  return ids;
}

}  // namespace hallvote::server::testing
