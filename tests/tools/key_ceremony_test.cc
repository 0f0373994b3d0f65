// The key ceremony held by the members themselves (protocol/key_ceremony.h, presidium/ceremony_member.h,
// docs/crypto.md §6.5): each member a thread with only its own keys, talking through a ceremony folder. An
// honest ceremony; a dealer sending one bad share (complaint → disclosed share checks → continue; or no answer
// → excluded); a member who never answers (named; a new call without them); a forged message; a member who
// deals twice; a message of another ceremony replayed; a transcript altered afterwards. Then decryption with
// any k of the members holding shares, and refusal with k − 1. The process-level run is in
// hall_programs_test.cc.
#include "hallvote/protocol/key_ceremony.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "hallvote/crypto/elgamal.h"
#include "hallvote/hall/ceremony_board.h"
#include "hallvote/presidium/ceremony_member.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::presidium {
namespace {

namespace fs = std::filesystem;
using protocol::CeremonyMessage;
using protocol::CeremonyStep;

const std::vector<std::string> kCommittee = {"P01", "P02", "P03", "C01", "S01"};

class KeyCeremony : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hallvote-ceremony-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    for (const auto& id : kCommittee) signing_.emplace(id, crypto::SigningKey::generate());
  }
  void TearDown() override { fs::remove_all(dir_); }

  setup::CeremonyBoard call(const std::string& folder, const std::string& id,
                            const std::vector<std::string>& absent = {}) {
    setup::CeremonyBoard board(dir_ / folder);
    protocol::CeremonyCall c{id, 3, kCommittee, absent, {}};
    EXPECT_TRUE(board.write_call(c));
    return board;
  }

  // Runs the named members' honest parts, each in its own thread, and returns each one's result.
  std::map<std::string, Result<MemberCeremonyResult>> run(
      const setup::CeremonyBoard& board, const std::vector<std::string>& members,
      std::chrono::milliseconds deadline = std::chrono::seconds(20),
      std::vector<std::string>* lines = nullptr) {
    std::map<std::string, Result<MemberCeremonyResult>> results;
    std::mutex mutex;
    std::vector<std::thread> threads;
    for (const auto& id : members) {
      threads.emplace_back([&, id] {
        MemberCeremony ceremony;
        ceremony.board = &board;
        ceremony.call = board.read_call().value();
        ceremony.member = id;
        ceremony.signing = &signing_.at(id);
        ceremony.deadline = deadline;
        ceremony.poll = std::chrono::milliseconds(20);
        ceremony.progress = [&](const std::string& line) {
          std::lock_guard lock(mutex);
          if (lines != nullptr) lines->push_back(id + ": " + line);
        };
        auto result = run_member_ceremony(ceremony);
        std::lock_guard lock(mutex);
        results.emplace(id, std::move(result));
      });
    }
    for (auto& thread : threads) thread.join();
    return results;
  }

  fs::path dir_;
  std::map<std::string, crypto::SigningKey> signing_;
};

// Encrypts 7 and 1 under the ceremony's key and decrypts with the shares of `trustees`.
Result<std::vector<std::uint64_t>> decrypt_with(const crypto::ThresholdKey& key,
                                                const std::vector<const crypto::KeyShare*>& trustees) {
  const auto election = crypto::ElectionKey::from_point(key.election_key).value();
  const std::vector<crypto::Ciphertext> ciphertexts = {
      election.encrypt(7, crypto::Scalar::random(crypto::system_random())),
      election.encrypt(1, crypto::Scalar::random(crypto::system_random()))};
  const crypto::Bytes base_hash(32, 9);
  std::vector<crypto::PartialDecryption> partials;
  for (const auto* share : trustees)
    partials.push_back(crypto::decrypt_partially(*share, base_hash, ciphertexts));
  return crypto::combine_decryption(key, base_hash, ciphertexts, partials, 10);
}

// A member driven by hand, to misbehave where the test says.
struct HandMember {
  std::string id;
  const crypto::SigningKey* signing = nullptr;
  crypto::BoxKeyPair box = crypto::BoxKeyPair::generate();
  std::optional<crypto::Dealer> dealer{};
  crypto::Sha256Digest roster{};

  CeremonyMessage message(CeremonyStep step, const protocol::CeremonyCall& call) const {
    CeremonyMessage m;
    m.step = step;
    m.ceremony_id = call.ceremony_id;
    m.member = id;
    m.roster_hash = roster;
    return m;
  }
  void post(const setup::CeremonyBoard& board, CeremonyMessage m) const {
    m.sign(*signing);
    ASSERT_TRUE(board.post(m));
  }
};

