#include "hallvote/server/hall_server.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "hall_server_fixture.h"

namespace hallvote::server {
namespace {

using protocol::MessageType;
using protocol::ProtocolErrc;
using testing::Hall;

using testing::pick;

TEST(HallServer, WholeVoteWithReceiptsThatVerify) {
  Hall hall;
  hall.seat(40);
  hall.open_vote("V1");
  for (std::size_t i = 0; i < 40; ++i) {
    const auto ballot = hall.fetch(i);
    ASSERT_TRUE(
        protocol::verify_signed_ballot(ballot, hall.server_key.verify_key(), hall.session.key_committee));
    const auto response =
        hall.send(i, "V1", hall.make_cast(i, ballot.definition, pick(ballot.definition, {i % 4, (i + 1) % 4})));
    ASSERT_TRUE(response.ok) << response.detail;
    auto receipt = audit::Receipt::parse(response.body["receipt"].get<std::string>());
    ASSERT_TRUE(receipt);
    EXPECT_TRUE(audit::verify_receipt(*receipt, hall.log_key(), {}));
    EXPECT_EQ(response.body["confirmation_code"].get<std::string>().size(), 19u);
  }
  auto progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["issued"], 40);
  EXPECT_EQ(progress.body["returned"], 40);
  EXPECT_TRUE(hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}}).ok);
}

// A present deputy whose seat never fetched the ballot (offline while the vote was open) is named by progress
// while the vote runs, and counted as 未按 — not lost between 实到 and 发出 (docs/rules.md §6).
TEST(HallServer, APresentDeputyWithoutTheBallotIsNamedAndCountedAsNoBallot) {
  Hall hall;
  std::vector<std::size_t> seated;
  hall.seat(40, &seated);
  hall.open_vote("V1");
  for (std::size_t n = 0; n + 1 < seated.size(); ++n) {
    const std::size_t i = seated[n];
    const auto ballot = hall.fetch(i);
    ASSERT_TRUE(hall.send(i, "V1", hall.make_cast(i, ballot.definition, pick(ballot.definition, {0}))).ok);
  }
  auto progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["present"], 40);
  EXPECT_EQ(progress.body["issued"], 39);
  EXPECT_EQ(progress.body["present_without_ballot"], nlohmann::json::array({hall.deputy(seated.back()).id}));
  EXPECT_TRUE(progress.body["opened_ms"].is_number_integer());
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  progress = hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}});
  EXPECT_EQ(progress.body["present_without_ballot"], nlohmann::json::array());  // only while the round runs
  EXPECT_TRUE(progress.body["opened_ms"].is_number_integer());
}

