#include "hallvote/terminal/seat_model.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/group.h"
#include "hallvote/hardware/errors.h"
#include "hallvote/hardware/simulated_card.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/session/loader.h"

namespace hallvote::terminal {
namespace {

using nlohmann::json;

const session::SessionDefinition& hanyin() {
  static const auto session =
      session::load_session(std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions/hanyin-county.toml").value();
  return session;
}

protocol::SignedBallot ballot_of(session::VoteKind kind) {
  for (const auto& vote : hanyin().votes) {
    if (vote.kind == kind) {
      return {protocol::make_ballot_definition(hanyin(), vote, session::first_round(vote),
                                               crypto::Point::generator().encode()),
              {},
              {}};
    }
  }
  throw std::runtime_error("no such vote");
}

json status_with_open(const protocol::SignedBallot& ballot, std::string_view state = "open") {
  const auto& shape = ballot.definition.shape;
  json open = nullptr;
  if (state == "open") open = {{"vote_id", shape.vote_id}, {"round", shape.round}};
  return {
      {"present", 200},
      {"in_office", 247},
      {"open_vote", open},
      {"votes",
       json::array(
           {{{"vote_id", shape.vote_id}, {"round", shape.round}, {"state", state}, {"state_zh", "投票中"}}})}};
}

SeatIntent intent(std::string_view text) { return parse_seat_intent(text).value(); }

// Runs the model's prepare commands as the seat daemon's protocol thread does, with a real SeatTerminal and a
// simulated card (preparing sends nothing: the transport is never called).
class Preparer {
 public:
  Preparer() {
    reader_.insert(card_);
    EXPECT_TRUE(reader_.verify_pin("123456"));
  }
  [[nodiscard]] PreparedBallot prepare(const BallotScreen& screen) {
    return terminal_.prepare(screen, reader_).value();
  }
  // review → the prepare command → its answer: the review then offers 确认投票 and 核验此票.
  void review(SeatModel& model) {
    auto command = model.apply(intent(R"({"intent":"review"})"));
    ASSERT_TRUE(command && command->has_value());
    ASSERT_EQ((*command)->kind, SeatCommand::Kind::prepare);
    ASSERT_TRUE((*command)->ballot.has_value());
    EXPECT_FALSE(model.view()["review"]["ready"]);
    model.ballot_prepared((*command)->token, prepare(*(*command)->ballot));
    EXPECT_TRUE(model.view()["review"]["ready"]);
  }

 private:
  class NoServer final : public Transport {
   public:
    Result<crypto::Bytes> call(const crypto::Bytes&, std::chrono::milliseconds) override {
      return fail(std::errc::not_connected, "no server in this test");
    }
  };
  NoServer transport_;
  hardware::SimulatedCard card_{"HY0001", crypto::SigningKey::generate(), "123456"};
  hardware::SimulatedCardReader reader_;
  static TerminalConfig config() {
    TerminalConfig config;
    config.session = &hanyin();
    config.terminal_id = "T0001";
    return config;
  }
  SeatTerminal terminal_{config(), transport_};
};

// A deputy signed in at the seat with `ballot` open and shown.
SeatModel at_ballot(const protocol::SignedBallot& ballot) {
  SeatModel model(hanyin());
  model.card_inserted("HY0001");
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(model.apply(intent(R"({"intent":"pin_digit","digit":"1"})")));
  model.signed_in({"HY0001", "蒋小勇", "1排1座"});
  model.status(status_with_open(ballot));
  EXPECT_TRUE(model.wants_ballot());
  model.ballot_arrived(ballot);
  EXPECT_EQ(model.page(), SeatPage::ballot);
  return model;
}

TEST(SeatIntent, ParsesEachIntentAndRefusesTheRest) {
  EXPECT_EQ(intent(R"({"intent":"pin_digit","digit":"7"})").digit, '7');
  const auto toggle = intent(R"({"intent":"toggle","contest":2,"selection":1})");
  EXPECT_EQ(toggle.kind, SeatIntent::Kind::toggle);
  EXPECT_EQ(toggle.contest, 2u);
  EXPECT_EQ(toggle.selection, 1u);
  EXPECT_TRUE(intent(R"({"intent":"large_text","on":true})").on);
  EXPECT_EQ(intent(R"({"intent":"challenge"})").kind, SeatIntent::Kind::challenge);
  EXPECT_EQ(intent(R"({"intent":"challenge_confirm"})").kind, SeatIntent::Kind::challenge_confirm);
  for (const char* bad :
       {"", "[]", "{}", R"({"intent":"pin_digit","digit":"a"})", R"({"intent":"pin_digit","digit":"12"})",
        R"({"intent":"toggle","contest":-1,"selection":0})", R"({"intent":"toggle","contest":0})",
        R"({"intent":"toggle","contest":1e9,"selection":0})", R"({"intent":"large_text","on":"yes"})",
        R"({"intent":"cast_everything"})", R"({"intent":"Challenge"})"}) {
    auto parsed = parse_seat_intent(bad);
    EXPECT_FALSE(parsed) << bad;
    if (!parsed) {
      EXPECT_EQ(parsed.error().code, std::errc::invalid_argument) << bad;
    }
  }
  EXPECT_FALSE(parse_seat_intent(std::string(300, ' ') + R"({"intent":"review"})"));
}

TEST(SeatModel, PinPadCollectsSixDigitsThenSignsIn) {
  SeatModel model(hanyin());
  EXPECT_EQ(model.view()["page"], "insert_card");
  EXPECT_FALSE(model.apply(intent(R"({"intent":"pin_digit","digit":"1"})")));  // no card, no pad
  model.card_inserted("HY0001");
  EXPECT_EQ(model.view()["page"], "pin");
  EXPECT_EQ(model.view()["card"]["name"], hanyin().find_deputy("HY0001")->name);
  for (char d : std::string("12345")) {
    auto none = model.apply(intent(std::string(R"({"intent":"pin_digit","digit":")") + d + "\"}"));
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
  }
  EXPECT_EQ(model.view()["pin"]["entered"], 5);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"pin_delete"})")));
  EXPECT_EQ(model.view()["pin"]["entered"], 4);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"pin_digit","digit":"5"})")));
  auto command = model.apply(intent(R"({"intent":"pin_digit","digit":"6"})"));
  ASSERT_TRUE(command && command->has_value());
  EXPECT_EQ((*command)->kind, SeatCommand::Kind::sign_in);
  EXPECT_EQ(std::string((*command)->pin.reveal().begin(), (*command)->pin.reveal().end()), "123456");
  EXPECT_EQ(model.view()["page"], "signing_in");
  EXPECT_EQ(model.view().dump().find("123456"), std::string::npos);  // the view never carries the digits
}