protocol::CeremonyTranscript wait_for(const setup::CeremonyBoard& board, CeremonyStep step) {
  for (int i = 0; i < 1000; ++i) {
    auto t = setup::load_board(board, false);
    if (t && t->missing(step).empty()) return std::move(*t);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "timed out waiting for " << protocol::to_string(step);
  return *setup::load_board(board, false);
}

// Runs member `bad` by hand: honest except that the share to `victim` is not its polynomial's, and it answers
// the complaint (with the true share) only when `answers`.
void run_bad_dealer(const setup::CeremonyBoard& board, HandMember& bad, const std::string& victim,
                    bool answers) {
  const auto call = board.read_call().value();
  auto join = bad.message(CeremonyStep::join, call);
  join.sign_key = bad.signing->verify_key().bytes();
  join.box_key = bad.box.public_key();
  bad.post(board, join);
  bad.roster = *wait_for(board, CeremonyStep::join).roster_hash();
  bad.post(board, bad.message(CeremonyStep::roll_call, call));
  wait_for(board, CeremonyStep::roll_call);
  bad.dealer.emplace(crypto::Dealer::create(call.params(), call.index_of(bad.id)).value());
  auto commit = bad.message(CeremonyStep::commit, call);
  commit.digest = bad.dealer->commitment().digest;
  bad.post(board, commit);
  auto t = wait_for(board, CeremonyStep::commit);
  auto deal = bad.message(CeremonyStep::deal, call);
  deal.reveal = bad.dealer->reveal().encode();
  for (const auto& id : call.participants()) {
    const auto& box = t.find(CeremonyStep::join, id)->box_key;
    if (id == victim) {
      const auto wrong = crypto::Scalar::from_u64(12345).encode();
      deal.shares[id] = crypto::seal_to(box, wrong);
    } else {
      deal.shares[id] = bad.dealer->sealed_share_for(call.index_of(id), box);
    }
  }
  bad.post(board, deal);
  wait_for(board, CeremonyStep::deal);
  bad.post(board, bad.message(CeremonyStep::verify, call));
  t = wait_for(board, CeremonyStep::verify);
  EXPECT_EQ(t.complaints_against(bad.id), std::vector<std::string>{victim});
  if (answers) {
    auto resolve = bad.message(CeremonyStep::resolve, call);
    const auto share = bad.dealer->share_for(call.index_of(victim)).reveal().encode();
    resolve.shares[victim] = crypto::Bytes(share.begin(), share.end());
    bad.post(board, resolve);
  }
  // Once the honest members have decided (their first final_key), sign the same fingerprint: the dealer stays a
  // trustee even when excluded as a dealer.
  for (int i = 0; i < 1000; ++i) {
    t = *setup::load_board(board, false);
    if (t.missing(CeremonyStep::final_key).size() < call.participants().size()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto final_key = bad.message(CeremonyStep::final_key, call);
  final_key.digest = t.qualify().value().fingerprint;
  bad.post(board, final_key);
}

TEST_F(KeyCeremony, HonestMembersMakeOneKeyThatAnyKOfThemDecryptWith) {
  const auto board = call("board", "county-2027");
  auto results = run(board, kCommittee);
  ASSERT_EQ(results.size(), 5u);
  for (const auto& [id, result] : results) ASSERT_TRUE(result) << id << ": " << result.error().message();
  const auto& first = results.at("P01")->record;
  for (const auto& [id, result] : results) {
    EXPECT_EQ(result->record.qualification.fingerprint, first.qualification.fingerprint) << id;
    EXPECT_EQ(result->record.signing_keys.at(id), signing_.at(id).verify_key().hex());
  }
  EXPECT_EQ(first.qualification.qualified, kCommittee);
  EXPECT_TRUE(first.qualification.excluded.empty());
  // The logged form verifies on its own, as the auditor reads it.
  auto again = protocol::verify_ceremony(first.to_json());
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->messages.size(), 5u * 6u);  // no resolves in an honest ceremony
  // Every member's share is the one its trustee key commits to; any 3 decrypt, 2 do not.
  const auto& key = first.qualification.key;
  auto three =
      decrypt_with(key, {&results.at("P02")->share, &results.at("C01")->share, &results.at("S01")->share});
  ASSERT_TRUE(three) << three.error().message();
  EXPECT_EQ(*three, (std::vector<std::uint64_t>{7, 1}));
  auto two = decrypt_with(key, {&results.at("P01")->share, &results.at("P03")->share});
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, crypto::CryptoErrc::not_enough_shares);
}

TEST_F(KeyCeremony, ABadShareIsComplainedAboutAndTheDisclosedShareLetsTheCeremonyContinue) {
  const auto board = call("board", "county-2027");
  HandMember bad{"P03", &signing_.at("P03")};
  std::thread dealer([&] { run_bad_dealer(board, bad, "C01", true); });
  auto results = run(board, {"P01", "P02", "C01", "S01"});
  dealer.join();
  for (const auto& [id, result] : results) ASSERT_TRUE(result) << id << ": " << result.error().message();
  const auto& record = results.at("P01")->record;
  EXPECT_EQ(record.qualification.qualified, kCommittee);  // the disclosed share checked: P03 stays
  auto transcript = record.to_json();
  EXPECT_EQ(record.messages.back().step, CeremonyStep::final_key);
  bool complained = false;
  for (const auto& m : record.messages) {
    if (m.step == CeremonyStep::verify && m.member == "C01")
      complained = m.complaints == std::vector<std::string>{"P03"};
  }
  EXPECT_TRUE(complained);
  // C01's share uses the disclosed one: C01 decrypts together with two others.
  auto decrypted = decrypt_with(record.qualification.key, {&results.at("C01")->share, &results.at("P01")->share,
                                                           &results.at("S01")->share});
  ASSERT_TRUE(decrypted) << decrypted.error().message();
  EXPECT_EQ(*decrypted, (std::vector<std::uint64_t>{7, 1}));
}

TEST_F(KeyCeremony, ADealerWhoDoesNotAnswerAComplaintIsExcludedAndTheRestMakeTheKey) {
  const auto board = call("board", "county-2027");
  HandMember bad{"P03", &signing_.at("P03")};
  std::thread dealer([&] { run_bad_dealer(board, bad, "C01", false); });
  auto results = run(board, {"P01", "P02", "C01", "S01"}, std::chrono::milliseconds(1500));
  dealer.join();
  for (const auto& [id, result] : results) ASSERT_TRUE(result) << id << ": " << result.error().message();
  const auto& q = results.at("S01")->record.qualification;
  EXPECT_EQ(q.qualified, (std::vector<std::string>{"P01", "P02", "C01", "S01"}));
  ASSERT_EQ(q.excluded.size(), 1u);
  EXPECT_EQ(q.excluded[0].first, "P03");
  auto decrypted =
      decrypt_with(q.key, {&results.at("C01")->share, &results.at("P02")->share, &results.at("S01")->share});
  ASSERT_TRUE(decrypted) << decrypted.error().message();
  EXPECT_EQ(*decrypted, (std::vector<std::uint64_t>{7, 1}));
}

TEST_F(KeyCeremony, AMemberWhoNeverAnswersIsNamedAndANewCallWithoutThemSucceeds) {
  const auto board = call("board", "county-2027");
  auto results = run(board, {"P01", "P02", "P03", "C01"}, std::chrono::milliseconds(600));
  for (const auto& [id, result] : results) {
    ASSERT_FALSE(result) << id;
    EXPECT_EQ(result.error().code, std::errc::timed_out) << id;
    EXPECT_NE(result.error().message().find("S01"), std::string::npos) << result.error().message();
  }
  // Attempt 2 leaves S01 out: S01's trustee number stays 5 but nobody holds that share.
  const auto second = call("board-2", "county-2027#2", {"S01"});
  auto again = run(second, {"P01", "P02", "P03", "C01"});
  for (const auto& [id, result] : again) ASSERT_TRUE(result) << id << ": " << result.error().message();
  const auto& key = again.at("P01")->record.qualification.key;
  EXPECT_EQ(key.params.n, 5u);
  EXPECT_EQ(again.at("C01")->share.index, 4u);
  auto decrypted =
      decrypt_with(key, {&again.at("P01")->share, &again.at("P03")->share, &again.at("C01")->share});
  ASSERT_TRUE(decrypted) << decrypted.error().message();
  EXPECT_EQ(*decrypted, (std::vector<std::uint64_t>{7, 1}));
}

TEST_F(KeyCeremony, AForgedMessageIsRefusedAndTheHonestCeremonyGoesOn) {
  const auto board = call("board", "county-2027");
  // A stranger who is not on the committee joins before the members do.
  const crypto::SigningKey intruder = crypto::SigningKey::generate();
  CeremonyMessage forged;
  forged.step = CeremonyStep::join;
  forged.ceremony_id = "county-2027";
  forged.member = "X99";
  forged.sign_key = intruder.verify_key().bytes();
  forged.sign(intruder);
  ASSERT_TRUE(board.post(forged));
  std::vector<std::string> lines;
  auto results = run(board, kCommittee, std::chrono::seconds(20), &lines);
  for (const auto& [id, result] : results) ASSERT_TRUE(result) << id << ": " << result.error().message();
  bool reported = false;
  for (const auto& line : lines) reported = reported || line.find("X99") != std::string::npos;
  EXPECT_TRUE(reported);
  // init reads the folder strictly: the foreign file is named and nothing is taken.
  auto strict = setup::load_board(board, true);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code, protocol::CeremonyErrc::not_member);
  EXPECT_NE(strict.error().message().find("1-join-X99.json"), std::string::npos) << strict.error().message();
}

