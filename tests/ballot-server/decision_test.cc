// Presidium decisions (docs/protocol.md §4.5.9): signed by q presidium members over the identical decision,
// they re-read the round's result (a shortfall accepted, a further vote among named items, a round declared
// invalid) or announce a certified vote; every refusal is named and logs nothing; replay rebuilds them.
#include <gtest/gtest.h>

#include "hall_server_fixture.h"
#include "hallvote/auditor/verifier.h"
#include "hallvote/protocol/presidium_decision.h"
#include "report_helpers.h"

namespace hallvote::server {
namespace {

using nlohmann::json;
using protocol::DecisionKind;
using protocol::MessageType;
using protocol::ProtocolErrc;
using testing::certify;
using testing::fetch_report;
using testing::Hall;
using testing::ids_with;
using testing::pick;
using testing::Report;

// jianchi V1 (4选3, 49 in office, threshold 25): 40 ballots for the first two projects only — a shortfall of 1.
void short_vote(Hall& hall) {
  hall.seat(40);
  hall.open_vote("V1");
  for (std::size_t i = 0; i < 40; ++i) {
    const auto ballot = hall.fetch(i);
    ASSERT_TRUE(hall.send(i, "V1", hall.make_cast(i, ballot.definition, pick(ballot.definition, {0, 1}))).ok);
  }
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  ASSERT_TRUE(hall.decrypt("V1").body["decrypted"].get<bool>());
}

protocol::PresidiumDecision decision_on(const Report& report, DecisionKind kind) {
  protocol::PresidiumDecision d;
  d.kind = kind;
  d.vote_id = "V1";
  d.round = report.round;
  d.result_sequence = report.sequence;
  d.result_hash = report.hash;
  d.sitting = 1;
  return d;
}

protocol::Response decide(Hall& hall, const std::string& member, const protocol::PresidiumDecision& d,
                          const std::string& signer = "") {
  const auto signature = hall.official_keys.at(signer.empty() ? member : signer)
                             .sign(protocol::decision_message(hall.session.info.id, d, member));
  return hall.call(
      Hall::member(member), MessageType::decide,
      {{"decision", d.to_json()}, {"official_id", member}, {"signature", crypto::to_hex(signature)}});
}

std::size_t entries_of(Hall& hall, audit::EntryType type) {
  std::size_t count = 0;
  for (std::uint64_t seq = 0; seq < hall.log->size(); ++seq) {
    if (audit::decode(hall.log->entry(seq).value()).value().type == type) ++count;
  }
  return count;
}

// Every scrutineer, then the presidium: certifies the round's latest report.
void certify_all(Hall& hall) {
  const Report report = fetch_report(hall, "V1");
  auto order = ids_with(hall, true);
  for (const auto& id : ids_with(hall, false)) order.push_back(id);
  for (const auto& id : order) ASSERT_TRUE(certify(hall, id, "V1", report).ok) << id;
}

// Issue 15 item 6: the run_off policy asks for a further vote; the presidium accepts fewer instead. The
// decision takes effect on the third presidium signature and the round's result is re-read: decided, certified
// afresh.
TEST(PresidiumDecision, AcceptingFewerReReadsTheRoundAndRestartsItsCertification) {
  Hall hall;  // 3 presidium members: q = min(4, 3) = 3
  ASSERT_NO_FATAL_FAILURE(short_vote(hall));
  const Report first = fetch_report(hall, "V1");
  ASSERT_TRUE(first.answer["result"].contains("next_round"));
  // A scrutineer certifies the first reading; that signature will not count for the new one.
  const auto scrutineers = ids_with(hall, true);
  ASSERT_TRUE(certify(hall, scrutineers[0], "V1", first).ok);

  const auto presidium = ids_with(hall, false);
  const auto accept = decision_on(first, DecisionKind::accept_fewer);
  for (std::size_t i = 0; i < presidium.size(); ++i) {
    const auto answer = decide(hall, presidium[i], accept);
    ASSERT_TRUE(answer.ok) << answer.detail;
    EXPECT_EQ(answer.body["signed"].size(), i + 1);
    EXPECT_EQ(answer.body["complete"], i + 1 == presidium.size());
  }
  EXPECT_EQ(entries_of(hall, audit::EntryType::presidium_decision), presidium.size());
  EXPECT_EQ(entries_of(hall, audit::EntryType::result), 2u);
  const Report second = fetch_report(hall, "V1");
  EXPECT_EQ(second.round, 1u);
  EXPECT_NE(second.sequence, first.sequence);
  EXPECT_EQ(second.answer["result"]["decided"], true);
  EXPECT_FALSE(second.answer["result"].contains("next_round"));
  EXPECT_EQ(second.answer["result"]["decisions"].back()["code"], "presidium_accepted");
  EXPECT_EQ(second.answer["certification"]["signed"].size(), 0u);  // starts over
  // A certification of the first reading is now refused: it is not the round's report.
  EXPECT_EQ(certify(hall, scrutineers[1], "V1", first).error, ProtocolErrc::invalid_certification);
  ASSERT_NO_FATAL_FAILURE(certify_all(hall));

  // Announce it: 公告 第 1 号.
  auto announce = decision_on(fetch_report(hall, "V1"), DecisionKind::announce);
  announce.notice_number = 1;
  for (const auto& id : presidium) ASSERT_TRUE(decide(hall, id, announce).ok) << id;
  const auto progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["state"], "announced");