TEST(SeatModel, WrongPinShowsTriesLeftAndTheThirdLocks) {
  SeatModel model(hanyin());
  model.card_inserted("HY0001");
  model.sign_in_failed(Error{hardware::HardwareErrc::wrong_pin, "还可尝试 2 次 / 2 tries left"});
  EXPECT_EQ(model.view()["page"], "pin");
  EXPECT_EQ(model.view()["notice"], "密码错误，还可尝试 2 次。");
  model.sign_in_failed(Error{hardware::HardwareErrc::card_locked, ""});
  EXPECT_EQ(model.view()["page"], "locked");
  EXPECT_NE(model.view()["text"].get<std::string>().find("联系工作人员"), std::string::npos);
  EXPECT_FALSE(model.apply(intent(R"({"intent":"pin_digit","digit":"1"})")));
}

TEST(SeatModel, ChooseBallotCountsAndRefusesAnOvervote) {
  const auto ballot = ballot_of(session::VoteKind::choose);
  auto model = at_ballot(ballot);
  const auto max = ballot.definition.shape.contests[0].max_selected;
  for (std::size_t i = 0; i < max; ++i) {
    ASSERT_TRUE(
        model.apply(intent(R"({"intent":"toggle","contest":0,"selection":)" + std::to_string(i) + "}")));
  }
  auto view = model.view();
  EXPECT_EQ(view["ballot"]["counter"], "已选 10 项，最多 10 项");
  EXPECT_TRUE(view["ballot"]["full"]);
  const auto& first = ballot.definition.shape.contests[0].selections[0];
  EXPECT_EQ(view["ballot"]["contests"][0]["options"][0]["label"], hanyin().find_project(first.id)->title);
  EXPECT_EQ(view["ballot"]["contests"][0]["options"][0]["code"], first.id);
  auto over = model.apply(intent(R"({"intent":"toggle","contest":0,"selection":11})"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, protocol::ProtocolErrc::invalid_ballot);
  view = model.view();
  EXPECT_EQ(view["notice"], "最多选择 10 项，请先取消一项");
  EXPECT_FALSE(view["ballot"]["contests"][0]["options"][11]["selected"]);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"review"})")));
  view = model.view();
  EXPECT_EQ(view["page"], "review");
  EXPECT_EQ(view["review"]["rows"].size(), 10u);
  EXPECT_EQ(view["review"]["summary"], "您选择了 10 项（最多可选 10 项）。");
}