TEST_F(KeyCeremony, ADealerWhoRewritesItsCommitmentAfterSeeingTheOthersStopsTheCeremony) {
  const auto board = call("board", "county-2027");
  std::thread cheat([&] {
    HandMember bad{"P03", &signing_.at("P03")};
    const auto c = board.read_call().value();
    auto join = bad.message(CeremonyStep::join, c);
    join.sign_key = bad.signing->verify_key().bytes();
    join.box_key = bad.box.public_key();
    bad.post(board, join);
    bad.roster = *wait_for(board, CeremonyStep::join).roster_hash();
    bad.post(board, bad.message(CeremonyStep::roll_call, c));
    wait_for(board, CeremonyStep::roll_call);
    const auto first = crypto::Dealer::create(c.params(), c.index_of("P03")).value();
    auto commit = bad.message(CeremonyStep::commit, c);
    commit.digest = first.commitment().digest;
    bad.post(board, commit);
    // Once every honest member has dealt (so each has seen this commitment), swap in another polynomial.
    for (int i = 0; i < 1000; ++i) {
      auto t = setup::load_board(board, false);
      if (t && t->missing(CeremonyStep::deal) == std::vector<std::string>{"P03"}) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto second = crypto::Dealer::create(c.params(), c.index_of("P03")).value();
    fs::remove(board.folder() / "3-commit-P03.json");
    commit.digest = second.commitment().digest;
    bad.post(board, commit);
  });
  auto results = run(board, {"P01", "P02", "C01", "S01"}, std::chrono::milliseconds(1500));
  cheat.join();
  for (const auto& [id, result] : results) {
    ASSERT_FALSE(result) << id;
    EXPECT_EQ(result.error().code, protocol::CeremonyErrc::equivocation)
        << id << ": " << result.error().message();
    EXPECT_NE(result.error().message().find("P03"), std::string::npos) << result.error().message();
  }
}

TEST_F(KeyCeremony, AMessageCopiedUnderAnotherNameIsRefused) {
  const auto board = call("board", "county-2027");
  auto results = run(board, kCommittee);
  for (const auto& [id, result] : results) ASSERT_TRUE(result) << id << ": " << result.error().message();
  fs::copy_file(board.folder() / "1-join-P02.json", board.folder() / "0-join-P02.json");
  auto strict = setup::load_board(board, true);
  ASSERT_FALSE(strict);
  EXPECT_NE(strict.error().message().find("0-join-P02.json"), std::string::npos) << strict.error().message();
}

TEST_F(KeyCeremony, TheTranscriptRefusesEquivocationReplaysAndForgedSignatures) {
  const auto board = call("board", "county-2027");
  auto results = run(board, kCommittee);
  for (const auto& [id, result] : results) ASSERT_TRUE(result) << id << ": " << result.error().message();
  const auto& record = results.at("P01")->record;
  protocol::CeremonyTranscript transcript(record.call);
  for (const auto& m : record.messages) ASSERT_TRUE(transcript.add(m));
  // An identical repeat changes nothing.
  EXPECT_TRUE(transcript.add(record.messages[3]));
  // P02 deals a second, different polynomial.
  const CeremonyMessage* deal = transcript.find(CeremonyStep::deal, "P02");
  ASSERT_NE(deal, nullptr);
  CeremonyMessage second = *deal;
  const auto other = crypto::Dealer::create(record.call.params(), 2).value();
  second.reveal = other.reveal().encode();
  second.sign(signing_.at("P02"));
  auto refused = transcript.add(second);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, protocol::CeremonyErrc::equivocation);
  // The same second deal not signed by P02 is a forgery, not P02's equivocation.
  second.sign(signing_.at("P01"));
  auto forged_second = transcript.add(second);
  ASSERT_FALSE(forged_second);
  EXPECT_EQ(forged_second.error().code, protocol::CeremonyErrc::bad_signature);
  EXPECT_NE(refused.error().message().find("P02"), std::string::npos);
  // A message of this ceremony replayed into attempt 2 (another id, another roster).
  protocol::CeremonyCall attempt2 = record.call;
  attempt2.ceremony_id = "county-2027#2";
  protocol::CeremonyTranscript next(attempt2);
  auto replay = next.add(record.messages.front());
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, protocol::CeremonyErrc::violation);
  // The same member's roll call re-signed by someone else's key.
  CeremonyMessage roll = *transcript.find(CeremonyStep::roll_call, "S01");
  protocol::CeremonyTranscript fresh(record.call);
  for (const auto& m : record.messages) {
    if (m.step == CeremonyStep::join) {
      ASSERT_TRUE(fresh.add(m));
    }
  }
  roll.sign(signing_.at("P01"));
  auto forged = fresh.add(roll);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, protocol::CeremonyErrc::bad_signature);
}

