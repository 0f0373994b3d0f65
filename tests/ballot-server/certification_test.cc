// Certification of a round's tally report (docs/protocol.md §4.5.8): in order it certifies the round; a tie at
// the last place goes to a run-off round started by the completing certification; every refusal is named and
// logs nothing; replay after a restart rebuilds the signers and the run-off round.
#include "hallvote/protocol/certification.h"

#include <gtest/gtest.h>

#include "hall_server_fixture.h"
#include "hallvote/tlog/entry.h"
#include "report_helpers.h"

namespace hallvote::server {
namespace {

using nlohmann::json;
using protocol::MessageType;
using protocol::ProtocolErrc;
using testing::certify;
using testing::certify_fields;
using testing::fetch_report;
using testing::Hall;
using testing::ids_with;
using testing::pick;
using testing::Report;

// jianchi V1 (4选3): 40 ballots for the first three projects, closed (the server tallies).
void closed_vote(Hall& hall) {
  hall.seat(40);
  hall.open_vote("V1");
  for (std::size_t i = 0; i < 40; ++i) {
    const auto ballot = hall.fetch(i);
    ASSERT_TRUE(
        hall.send(i, "V1", hall.make_cast(i, ballot.definition, pick(ballot.definition, {0, 1, 2}))).ok);
  }
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}}).ok);
}

// The closed vote above, decrypted: decided in one round.
void decided_vote(Hall& hall) {
  ASSERT_NO_FATAL_FAILURE(closed_vote(hall));
  ASSERT_TRUE(hall.decrypt("V1").body["decrypted"].get<bool>());
}

std::string vote_state(Hall& hall, const std::string& vote) {
  return hall.call(Hall::chair(), MessageType::progress, {{"vote_id", vote}}).body["state"].get<std::string>();
}

TEST(Certification, ScrutineersThenPresidiumCertifyTheRound) {
  Hall hall;  // 3 presidium members, 3 scrutineers, quorum 4: q = min(4, 3) = 3
  decided_vote(hall);
  const Report report = fetch_report(hall, "V1");
  EXPECT_EQ(report.answer["certification"]["complete"], false);
  EXPECT_EQ(report.answer["certification"]["presidium_needed"], 3);
  const auto scrutineers = ids_with(hall, true);
  const auto presidium = ids_with(hall, false);
  std::vector<std::string> order = scrutineers;
  order.insert(order.end(), presidium.begin(), presidium.end());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto done = certify(hall, order[i], "V1", report);
    ASSERT_TRUE(done.ok) << order[i] << ": " << done.detail;
    EXPECT_EQ(done.body["signed"].size(), i + 1);
    EXPECT_EQ(done.body["complete"], i + 1 == order.size());
    EXPECT_EQ(done.body["missing"].size(), i < scrutineers.size() ? scrutineers.size() - i - 1 : 0);
  }
  EXPECT_EQ(vote_state(hall, "V1"), "certified");
  // The entries: one per signer, in order, the last one complete.
  std::vector<json> entries;
  for (std::uint64_t seq = 0; seq < hall.log->size(); ++seq) {
    const auto entry = audit::decode(hall.log->entry(seq).value()).value();
    if (entry.type == audit::EntryType::certification) entries.push_back(json::parse(entry.payload));
  }
  ASSERT_EQ(entries.size(), order.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto parsed = protocol::Certification::from_payload(entries[i]);
    ASSERT_TRUE(parsed) << parsed.error().message();
    EXPECT_EQ(parsed->certifier, order[i]);
    EXPECT_EQ(parsed->complete, i + 1 == entries.size());
    EXPECT_EQ(parsed->result_sequence, report.sequence);
    EXPECT_EQ(parsed->name, hall.session.find_official(order[i])->name);
  }
  // The result answer now shows the certification complete; decided, so no further round.
  const auto result = hall.call(Hall::chair(), MessageType::result, {{"vote_id", "V1"}});
  EXPECT_EQ(result.body["certification"]["complete"], true);
  EXPECT_EQ(result.body["current_round"]["number"], 1);
  EXPECT_EQ(result.body["current_round"]["state"], "certified");
}