TEST(HallServer, RejectionsAreNamedChangeNothingAndCastingOnesAreLogged) {
  Hall hall;
  hall.seat(40);
  hall.open_vote("V1");
  const auto ballot = hall.fetch(0);
  const auto cast = hall.make_cast(0, ballot.definition, pick(ballot.definition, {0}));
  ASSERT_TRUE(hall.send(0, "V1", cast).ok);
  const auto size_after_first = hall.log->size();

  // The same ballot again: the same receipt, nothing new.
  auto again = hall.send(0, "V1", cast);
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(hall.log->size(), size_after_first);

  // A second, different ballot where replacement is off.
  EXPECT_EQ(hall.send(0, "V1", hall.make_cast(0, ballot.definition, pick(ballot.definition, {1}))).error,
            ProtocolErrc::already_cast);
  // A forged signature.
  (void)hall.fetch(1);
  auto forged = hall.make_cast(1, ballot.definition, pick(ballot.definition, {1}));
  forged.signature[0] ^= 1;
  EXPECT_EQ(hall.send(1, "V1", forged).error, ProtocolErrc::wrong_credential);
  // A tampered ballot (a proof byte changed): rejected by the proofs or by the signature.
  auto tampered = hall.make_cast(1, ballot.definition, pick(ballot.definition, {1}));
  tampered.ballot[tampered.ballot.size() - 40] ^= 1;
  tampered.signature =
      hall.deputy_keys.at(hall.deputy(1).id).sign(protocol::cast_signing_message(tampered.ballot));
  const auto tampered_error = hall.send(1, "V1", tampered).error;
  EXPECT_TRUE(tampered_error == ProtocolErrc::invalid_ballot || tampered_error == ProtocolErrc::malformed);
  // A ballot whose deputy is signed in at another terminal.
  EXPECT_EQ(hall.send(2, "V1", hall.make_cast(1, ballot.definition, pick(ballot.definition, {2}))).error,
            ProtocolErrc::not_signed_in);
  // A ballot not issued (deputy 3 never fetched).
  EXPECT_EQ(hall.send(3, "V1", hall.make_cast(3, ballot.definition, pick(ballot.definition, {2}))).error,
            ProtocolErrc::not_issued);
  // A ballot for another vote.
  EXPECT_EQ(hall.send(1, "V2", hall.make_cast(1, ballot.definition, pick(ballot.definition, {2}))).error,
            ProtocolErrc::wrong_vote);
  // A chair command from a seat terminal.
  EXPECT_EQ(hall.call(Hall::terminal(1), MessageType::close_vote, {{"vote_id", "V1"}}).error,
            ProtocolErrc::forbidden);
  // A replayed sign-in (the challenge was used).
  auto replay = hall.call(Hall::terminal(45), MessageType::sign_in,
                          {{"deputy_id", hall.deputy(45).id}, {"signature", std::string(128, '0')}});
  EXPECT_EQ(replay.error, ProtocolErrc::stale_challenge);
  // Garbage.
  std::promise<crypto::Bytes> answer;
  hall.server->handle(Hall::terminal(1), crypto::Bytes{'{', 'x'},
                      [&](crypto::Bytes b) { answer.set_value(std::move(b)); });
  EXPECT_EQ(protocol::decode_response(answer.get_future().get())->error, ProtocolErrc::malformed);

  // Each refused casting attempt is in the log; the accepted count did not change.
  std::size_t rejected = 0;
  for (std::uint64_t seq = 0; seq < hall.log->size(); ++seq) {
    if (audit::decode(hall.log->entry(seq).value())->type == audit::EntryType::cast_rejected) ++rejected;
  }
  EXPECT_EQ(rejected, 6u);
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}}).body["returned"], 1);

  // A vote after close.
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  EXPECT_EQ(hall.send(1, "V1", hall.make_cast(1, ballot.definition, pick(ballot.definition, {2}))).error,
            ProtocolErrc::wrong_state);
}

TEST(HallServer, StateIsRebuiltFromTheLogAfterARestart) {
  Hall hall;
  hall.seat(40);
  hall.open_vote("V1");
  const auto ballot = hall.fetch(0);
  const auto cast = hall.make_cast(0, ballot.definition, pick(ballot.definition, {0, 1}));
  const auto first = hall.send(0, "V1", cast);
  ASSERT_TRUE(first.ok);
  (void)hall.fetch(1);

  hall.restart();
  EXPECT_EQ(hall.server->snapshot().present, 40u);
  const auto again = hall.send(0, "V1", cast);  // resubmission after the restart: the same receipt
  ASSERT_TRUE(again.ok) << again.detail;
  EXPECT_EQ(again.body["confirmation_code"], first.body["confirmation_code"]);
  EXPECT_EQ(again.body["index"], first.body["index"]);
  // Deputy 1's ballot was issued before the restart; it can still be cast.
  EXPECT_TRUE(hall.send(1, "V1", hall.make_cast(1, ballot.definition, pick(ballot.definition, {3}))).ok);
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::progress, {{"vote_id", "V1"}}).body["returned"], 2);
}