TEST_F(KeyCeremony, ATranscriptAlteredAfterwardsFailsVerification) {
  const auto board = call("board", "county-2027");
  auto results = run(board, kCommittee);
  for (const auto& [id, result] : results) ASSERT_TRUE(result) << id << ": " << result.error().message();
  const auto json = results.at("P01")->record.to_json();
  ASSERT_TRUE(protocol::verify_ceremony(json));
  // A sealed share changed: its dealer's signature no longer holds.
  auto changed = json;
  for (auto& m : changed["messages"]) {
    if (m["step"] == "deal" && m["member"] == "C01") {
      std::string sealed = m["shares"]["P01"];
      sealed[10] = sealed[10] == '0' ? '1' : '0';
      m["shares"]["P01"] = sealed;
    }
  }
  auto tampered = protocol::verify_ceremony(changed);
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, protocol::CeremonyErrc::bad_signature);
  // A member's final signature dropped.
  auto dropped = json;
  auto& list = dropped["messages"];
  list.erase(list.end() - 1);
  auto incomplete = protocol::verify_ceremony(dropped);
  ASSERT_FALSE(incomplete);
  EXPECT_EQ(incomplete.error().code, protocol::CeremonyErrc::violation);
  // The call rewritten to leave a member out.
  auto recalled = json;
  recalled["call"]["absent"] = {"S01"};
  ASSERT_FALSE(protocol::verify_ceremony(recalled));
}