TEST(SeatModel, PerItemReviewMarksBlanksAndConfirmCastsTheScreen) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  auto model = at_ballot(ballot);
  auto view = model.view();
  EXPECT_EQ(view["ballot"]["contests"][0]["options"][0]["label"], "赞成");
  EXPECT_EQ(view["ballot"]["contests"][0]["options"][0]["tone"], "for");
  EXPECT_EQ(view["ballot"]["contests"][0]["options"][1]["tone"], "against");
  EXPECT_EQ(view["ballot"]["contests"][0]["options"][2]["tone"], "abstain");
  EXPECT_FALSE(view["ballot"]["contests"][0]["title"].get<std::string>().empty());
  EXPECT_FALSE(model.apply(intent(R"({"intent":"confirm"})")));  // not before the review
  Preparer preparer;
  preparer.review(model);
  view = model.view();
  EXPECT_EQ(view["review"]["rows"][0]["choice"], "未选");
  EXPECT_TRUE(view["review"]["rows"][0]["blank"]);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"back"})")));
  ASSERT_TRUE(model.apply(intent(R"({"intent":"toggle","contest":0,"selection":0})")));
  preparer.review(model);
  EXPECT_EQ(model.view()["review"]["rows"][0]["choice"], "赞成");
  const std::string fingerprint = model.view()["review"]["fingerprint"];
  EXPECT_EQ(fingerprint.size(), 19u);
  auto command = model.apply(intent(R"({"intent":"confirm"})"));
  ASSERT_TRUE(command && command->has_value());
  EXPECT_EQ((*command)->kind, SeatCommand::Kind::cast);
  ASSERT_TRUE((*command)->prepared.has_value());
  EXPECT_EQ((*command)->prepared->fingerprint(), fingerprint);  // the ballot whose fingerprint was shown
  EXPECT_EQ((*command)->prepared->choices()[0], (std::vector<std::uint8_t>{1, 0, 0}));
  EXPECT_EQ(model.view()["page"], "sending");
  model.cast_confirmed({"ABCD-EFGH", 42, "", ballot.definition.shape.vote_id, 1, {}});
  view = model.view();
  EXPECT_EQ(view["page"], "receipt");
  EXPECT_EQ(view["receipt"]["code"], "ABCD-EFGH");
  EXPECT_EQ(view["receipt"]["recorded"], "已记录");
  ASSERT_TRUE(model.apply(intent(R"({"intent":"done"})")));
  EXPECT_EQ(model.view()["page"], "waiting");
  EXPECT_FALSE(model.wants_ballot());  // voted in this round
  EXPECT_EQ(model.view()["waiting"]["heading"], "本轮您已投票，请等待下一项表决");
}