// Issue 17 item 1: the answer to a cast is lost after its entry is written (the server killed at
// ensure_checkpoint). The identical ballot resent gets the same receipt, against a checkpoint that covers it,
// in every state the vote passes through, and nothing new is written; a different ballot is still refused.
TEST(HallServer, Issue17_ResentIdenticalBallotGetsItsReceiptInEveryVoteState) {
  Hall hall;
  hall.seat(40);
  hall.open_vote("V1");
  const auto ballot = hall.fetch(0);
  const auto cast = hall.make_cast(0, ballot.definition, pick(ballot.definition, {0, 1}));
  // The server dies after the append, before any checkpoint covers the entry: written as its cast path does.
  hall.server.reset();
  const protocol::BallotCast event{"V1",
                                   ballot.definition.shape.round,
                                   hall.deputy(0).id,
                                   Hall::terminal(0).id,
                                   protocol::ballot_hash(cast.ballot, cast.signature),
                                   cast.ballot,
                                   cast.signature};
  const auto appended =
      hall.log->append(protocol::type_of(event), "server", hall.server_key, protocol::encode(event));
  ASSERT_TRUE(appended) << appended.error().message();
  hall.restart();

  const auto expect_same_receipt = [&](const char* when) {
    SCOPED_TRACE(when);
    const auto size_before = hall.log->size();
    const auto again = hall.send(0, "V1", cast);
    ASSERT_TRUE(again.ok) << again.detail;
    EXPECT_EQ(again.body["index"], appended->sequence);
    EXPECT_EQ(again.body["confirmation_code"],
              protocol::confirmation_code(protocol::ballot_hash(cast.ballot, cast.signature)));
    auto receipt = audit::Receipt::parse(again.body["receipt"].get<std::string>());
    ASSERT_TRUE(receipt);
    EXPECT_TRUE(audit::verify_receipt(*receipt, hall.log_key(), {}));
    EXPECT_EQ(hall.log->size(), size_before);  // nothing new: no ballot_cast, no cast_rejected
  };
  expect_same_receipt("open, after the restart");
  expect_same_receipt("open, again");
  // A different ballot of the deputy who has voted is still refused.
  EXPECT_EQ(hall.send(0, "V1", hall.make_cast(0, ballot.definition, pick(ballot.definition, {2}))).error,
            ProtocolErrc::already_cast);
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::hold_vote, {{"vote_id", "V1"}}).ok);
  expect_same_receipt("held");
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::resume_vote, {{"vote_id", "V1"}}).ok);
  for (std::size_t i = 1; i < 40; ++i) {
    const auto other = hall.fetch(i);
    ASSERT_TRUE(hall.send(i, "V1", hall.make_cast(i, other.definition, pick(other.definition, {i % 4}))).ok);
  }
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  expect_same_receipt("closed");
  ASSERT_TRUE(hall.decrypt("V1").body["decrypted"].get<bool>());
  expect_same_receipt("decrypted");
  hall.restart();
  expect_same_receipt("decrypted, after a restart");
  // A resend from another seat is answered too (the deputy may have moved): the receipt is no secret.
  const auto elsewhere = hall.send(5, "V1", cast);
  ASSERT_TRUE(elsewhere.ok) << elsewhere.detail;
  EXPECT_EQ(elsewhere.body["index"], appended->sequence);
}

// 闭会 (§4.3.9): only in progress and with no vote open or held; afterwards no sign-in and no vote opens, a
// closed vote is still decrypted, and a restart replays the closed session.
TEST(HallServer, ClosingTheSessionWaitsForTheOpenVoteAndEndsSignInAndVoting) {
  Hall hall;
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::close_session).error, ProtocolErrc::wrong_state);
  std::vector<std::size_t> seated;
  hall.seat(40, &seated);
  hall.open_vote("V1");
  const auto ballot = hall.fetch(seated[0]);
  ASSERT_TRUE(
      hall.send(seated[0], "V1", hall.make_cast(seated[0], ballot.definition, pick(ballot.definition, {0})))
          .ok);
  const auto refused = hall.call(Hall::chair(), MessageType::close_session);
  EXPECT_EQ(refused.error, ProtocolErrc::wrong_state);
  EXPECT_NE(refused.detail.find("请先截止再闭会"), std::string::npos) << refused.detail;
  EXPECT_EQ(hall.call(Hall::terminal(0), MessageType::close_session).error, ProtocolErrc::forbidden);
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  const auto size_before = hall.log->size();
  const auto closed = hall.call(Hall::chair(), MessageType::close_session);
  ASSERT_TRUE(closed.ok) << closed.detail;
  EXPECT_EQ(closed.body["state"], "closed");
  EXPECT_EQ(hall.log->size(), size_before + 1);
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::close_session).error, ProtocolErrc::wrong_state);
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::status).body["state"], "closed");
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::prepare_vote, {{"vote_id", "V2"}}).ok);
  hall.restart();
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::status).body["state"], "closed");
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::open_vote, {{"vote_id", "V2"}}).error,
            ProtocolErrc::wrong_state);
  std::size_t absent = 0;  // a deputy in office who has not signed in
  while (!hall.deputy(absent).in_office || std::find(seated.begin(), seated.end(), absent) != seated.end())
    ++absent;
  EXPECT_EQ(hall.sign_in(absent).error, ProtocolErrc::wrong_state);
  EXPECT_TRUE(hall.decrypt("V1").ok);  // counting a closed vote goes on after 闭会
}