  // The auditor re-checks every decision from the bundle, and the session ends announced.
  const auto bundle = hall.log->export_bundle().value();
  const auto votes = vote_audit::verify_votes(bundle);
  EXPECT_TRUE(votes.ok()) << (votes.ok() ? "" : votes.failure->check + ": " + votes.failure->error.message());

  // Replay rebuilds all of it.
  hall.restart();
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}}).body["state"], "announced");
  EXPECT_EQ(fetch_report(hall, "V1").sequence, second.sequence);
}

// With shortfall_policy = "presidium" the round cannot be certified until the presidium decided; holding the
// further vote among the top two starts round 2 with those items once the new report is certified.
TEST(PresidiumDecision, AShortfallLeftToThePresidiumWaitsForItAndItsItemsStand) {
  Hall hall;
  hall.session.votes[0].shortfall = session::ShortfallPolicy::presidium;
  hall.restart();
  ASSERT_NO_FATAL_FAILURE(short_vote(hall));
  const Report report = fetch_report(hall, "V1");
  EXPECT_EQ(report.answer["result"]["decided"], false);
  EXPECT_FALSE(report.answer["result"].contains("next_round"));
  EXPECT_EQ(report.answer["result"]["decisions"].back()["code"], "awaiting_presidium");
  const auto scrutineers = ids_with(hall, true);
  const auto refused = certify(hall, scrutineers[0], "V1", report);
  EXPECT_EQ(refused.error, ProtocolErrc::wrong_state);
  EXPECT_NE(refused.detail.find("主席团"), std::string::npos) << refused.detail;

  auto hold = decision_on(report, DecisionKind::hold_further_vote);
  hold.items = {"JC2025-03", "JC2025-04"};
  for (const auto& id : ids_with(hall, false)) ASSERT_TRUE(decide(hall, id, hold).ok) << id;
  const Report decided = fetch_report(hall, "V1");
  EXPECT_EQ(decided.answer["result"]["next_round"]["items"], json::array({"JC2025-03", "JC2025-04"}));
  EXPECT_EQ(decided.answer["result"]["next_round"]["purpose"], "shortfall_run_off");
  ASSERT_NO_FATAL_FAILURE(certify_all(hall));
  const auto progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["round"], 2);
  EXPECT_EQ(progress.body["state"], "drafted");
}