TEST(CeremonyCall, AcceptsTheSessionsCommitteeAndFilesAndRefusesOthers) {
  session::SessionDefinition session;
  session.info.id = "county-2027";
  for (const auto& id : kCommittee) {
    session.key_committee.members.push_back({id, id, session::OfficialRole::presidium_member, "", ""});
  }
  session.key_committee.quorum = 3;
  const session::SessionFiles files{"county.toml",
                                    {{"county.toml", "[session]\n"}, {"roster.csv", "id,name\n"}}};
  const auto digest = protocol::session_files_digest(files);
  auto call = [&](std::string id, std::uint32_t k, std::vector<std::string> committee,
                  std::vector<std::string> absent = {}) {
    return protocol::CeremonyCall{std::move(id), k, std::move(committee), std::move(absent), digest};
  };
  EXPECT_TRUE(call("county-2027", 3, kCommittee).matches(session, files));
  EXPECT_TRUE(call("county-2027#2", 3, kCommittee, {"S01"}).matches(session, files));
  EXPECT_FALSE(call("county-2027#1", 3, kCommittee).matches(session, files));
  EXPECT_FALSE(call("other-2027", 3, kCommittee).matches(session, files));
  EXPECT_FALSE(call("county-2027", 2, kCommittee).matches(session, files));
  auto reordered = kCommittee;
  std::swap(reordered[0], reordered[1]);
  EXPECT_FALSE(call("county-2027", 3, reordered).matches(session, files));
  // One byte of one session file changed: not the files the members confirmed.
  auto changed = files;
  changed.contents["roster.csv"] = "id,name \n";
  EXPECT_FALSE(call("county-2027", 3, kCommittee).matches(session, changed));
  // Too few would take part; an absent id that is not a member.
  EXPECT_FALSE(
      protocol::CeremonyCall::from_json(call("county-2027#2", 3, kCommittee, {"P01", "P02", "P03"}).to_json()));
  EXPECT_FALSE(protocol::CeremonyCall::from_json(call("county-2027#2", 3, kCommittee, {"X01"}).to_json()));
  EXPECT_TRUE(protocol::CeremonyCall::from_json(call("county-2027#2", 3, kCommittee, {"S01"}).to_json()));
}

}  // namespace
}  // namespace hallvote::presidium