TEST(SeatModel, SatisfactionAggregateLimitIsCountedOnScreen) {
  auto ballot = ballot_of(session::VoteKind::satisfaction);
  ballot.definition.shape.aggregate_limit = session::AggregateLimit{std::string(session::kSatisfied), 2};
  auto model = at_ballot(ballot);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"toggle","contest":0,"selection":0})")));
  ASSERT_TRUE(model.apply(intent(R"({"intent":"toggle","contest":1,"selection":0})")));
  EXPECT_FALSE(model.apply(intent(R"({"intent":"toggle","contest":2,"selection":0})")));
  const auto view = model.view();
  EXPECT_NE(view["ballot"]["counter"].get<std::string>().find("“满意” 2 项，最多 2 项"), std::string::npos);
  EXPECT_FALSE(view["ballot"]["contests"][2]["options"][0]["selected"]);
}

TEST(SeatModel, HoldKeepsTheChoicesAndBlocksConfirmUntilResumed) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  auto model = at_ballot(ballot);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"toggle","contest":0,"selection":1})")));
  Preparer preparer;
  preparer.review(model);
  model.status(status_with_open(ballot, "held"));
  EXPECT_EQ(model.view()["page"], "review");
  EXPECT_TRUE(model.view()["review"]["held"]);
  EXPECT_FALSE(model.apply(intent(R"({"intent":"confirm"})")));
  EXPECT_FALSE(model.apply(intent(R"({"intent":"challenge"})")));  // nor 核验此票 while held
  EXPECT_EQ(model.view()["page"], "review");
  model.status(status_with_open(ballot));
  auto command = model.apply(intent(R"({"intent":"confirm"})"));
  ASSERT_TRUE(command && command->has_value());
  EXPECT_EQ((*command)->prepared->choices()[0], (std::vector<std::uint8_t>{0, 1, 0}));
}

TEST(SeatModel, CloseWhileReviewingShowsMissed) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  auto model = at_ballot(ballot);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"review"})")));
  model.status(status_with_open(ballot, "closed"));
  EXPECT_EQ(model.view()["page"], "missed");
  EXPECT_EQ(model.screen(), nullptr);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"done"})")));
  EXPECT_EQ(model.view()["page"], "waiting");
}

TEST(SeatModel, CardRemovedGoesDarkAndTheSameDeputyGetsTheChoicesBack) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  auto model = at_ballot(ballot);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"toggle","contest":0,"selection":2})")));
  model.card_removed();
  EXPECT_EQ(model.view()["page"], "insert_card");
  EXPECT_FALSE(model.view().contains("deputy"));
  model.card_inserted("HY0001");
  model.signed_in({"HY0001", "蒋小勇", "1排1座"});
  model.status(status_with_open(ballot));
  model.ballot_arrived(ballot);
  EXPECT_TRUE(model.view()["ballot"]["contests"][0]["options"][2]["selected"]);

  // Another deputy at the seat starts from a blank ballot.
  model.card_removed();
  model.card_inserted("HY0002");
  model.signed_in({"HY0002", "陈学鹏", "1排2座"});
  model.status(status_with_open(ballot));
  model.ballot_arrived(ballot);
  EXPECT_FALSE(model.view()["ballot"]["contests"][0]["options"][2]["selected"]);
}

TEST(SeatModel, LostConnectionSaysTheChoicesAreKept) {
  const auto ballot = ballot_of(session::VoteKind::choose);
  auto model = at_ballot(ballot);
  model.connection_lost();
  EXPECT_FALSE(model.view()["connected"]);
  EXPECT_EQ(model.view()["connection_text"], "正在重新连接，您的选择已保存，请勿离开");
  model.connection_restored();
  EXPECT_TRUE(model.view()["connected"]);
  EXPECT_FALSE(model.view().contains("connection_text"));
}