TEST(Certification, RefusalsAreNamedAndLogNothing) {
  Hall hall;
  ASSERT_NO_FATAL_FAILURE(closed_vote(hall));
  const auto scrutineers = ids_with(hall, true);
  const auto presidium = ids_with(hall, false);

  auto refused = [&](const protocol::Peer& peer, const json& fields, ProtocolErrc code, const char* what) {
    const auto size = hall.log->size();
    const auto answer = hall.call(peer, MessageType::certify, fields);
    EXPECT_FALSE(answer.ok) << what;
    EXPECT_EQ(answer.error, code) << what << ": " << answer.detail;
    EXPECT_FALSE(answer.detail.empty()) << what;
    EXPECT_EQ(hall.log->size(), size) << what;
    return answer.detail;
  };

  // Before decryption: the round is tallied, there is no report yet.
  Report early{1, hall.log->size() - 1, {}, {}};
  refused(Hall::member(scrutineers[0]), certify_fields(hall, scrutineers[0], "V1", early),
          ProtocolErrc::wrong_state, "before decryption");
  ASSERT_TRUE(hall.decrypt("V1").ok);
  const Report report = fetch_report(hall, "V1");

  // A report that does not match the log: another hash, or an older sequence.
  Report forged = report;
  forged.hash[0] ^= 1;
  const auto detail = refused(Hall::member(scrutineers[0]), certify_fields(hall, scrutineers[0], "V1", forged),
                              ProtocolErrc::invalid_certification, "wrong result_hash");
  EXPECT_NE(detail.find("不符"), std::string::npos);
  EXPECT_NE(detail.find("does not match the log"), std::string::npos);
  Report stale = report;
  stale.sequence -= 1;
  refused(Hall::member(scrutineers[0]), certify_fields(hall, scrutineers[0], "V1", stale),
          ProtocolErrc::invalid_certification, "stale result_sequence");
  // A signature by another member's key.
  refused(Hall::member(scrutineers[0]), certify_fields(hall, scrutineers[0], "V1", report, scrutineers[1]),
          ProtocolErrc::invalid_certification, "bad signature");
  // Under another member's id; by someone not on the committee; from a chair's console.
  refused(Hall::member(scrutineers[0]), certify_fields(hall, scrutineers[1], "V1", report),
          ProtocolErrc::forbidden, "another member's id");
  json outsider = certify_fields(hall, scrutineers[0], "V1", report);
  outsider["official_id"] = "X99";
  refused(Hall::member("X99"), outsider, ProtocolErrc::forbidden, "a non-member");
  refused(Hall::chair(), certify_fields(hall, scrutineers[0], "V1", report), ProtocolErrc::forbidden,
          "chair role");
  // A presidium member before every scrutineer signed.
  refused(Hall::member(presidium[0]), certify_fields(hall, presidium[0], "V1", report),
          ProtocolErrc::invalid_certification, "presidium before scrutineers");
  // Another round, another vote, a malformed field.
  Report later = report;
  later.round = 2;
  refused(Hall::member(scrutineers[0]), certify_fields(hall, scrutineers[0], "V1", later),
          ProtocolErrc::wrong_vote, "wrong round");
  refused(Hall::member(scrutineers[0]), certify_fields(hall, scrutineers[0], "V9", report),
          ProtocolErrc::wrong_vote, "unknown vote");
  json unsigned_fields = certify_fields(hall, scrutineers[0], "V1", report);
  unsigned_fields.erase("signature");
  refused(Hall::member(scrutineers[0]), unsigned_fields, ProtocolErrc::malformed, "no signature");

  // A duplicate signer.
  ASSERT_TRUE(certify(hall, scrutineers[0], "V1", report).ok);
  refused(Hall::member(scrutineers[0]), certify_fields(hall, scrutineers[0], "V1", report),
          ProtocolErrc::invalid_certification, "duplicate signer");
  // After completion.
  for (std::size_t i = 1; i < scrutineers.size(); ++i)
    ASSERT_TRUE(certify(hall, scrutineers[i], "V1", report).ok);
  for (const auto& p : presidium) ASSERT_TRUE(certify(hall, p, "V1", report).ok);
  refused(Hall::member(presidium[0]), certify_fields(hall, presidium[0], "V1", report),
          ProtocolErrc::wrong_state, "after completion");
}