TEST(HallServer, SessionStartNeedsQuorumAndVoteNeedsApproval) {
  Hall hall;
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::open_sign_in).ok);
  for (std::size_t i = 0; i < 10; ++i) ASSERT_TRUE(hall.sign_in(i).ok);
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::start_session).error, ProtocolErrc::wrong_state);
  for (std::size_t i = 10; i < 40; ++i) ASSERT_TRUE(hall.sign_in(i).ok);
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::start_session).ok);
  ASSERT_TRUE(hall.call(Hall::chair(), MessageType::prepare_vote, {{"vote_id", "V1"}}).ok);
  EXPECT_EQ(hall.call(Hall::chair(), MessageType::open_vote, {{"vote_id", "V1"}}).error,
            ProtocolErrc::wrong_state);
  // An approval signed by someone else's key, or sent under another member's name.
  const auto& member = hall.session.key_committee.members[0];
  const protocol::Peer presidium{member.id, protocol::Role::presidium};
  auto definition = hall.call(presidium, MessageType::ballot_definition, {{"vote_id", "V1"}});
  const auto base_hash = crypto::from_hex_fixed<32>(definition.body["base_hash"].get<std::string>()).value();
  const auto wrong = hall.official_keys.at(hall.session.key_committee.members[1].id)
                         .sign(protocol::approval_message(base_hash));
  EXPECT_EQ(hall.call(presidium, MessageType::approve_vote,
                      {{"vote_id", "V1"}, {"official_id", member.id}, {"signature", crypto::to_hex(wrong)}})
                .error,
            ProtocolErrc::invalid_approval);
  EXPECT_EQ(hall.call(presidium, MessageType::approve_vote,
                      {{"vote_id", "V1"},
                       {"official_id", hall.session.key_committee.members[1].id},
                       {"signature", crypto::to_hex(wrong)}})
                .error,
            ProtocolErrc::forbidden);
}