TEST(SeatModel, RefusedCastsSayWhatToDo) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  Preparer preparer;
  auto model = at_ballot(ballot);
  preparer.review(model);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"confirm"})")));
  model.cast_failed(Error{protocol::ProtocolErrc::wrong_vote, "vote closed"});
  EXPECT_EQ(model.view()["page"], "missed");

  auto other = at_ballot(ballot);
  preparer.review(other);
  ASSERT_TRUE(other.apply(intent(R"({"intent":"confirm"})")));
  other.cast_failed(Error{protocol::ProtocolErrc::already_cast, ""});
  EXPECT_EQ(other.view()["page"], "waiting");
  EXPECT_EQ(other.view()["notice"], "本轮表决您已投出选票，不能再投。");

  // Any other refusal: back to the ballot, choices kept; the next review prepares a new ballot.
  auto third = at_ballot(ballot);
  ASSERT_TRUE(third.apply(intent(R"({"intent":"toggle","contest":0,"selection":2})")));
  preparer.review(third);
  ASSERT_TRUE(third.apply(intent(R"({"intent":"confirm"})")));
  third.cast_failed(Error{protocol::ProtocolErrc::not_signed_in, ""});
  EXPECT_EQ(third.view()["page"], "ballot");
  EXPECT_EQ(third.view()["notice"], "本席位的签到已失效，请取出代表证后重新插入签到。");
  EXPECT_TRUE(third.view()["ballot"]["contests"][0]["options"][2]["selected"]);
}

TEST(SeatModel, IntentsOffPageChangeNothing) {
  const auto ballot = ballot_of(session::VoteKind::choose);
  auto model = at_ballot(ballot);
  const auto before = model.view();
  for (const char* text : {R"({"intent":"confirm"})", R"({"intent":"back"})", R"({"intent":"done"})",
                           R"({"intent":"pin_digit","digit":"1"})", R"({"intent":"challenge"})",
                           R"({"intent":"challenge_confirm"})"}) {
    auto refused = model.apply(intent(text));
    ASSERT_FALSE(refused) << text;
    EXPECT_EQ(refused.error().code, std::errc::operation_not_permitted);
  }
  EXPECT_EQ(model.view(), before);
}

// --- 核验此票 (cast-or-challenge) ---

// The review commits to the encryption: its fingerprint is shown before the deputy chooses; until it is there,
// neither 确认投票 nor 核验此票 is taken; going back drops it, and its late answer is ignored.
TEST(SeatModel, ReviewShowsTheFingerprintBeforeCastOrChallenge) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  Preparer preparer;
  auto model = at_ballot(ballot);
  auto command = model.apply(intent(R"({"intent":"review"})"));
  ASSERT_TRUE(command && command->has_value());
  auto view = model.view();
  EXPECT_EQ(view["page"], "review");
  EXPECT_FALSE(view["review"]["ready"]);
  EXPECT_EQ(view["review"]["fingerprint"], "");
  EXPECT_EQ(view["review"]["fingerprint_text"], "正在加密选票，请稍候…");
  for (const char* text : {R"({"intent":"confirm"})", R"({"intent":"challenge"})"}) {
    auto early = model.apply(intent(text));
    ASSERT_FALSE(early) << text;
    EXPECT_EQ(model.view()["notice"], "正在加密选票，请稍候。");
    EXPECT_EQ(model.view()["page"], "review");
  }
  // Back before the answer: the answer, when it comes, is dropped.
  const std::uint64_t stale = (*command)->token;
  PreparedBallot late = preparer.prepare(*(*command)->ballot);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"back"})")));
  preparer.review(model);
  const std::string shown = model.view()["review"]["fingerprint"];
  model.ballot_prepared(stale, std::move(late));
  EXPECT_EQ(model.view()["review"]["fingerprint"], shown);
  EXPECT_EQ(model.view()["review"]["challenge_label"], "核验此票");
  // A failed prepare (the card refused to sign): back to the ballot with the reason.
  ASSERT_TRUE(model.apply(intent(R"({"intent":"back"})")));
  auto again = model.apply(intent(R"({"intent":"review"})"));
  ASSERT_TRUE(again && again->has_value());
  model.prepare_failed((*again)->token, Error{hardware::HardwareErrc::no_card, ""});
  EXPECT_EQ(model.view()["page"], "ballot");
  EXPECT_EQ(model.view()["notice"], "请插入代表证后再投票。");
}