TEST(Certification, SignersSurviveARestart) {
  Hall hall;
  decided_vote(hall);
  const Report report = fetch_report(hall, "V1");
  const auto scrutineers = ids_with(hall, true);
  const auto presidium = ids_with(hall, false);
  ASSERT_TRUE(certify(hall, scrutineers[0], "V1", report).ok);
  ASSERT_TRUE(certify(hall, scrutineers[1], "V1", report).ok);
  hall.restart();
  const auto progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["certification"]["signed"],
            json(std::vector<std::string>{scrutineers[0], scrutineers[1]}));
  EXPECT_EQ(certify(hall, scrutineers[1], "V1", report).error,
            ProtocolErrc::invalid_certification);  // duplicate
  ASSERT_TRUE(certify(hall, scrutineers[2], "V1", report).ok);
  for (const auto& p : presidium) ASSERT_TRUE(certify(hall, p, "V1", report).ok);
  hall.restart();
  EXPECT_EQ(vote_state(hall, "V1"), "certified");
  EXPECT_EQ(certify(hall, presidium[0], "V1", report).error, ProtocolErrc::wrong_state);
}

// 汉阴 V1, 13选10, 165 of 247 present (threshold 124): the first nine projects get 152 votes each, projects 10
// and 11 tie at 141 for the 10th place → after certification, round 2 between them for 1 place.
TEST(Certification, TieAtTheTenthPlaceIsRunOffAfterCertification) {
  Hall hall("hanyin-county.toml");  // 5 presidium members, 1 chief scrutineer, 3 scrutineers; quorum 3
  std::vector<std::size_t> seated;
  hall.seat(165, &seated);
  ASSERT_EQ(seated.size(), 165u);
  hall.open_vote("V1");
  Hall::Cast first_cast;  // a round-1 ballot, resent in round 2 (issue 17 item 1)
  for (std::size_t n = 0; n < seated.size(); ++n) {
    const std::size_t i = seated[n];
    // Each deputy chooses 10 of the first 11 projects, leaving one out: 13 leave out each of projects 1–9, 24
    // leave out project 10 and 24 project 11.
    const std::size_t left_out = n < 117 ? n / 13 : n < 141 ? 9 : 10;
    const auto ballot = hall.fetch(i);
    auto choices = pick(ballot.definition, {});
    for (std::size_t c = 0; c < 11; ++c) choices[0][c] = c == left_out ? 0 : 1;
    const auto cast = hall.make_cast(i, ballot.definition, choices);
    ASSERT_TRUE(hall.send(i, "V1", cast).ok) << n;
    if (n == 0) first_cast = cast;
  }
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  const auto decrypted = hall.decrypt("V1");
  ASSERT_TRUE(decrypted.body["decrypted"].get<bool>()) << decrypted.body.dump();
  const json& outcome = decrypted.body["result"];
  EXPECT_EQ(outcome["totals"][0][0], 152);
  EXPECT_EQ(outcome["totals"][0][9], 141);
  EXPECT_EQ(outcome["totals"][0][10], 141);
  ASSERT_TRUE(outcome.contains("next_round")) << outcome.dump();
  EXPECT_EQ(outcome["next_round"]["items"], json(std::vector<std::string>{"HY2025-10", "HY2025-11"}));
  EXPECT_EQ(outcome["next_round"]["places"], 1);
  EXPECT_EQ(outcome["adopted"].size(), 9u);

  // No run-off before the certification.
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::prepare_vote, {{"vote_id", "V1"}}).error,
            ProtocolErrc::wrong_state);
  const Report first = fetch_report(hall, "V1");
  EXPECT_EQ(first.answer["certification"]["presidium_needed"], 3);
  for (const auto& s : ids_with(hall, true)) ASSERT_TRUE(certify(hall, s, "V1", first).ok) << s;
  const auto presidium = ids_with(hall, false);
  ASSERT_TRUE(certify(hall, presidium[3], "V1", first).ok);
  ASSERT_TRUE(certify(hall, presidium[0], "V1", first).ok);
  const auto completing = certify(hall, presidium[4], "V1", first);
  ASSERT_TRUE(completing.ok) << completing.detail;
  EXPECT_EQ(completing.body["complete"], true);
  EXPECT_EQ(completing.body["current_round"]["number"], 2);
  EXPECT_EQ(completing.body["current_round"]["state"], "drafted");
  EXPECT_EQ(certify(hall, presidium[1], "V1", first).error, ProtocolErrc::wrong_state);  // after completion

  // Replay rebuilds the run-off round.
  hall.restart();
  auto progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["round"], 2);
  EXPECT_EQ(progress.body["state"], "drafted");
  EXPECT_EQ(progress.body["certification"]["complete"], true);
  EXPECT_EQ(progress.body["certification"]["round"], 1);

  // A round-1 ballot resent now (its round certified, round 2 drafted) still gets its receipt, nothing new.
  const auto size_before_resend = hall.log->size();
  const auto resent = hall.send(seated[0], "V1", first_cast);
  ASSERT_TRUE(resent.ok) << resent.detail;
  EXPECT_EQ(hall.log->size(), size_before_resend);

  // Round 2: the run-off ballot has the two tied projects, choose at most 1.
  hall.open_vote("V1");
  const auto size_in_round2 = hall.log->size();
  EXPECT_TRUE(hall.send(seated[0], "V1", first_cast).ok);  // and while round 2 is open
  EXPECT_EQ(hall.log->size(), size_in_round2);
  const auto runoff = hall.fetch(seated[0]).definition;
  EXPECT_EQ(runoff.shape.round, 2u);
  ASSERT_EQ(runoff.shape.contests[0].selections.size(), 2u);
  EXPECT_EQ(runoff.shape.contests[0].selections[0].id, "HY2025-10");
  EXPECT_EQ(runoff.shape.contests[0].max_selected, 1u);
  for (std::size_t n = 0; n < seated.size(); ++n) {
    const std::size_t i = seated[n];
    const auto ballot = n == 0 ? runoff : hall.fetch(i).definition;
    ASSERT_TRUE(hall.send(i, "V1", hall.make_cast(i, ballot, pick(ballot, {n < 130 ? 0u : 1u}))).ok) << n;
  }
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  const auto second = hall.decrypt("V1");
  ASSERT_TRUE(second.body["decrypted"].get<bool>());
  const json& decided = second.body["result"];
  EXPECT_EQ(decided["round"], 2);
  EXPECT_EQ(decided["decided"], true);
  EXPECT_EQ(decided["totals"][0], json(std::vector<int>{130, 35}));
  ASSERT_EQ(decided["adopted"].size(), 10u);
  EXPECT_EQ(decided["adopted"][9], "HY2025-10");

  const Report report2 = fetch_report(hall, "V1");
  EXPECT_EQ(report2.round, 2u);
  EXPECT_EQ(certify(hall, ids_with(hall, true)[0], "V1", first).error,
            ProtocolErrc::wrong_state);  // round 1 is done
  Report stale = report2;
  stale.sequence = first.sequence;
  stale.hash = first.hash;
  EXPECT_EQ(
      hall.call(Hall::member("C01"), MessageType::certify, certify_fields(hall, "C01", "V1", stale)).error,
      ProtocolErrc::invalid_certification);  // round 2 signed over round 1's report
  for (const auto& s : ids_with(hall, true)) ASSERT_TRUE(certify(hall, s, "V1", report2).ok) << s;
  for (std::size_t p = 0; p < 3; ++p) ASSERT_TRUE(certify(hall, presidium[p], "V1", report2).ok);
  EXPECT_EQ(vote_state(hall, "V1"), "certified");
  hall.restart();
  EXPECT_EQ(vote_state(hall, "V1"), "certified");
  const auto result = hall.call(Hall::chair(), MessageType::result, {{"vote_id", "V1"}});
  EXPECT_EQ(result.body["result"]["round"], 2);
  EXPECT_EQ(result.body["certification"]["complete"], true);
  // The log with its certification entries passes the auditor's structural checks.
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::checkpoint).ok);
  const audit::Report verified = audit::verify_bundle(hall.log->export_bundle().value());
  EXPECT_TRUE(verified.ok()) << (verified.ok() ? "" : verified.failure->check);
}

}  // namespace
}  // namespace hallvote::server