TEST(HallServer, LongPollIsAnsweredWhenTheVoteOpensOrTheWaitEnds) {
  Hall hall;
  hall.seat(40);
  std::promise<crypto::Bytes> answer;
  auto future = answer.get_future();
  hall.server->handle(Hall::terminal(0),
                      protocol::encode_request(MessageType::fetch_ballot,
                                               {{"deputy_id", hall.deputy(0).id}, {"wait_ms", 10'000}}),
                      [&](crypto::Bytes b) { answer.set_value(std::move(b)); });
  hall.open_vote("V1");
  auto response = protocol::decode_response(future.get()).value();
  EXPECT_TRUE(response.ok);
  EXPECT_TRUE(response.body["retry"].get<bool>());
  // With nothing new, the wait ends by itself (the test server allows 200 ms at most).
  ASSERT_TRUE(
      hall.send(0, "V1", hall.make_cast(0, hall.fetch(0).definition, pick(hall.fetch(0).definition, {0}))).ok);
  auto waited = hall.call(Hall::terminal(0), MessageType::fetch_ballot,
                          {{"deputy_id", hall.deputy(0).id}, {"wait_ms", 10'000}});
  EXPECT_TRUE(waited.ok);
  EXPECT_TRUE(waited.body["ballot"].is_null());
}

}  // namespace
}  // namespace hallvote::server

namespace hallvote::server {
namespace {

// Issue 6 §1: the tally on close, trustees' partial decryptions verified (a bad one named and refused), the
// counts combined from k valid shares and read by the rules engine.
TEST(HallServer, ClosedVoteIsTalliedDecryptedByKTrusteesAndRead) {
  Hall hall;
  hall.seat(40);
  hall.open_vote("V1");  // 4选3
  std::vector<std::uint32_t> expected(4, 0);
  for (std::size_t i = 0; i < 40; ++i) {
    const auto ballot = hall.fetch(i);
    // Projects 0 and 1 by everyone; 2 by the first 30; 3 by the rest.
    const std::size_t third = i < 30 ? 2 : 3;
    ASSERT_TRUE(
        hall.send(i, "V1", hall.make_cast(i, ballot.definition, pick(ballot.definition, {0, 1, third}))).ok);
    ++expected[0];
    ++expected[1];
    ++expected[third];
  }
  auto closed = hall.call(Hall::chair(), MessageType::close_vote, {{"vote_id", "V1"}});
  ASSERT_TRUE(closed.ok) << closed.detail;
  const protocol::Peer chair = Hall::chair();
  auto tally = hall.call(chair, MessageType::tally, {{"vote_id", "V1"}});
  ASSERT_TRUE(tally.ok);
  std::vector<crypto::Ciphertext> ciphertexts;
  for (const auto& hex : tally.body["ciphertexts"]) {
    ciphertexts.push_back(crypto::Ciphertext::decode(crypto::from_hex(hex.get<std::string>()).value()).value());
  }
  const auto base_hash = crypto::from_hex(tally.body["base_hash"].get<std::string>()).value();
  const auto& members = hall.session.key_committee.members;
  auto submit = [&](std::size_t m, const crypto::PartialDecryption& share) {
    return hall.call(
        {members[m].id, protocol::Role::presidium}, MessageType::submit_share,
        {{"vote_id", "V1"}, {"official_id", members[m].id}, {"share", crypto::to_hex(share.encode())}});
  };
  // A forged share is refused, naming its trustee.
  auto forged = crypto::decrypt_partially(hall.trustee_shares[0], base_hash, ciphertexts, hall.random);
  forged.factors[1] += crypto::Point::generator();
  auto refused = submit(0, forged);
  EXPECT_EQ(refused.error, ProtocolErrc::invalid_share);
  EXPECT_NE(refused.detail.find(members[0].id), std::string::npos);
  // A share submitted under another trustee's name is refused.
  EXPECT_EQ(hall.call({members[1].id, protocol::Role::presidium}, MessageType::submit_share,
                      {{"vote_id", "V1"}, {"official_id", members[2].id}, {"share", "00"}})
                .error,
            ProtocolErrc::forbidden);
  const std::uint32_t k = hall.session.key_committee.quorum;
  protocol::Response last;
  for (std::uint32_t m = 1; m <= k; ++m) {
    last = submit(m, crypto::decrypt_partially(hall.trustee_shares[m], base_hash, ciphertexts, hall.random));
    ASSERT_TRUE(last.ok) << last.detail;
    EXPECT_EQ(last.body["decrypted"].get<bool>(), m == k);
  }
  const auto totals = last.body["result"]["totals"][0].get<std::vector<std::uint32_t>>();
  EXPECT_EQ(totals, expected);
  EXPECT_EQ(last.body["result"]["returned"], 40);
  // The result survives a restart (rebuilt from the log).
  hall.restart();
  auto result = hall.call(chair, MessageType::result, {{"vote_id", "V1"}});
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.body["result"]["totals"][0].get<std::vector<std::uint32_t>>(), expected);
  EXPECT_FALSE(result.body["result"]["items"].empty());
}

}  // namespace
}  // namespace hallvote::server

namespace hallvote::server {
namespace {

TEST(HallServer, KeyCommitteeCosignsTheCheckpointAndTheExportVerifies) {
  Hall hall("jianchi-township.toml", /*cosigners=*/true);
  hall.seat(40);
  const auto& members = hall.session.key_committee.members;
  auto checkpoint = hall.call({members[0].id, protocol::Role::presidium}, MessageType::checkpoint);
  ASSERT_TRUE(checkpoint.ok) << checkpoint.detail;
  auto note = audit::parse_note(checkpoint.body["note"].get<std::string>()).value();
  const auto size = audit::Checkpoint::parse(note.text).value().size;
  auto cosign = [&](std::size_t m, const std::string& name, const crypto::SigningKey& key) {
    const auto signature = audit::cosign_note(note.text, name, key, 1'700'000'000);
    return hall.call({members[m].id, protocol::Role::presidium}, MessageType::cosign,
                     {{"size", size},
                      {"name", signature.name},
                      {"key_id", signature.key_id},
                      {"signature", crypto::to_hex(signature.signature)}});
  };
  // Under another member's name, or with another key: refused.
  EXPECT_EQ(cosign(0, hall.cosigner_name(members[1].id), hall.official_keys.at(members[1].id)).error,
            ProtocolErrc::forbidden);
  EXPECT_EQ(cosign(0, hall.cosigner_name(members[0].id), hall.official_keys.at(members[1].id)).error,
            ProtocolErrc::invalid_approval);
  for (std::size_t m = 0; m < members.size(); ++m) {
    auto done = cosign(m, hall.cosigner_name(members[m].id), hall.official_keys.at(members[m].id));
    ASSERT_TRUE(done.ok) << done.detail;
  }
  const audit::Report report = audit::verify_bundle(hall.log->export_bundle().value());
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.failure->check);
}

}  // namespace
}  // namespace hallvote::server