// review → 核验此票 → the warning (返回 keeps the same ballot) → 确认核验 sends that very ballot once →
// the opened choices → 重新投票: the ballot again with the same choices, to be encrypted afresh.
TEST(SeatModel, ChallengeWarnsThenShowsTheOpenedChoicesAndTheDeputyVotesAgain) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  Preparer preparer;
  auto model = at_ballot(ballot);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"toggle","contest":0,"selection":1})")));
  preparer.review(model);
  const std::string fingerprint = model.view()["review"]["fingerprint"];
  auto warned = model.apply(intent(R"({"intent":"challenge"})"));
  ASSERT_TRUE(warned);
  EXPECT_FALSE(warned->has_value());  // nothing is sent before the deputy confirms
  auto view = model.view();
  EXPECT_EQ(view["page"], "challenge_warning");
  EXPECT_EQ(view["challenge"]["fingerprint"], fingerprint);
  EXPECT_NE(view["challenge"]["points"][0].get<std::string>().find("不计入表决"), std::string::npos);
  EXPECT_NE(view["challenge"]["points"][1].get<std::string>().find("代表编号（HY0001）"), std::string::npos);
  EXPECT_EQ(view["challenge"]["confirm_label"], "确认核验");
  EXPECT_FALSE(model.apply(intent(R"({"intent":"confirm"})")));  // not offered on the warning
  ASSERT_TRUE(model.apply(intent(R"({"intent":"back"})")));
  EXPECT_EQ(model.view()["page"], "review");
  EXPECT_EQ(model.view()["review"]["fingerprint"], fingerprint);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"challenge"})")));
  auto command = model.apply(intent(R"({"intent":"challenge_confirm"})"));
  ASSERT_TRUE(command && command->has_value());
  EXPECT_EQ((*command)->kind, SeatCommand::Kind::challenge);
  ASSERT_TRUE((*command)->prepared.has_value());
  EXPECT_EQ((*command)->prepared->fingerprint(), fingerprint);
  EXPECT_EQ(model.view()["page"], "challenging");
  // A second press sends nothing more.
  auto twice = model.apply(intent(R"({"intent":"challenge_confirm"})"));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, std::errc::operation_not_permitted);
  // The vote's status does not interrupt the challenge under way.
  model.status(status_with_open(ballot, "closed"));
  EXPECT_EQ(model.view()["page"], "challenging");
  model.status(status_with_open(ballot));
  model.challenge_verified(
      {fingerprint, 77, "", ballot.definition.shape.vote_id, 1, (*command)->prepared->choices()});
  view = model.view();
  EXPECT_EQ(view["page"], "challenge_result");
  EXPECT_EQ(view["challenge"]["fingerprint"], fingerprint);
  EXPECT_EQ(view["challenge"]["rows"][0]["choice"], "反对");
  EXPECT_EQ(view["challenge"]["rows"].size(), ballot.definition.shape.contests.size());
  EXPECT_NE(view["challenge"]["text"].get<std::string>().find("审计日志第 77 条"), std::string::npos);
  EXPECT_EQ(view["challenge"]["done_label"], "重新投票");
  ASSERT_TRUE(model.apply(intent(R"({"intent":"done"})")));
  view = model.view();
  EXPECT_EQ(view["page"], "ballot");
  EXPECT_TRUE(view["ballot"]["contests"][0]["options"][1]["selected"]);  // the same choices, pre-filled
  EXPECT_FALSE(model.wants_ballot());
  preparer.review(model);
  EXPECT_NE(model.view()["review"]["fingerprint"], fingerprint);  // a new encryption
  auto cast = model.apply(intent(R"({"intent":"confirm"})"));
  ASSERT_TRUE(cast && cast->has_value());
  EXPECT_EQ((*cast)->kind, SeatCommand::Kind::cast);
}