TEST(PresidiumDecision, ARoundDeclaredInvalidIsReVoted) {
  Hall hall;
  ASSERT_NO_FATAL_FAILURE(short_vote(hall));
  auto invalid = decision_on(fetch_report(hall, "V1"), DecisionKind::declare_invalid);
  invalid.reason = "表决器故障，部分代表未能投票";
  for (const auto& id : ids_with(hall, false)) ASSERT_TRUE(decide(hall, id, invalid).ok) << id;
  const Report report = fetch_report(hall, "V1");
  EXPECT_EQ(report.answer["result"]["status"], "declared_invalid");
  EXPECT_EQ(report.answer["result"]["next_round"]["purpose"], "re_vote");
  EXPECT_TRUE(report.answer["result"]["adopted"].empty());
  ASSERT_NO_FATAL_FAILURE(certify_all(hall));
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}}).body["round"], 2);
  const auto votes = vote_audit::verify_votes(hall.log->export_bundle().value());
  EXPECT_TRUE(votes.ok()) << (votes.ok() ? "" : votes.failure->check + ": " + votes.failure->error.message());
}

TEST(PresidiumDecision, RefusalsAreNamedAndLogNothing) {
  Hall hall;
  ASSERT_NO_FATAL_FAILURE(short_vote(hall));
  const Report report = fetch_report(hall, "V1");
  const auto presidium = ids_with(hall, false);
  const auto scrutineers = ids_with(hall, true);
  const auto accept = decision_on(report, DecisionKind::accept_fewer);
  const std::uint64_t size = hall.log->size();
  auto refused = [&](const protocol::Response& answer, ProtocolErrc code, const char* what) {
    EXPECT_FALSE(answer.ok) << what;
    EXPECT_EQ(answer.error, code) << what << ": " << answer.detail;
    EXPECT_EQ(hall.log->size(), size) << what;
  };
  // A scrutineer does not sign decisions; nor does anyone in another's name or with another's key.
  refused(decide(hall, scrutineers[0], accept), ProtocolErrc::invalid_approval, "scrutineer");
  refused(decide(hall, presidium[0], accept, presidium[1]), ProtocolErrc::invalid_approval, "wrong key");
  refused(hall.call(Hall::member(presidium[1]), MessageType::decide,
                    {{"decision", accept.to_json()},
                     {"official_id", presidium[0]},
                     {"signature", std::string(128, '0')}}),
          ProtocolErrc::forbidden, "in another's name");
  // Malformed decisions.
  auto no_reason = decision_on(report, DecisionKind::declare_invalid);
  refused(decide(hall, presidium[0], no_reason), ProtocolErrc::malformed, "invalid without a reason");
  auto stale = accept;
  stale.result_sequence -= 1;
  refused(decide(hall, presidium[0], stale), ProtocolErrc::wrong_state, "an older result");
  auto wrong_hash = accept;
  wrong_hash.result_hash[0] ^= 1;
  refused(decide(hall, presidium[0], wrong_hash), ProtocolErrc::wrong_state, "a hash that is not the entry's");
  auto next_round = accept;
  next_round.round = 2;
  refused(decide(hall, presidium[0], next_round), ProtocolErrc::wrong_state, "a round not yet held");
  auto one_item = decision_on(report, DecisionKind::hold_further_vote);
  one_item.items = {"JC2025-03"};  // one item for one place, not both not adopted
  refused(decide(hall, presidium[0], one_item), ProtocolErrc::wrong_state, "no choice in the further vote");
  auto adopted_item = decision_on(report, DecisionKind::hold_further_vote);
  adopted_item.items = {"JC2025-01", "JC2025-03"};
  refused(decide(hall, presidium[0], adopted_item), ProtocolErrc::wrong_state, "an adopted item");
  auto early = decision_on(report, DecisionKind::announce);
  early.notice_number = 1;
  refused(decide(hall, presidium[0], early), ProtocolErrc::wrong_state, "announce before certification");

  // Signing twice is answered, not logged twice.
  ASSERT_TRUE(decide(hall, presidium[0], accept).ok);
  const auto again = decide(hall, presidium[0], accept);
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(again.body["already_signed"], true);
  EXPECT_EQ(entries_of(hall, audit::EntryType::presidium_decision), 1u);
}

}  // namespace
}  // namespace hallvote::server