TEST(SeatModel, ChallengeIsRefusedWhileHeldAndAfterTheVoteClosed) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  Preparer preparer;
  auto model = at_ballot(ballot);
  preparer.review(model);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"challenge"})")));
  model.status(status_with_open(ballot, "held"));
  EXPECT_EQ(model.view()["page"], "challenge_warning");
  auto held = model.apply(intent(R"({"intent":"challenge_confirm"})"));
  ASSERT_FALSE(held);
  EXPECT_EQ(model.view()["notice"], "表决已暂停，暂不能核验。您的选择已保存，请稍候。");
  EXPECT_EQ(model.view()["page"], "challenge_warning");
  // Closed while the deputy reads the warning: 未按, the prepared ballot dropped unsent.
  model.status(status_with_open(ballot, "closed"));
  EXPECT_EQ(model.view()["page"], "missed");
  EXPECT_FALSE(model.apply(intent(R"({"intent":"challenge_confirm"})")));
  EXPECT_FALSE(model.apply(intent(R"({"intent":"challenge"})")));
}

TEST(SeatModel, RefusedChallengesSayWhatToDo) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  Preparer preparer;
  const auto challenged = [&](SeatModel& model) {
    preparer.review(model);
    ASSERT_TRUE(model.apply(intent(R"({"intent":"challenge"})")));
    ASSERT_TRUE(model.apply(intent(R"({"intent":"challenge_confirm"})")));
  };
  {  // the seat's check of the logged challenge failed, or the server found the nonces false: an alarm
    for (auto code : {protocol::ProtocolErrc::wrong_credential, protocol::ProtocolErrc::challenge_mismatch}) {
      auto model = at_ballot(ballot);
      challenged(model);
      model.challenge_failed(Error{code, ""});
      EXPECT_EQ(model.view()["page"], "failed");
      EXPECT_NE(model.view()["notice"].get<std::string>().find("请不要在本席位投票"), std::string::npos);
      EXPECT_EQ(model.screen(), nullptr);
    }
  }
  {  // closed before the challenge reached the server
    auto model = at_ballot(ballot);
    challenged(model);
    model.challenge_failed(Error{protocol::ProtocolErrc::wrong_state, ""});
    EXPECT_EQ(model.view()["page"], "missed");
  }
  {  // already cast (at another moment of this seat's life)
    auto model = at_ballot(ballot);
    challenged(model);
    model.challenge_failed(Error{protocol::ProtocolErrc::already_cast, ""});
    EXPECT_EQ(model.view()["page"], "waiting");
    EXPECT_EQ(model.view()["notice"], "本轮表决您已投出选票，不能再核验。");
  }
  {  // anything else: the ballot is spent; back to the choices to review (and encrypt) again
    auto model = at_ballot(ballot);
    challenged(model);
    model.challenge_failed(Error{protocol::ProtocolErrc::ballot_challenged, ""});
    EXPECT_EQ(model.view()["page"], "ballot");
    EXPECT_NE(model.view()["notice"].get<std::string>().find("这张选票已作废"), std::string::npos);
  }
  {  // the card taken out meanwhile: the seat stays dark whatever the answer
    auto model = at_ballot(ballot);
    challenged(model);
    model.card_removed();
    model.challenge_verified({"X", 1, "", ballot.definition.shape.vote_id, 1, {}});
    EXPECT_EQ(model.view()["page"], "insert_card");
  }
}

TEST(SeatModel, CardRemovedDuringTheWarningDropsThePreparedBallotAndKeepsTheChoices) {
  const auto ballot = ballot_of(session::VoteKind::per_item);
  Preparer preparer;
  auto model = at_ballot(ballot);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"toggle","contest":0,"selection":2})")));
  preparer.review(model);
  ASSERT_TRUE(model.apply(intent(R"({"intent":"challenge"})")));
  model.card_removed();
  EXPECT_EQ(model.view()["page"], "insert_card");
  model.card_inserted("HY0001");
  model.signed_in({"HY0001", "蒋小勇", "1排1座"});
  model.status(status_with_open(ballot));
  model.ballot_arrived(ballot);
  EXPECT_EQ(model.view()["page"], "ballot");
  EXPECT_TRUE(model.view()["ballot"]["contests"][0]["options"][2]["selected"]);
  auto review = model.apply(intent(R"({"intent":"review"})"));
  ASSERT_TRUE(review && review->has_value());
  EXPECT_EQ((*review)->kind, SeatCommand::Kind::prepare);  // a new encryption, never the dropped one
}

}  // namespace
}  // namespace hallvote::terminal
