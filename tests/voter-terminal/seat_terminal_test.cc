#include "hallvote/terminal/seat_terminal.h"

#include <gtest/gtest.h>

#include "../ballot-server/hall_server_fixture.h"
#include "hallvote/hall/files.h"
#include "hallvote/hardware/errors.h"
#include "hallvote/hardware/simulated_card.h"
#include "hallvote/protocol/ballot_challenge.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/terminal/pending_cast.h"

namespace hallvote::terminal {
namespace {

using server::testing::Hall;

// Calls the server core in-process as the network would, as terminal `peer`; can be made to drop calls.
class DirectTransport final : public Transport {
 public:
  DirectTransport(Hall& hall, protocol::Peer peer) : hall_(hall), peer_(std::move(peer)) {}
  Result<crypto::Bytes> call(const crypto::Bytes& request, std::chrono::milliseconds) override {
    ++calls_;
    if (before_call_) before_call_(request);
    if (drops_ > 0) {
      --drops_;
      return fail(protocol::ProtocolErrc::internal, "connection lost (simulated)");
    }
    std::promise<crypto::Bytes> answer;
    auto future = answer.get_future();
    hall_.server->handle(peer_, request, [&](crypto::Bytes b) { answer.set_value(std::move(b)); });
    auto response = future.get();
    if (lost_answers_ > 0) {
      --lost_answers_;
      return fail(protocol::ProtocolErrc::internal, "answer lost (simulated)");
    }
    return response;
  }
  int drops_ = 0;                                          // requests lost before the server sees them
  int lost_answers_ = 0;                                   // answers lost after the server acted
  int calls_ = 0;                                          // requests sent
  std::function<void(const crypto::Bytes&)> before_call_;  // sees each request as it leaves

 private:
  Hall& hall_;
  protocol::Peer peer_;
};

struct Seat {
  hardware::SimulatedCard card;
  hardware::SimulatedCardReader reader;
  DirectTransport transport;
  SeatTerminal terminal;

  Seat(Hall& hall, std::size_t i, PendingCastStore* pending_store = nullptr)
      : card(hall.deputy(i).id, crypto::SigningKey::from_seed(hall.deputy_keys.at(hall.deputy(i).id).seed()),
             "123456"),
        transport(hall, Hall::terminal(i)),
        terminal(TerminalConfig{&hall.session, hall.server_key.verify_key(), hall.log_key(),
                                Hall::terminal(i).id, 3, std::chrono::milliseconds(1), pending_store},
                 transport, hall.random) {
    reader.insert(card);
  }
};

// Opens sign-in, signs `count` deputies in at their seats with their cards, and starts the session. Returns the
// seats (fewer than `count` after a failure, which is reported).
std::vector<std::unique_ptr<Seat>> seat_and_start(Hall& hall, std::size_t count) {
  std::vector<std::unique_ptr<Seat>> seats;
  EXPECT_TRUE(hall.call(Hall::chair(), protocol::MessageType::open_sign_in).ok);
  for (std::size_t i = 0; i < count; ++i) {
    seats.push_back(std::make_unique<Seat>(hall, i));
    auto signed_in = seats.back()->terminal.sign_in(seats.back()->reader, "123456");
    if (!signed_in) {
      ADD_FAILURE() << signed_in.error().message();
      seats.pop_back();
      return seats;
    }
  }
  EXPECT_TRUE(hall.call(Hall::chair(), protocol::MessageType::start_session).ok);
  return seats;
}

TEST(SeatTerminal, SignsInVotesAndChecksItsReceipt) {
  Hall hall;
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::open_sign_in).ok);
  std::vector<std::unique_ptr<Seat>> seats;
  for (std::size_t i = 0; i < 40; ++i) {
    seats.push_back(std::make_unique<Seat>(hall, i));
    auto signed_in = seats.back()->terminal.sign_in(seats.back()->reader, "123456");
    ASSERT_TRUE(signed_in) << signed_in.error().message();
    EXPECT_EQ(signed_in->deputy_id, hall.deputy(i).id);
  }
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::start_session).ok);
  hall.open_vote("V2");  // 逐项表决
  for (std::size_t i = 0; i < seats.size(); ++i) {
    auto ballot = seats[i]->terminal.wait_for_ballot(std::chrono::milliseconds(500));
    ASSERT_TRUE(ballot && *ballot) << (ballot ? "none" : ballot.error().message());
    BallotScreen screen((*ballot)->definition);
    for (std::size_t c = 0; c < screen.definition().shape.contests.size(); ++c)
      ASSERT_TRUE(screen.toggle(c, i % 3));
    if (i == 5) seats[i]->transport.drops_ = 2;  // the connection drops twice: the same ballot is resent
    auto receipt = seats[i]->terminal.cast(screen, seats[i]->reader);
    ASSERT_TRUE(receipt) << receipt.error().message();
    EXPECT_EQ(receipt->confirmation_code.size(), 19u);
  }
  auto progress = hall.call(Hall::chair(), protocol::MessageType::progress, {{"vote_id", "V2"}});
  EXPECT_EQ(progress.body["returned"], 40);
}

TEST(SeatTerminal, WrongPinsLockTheCardAndNothingIsSent) {
  Hall hall;
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::open_sign_in).ok);
  Seat seat(hall, 0);
  EXPECT_EQ(seat.terminal.sign_in(seat.reader, "000000").error().code, hardware::HardwareErrc::wrong_pin);
  EXPECT_EQ(seat.terminal.sign_in(seat.reader, "000001").error().code, hardware::HardwareErrc::wrong_pin);
  EXPECT_EQ(seat.terminal.sign_in(seat.reader, "000002").error().code, hardware::HardwareErrc::card_locked);
  EXPECT_EQ(seat.terminal.sign_in(seat.reader, "123456").error().code, hardware::HardwareErrc::card_locked);
  EXPECT_EQ(hall.server->snapshot().present, 0u);
}

TEST(SeatTerminal, RefusesABallotWithoutTheServersSignature) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V1");
  // A terminal provisioned with another server key refuses the ballot.
  const crypto::SigningKey impostor = crypto::SigningKey::generate(hall.random);
  SeatTerminal misprovisioned(
      TerminalConfig{&hall.session, impostor.verify_key(), hall.log_key(), Hall::terminal(0).id, 1},
      seats[0]->transport, hall.random);
  auto signed_in = misprovisioned.sign_in(seats[0]->reader, "123456");
  ASSERT_TRUE(signed_in);
  EXPECT_EQ(misprovisioned.wait_for_ballot(std::chrono::milliseconds(100)).error().code,
            protocol::ProtocolErrc::wrong_credential);
}

// Review finding: the server records the ballot but every answer is lost; the deputy casts again and gets the
// receipt of the ballot already recorded — not a second ballot, not an already_cast refusal.
TEST(SeatTerminal, ResendsTheSameSignedBallotUntilItHasAReceipt) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V1");
  Seat& seat = *seats[0];
  auto ballot = seat.terminal.wait_for_ballot(std::chrono::milliseconds(200));
  ASSERT_TRUE(ballot && *ballot);
  BallotScreen screen((*ballot)->definition);
  ASSERT_TRUE(screen.toggle(0, 1));
  seat.transport.lost_answers_ = 3;  // every attempt of the first cast() loses its answer
  EXPECT_FALSE(seat.terminal.cast(screen, seat.reader));
  auto receipt = seat.terminal.cast(screen, seat.reader);
  ASSERT_TRUE(receipt) << receipt.error().message();
  EXPECT_EQ(hall.call(Hall::chair(), protocol::MessageType::progress, {{"vote_id", "V1"}}).body["returned"], 1);
}

// Issue 17 item 1: the server logged the ballot but the answer was lost, and the terminal process died. The
// signed ballot was kept in a file before it was sent; the restarted terminal resends it after sign-in, gets
// the receipt of the ballot already logged, and deletes the file only then.
TEST(SeatTerminal, Issue17_PendingBallotSurvivesACrashAndIsResentOnRestart) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V1");
  PendingCastFiles files(hall.dir / "terminal-state", Hall::terminal(0).id, hall.session);
  const auto file = files.path_of(hall.deputy(0).id).value();
  std::string received_by_server;
  {
    Seat seat(hall, 0, &files);
    ASSERT_TRUE(seat.terminal.sign_in(seat.reader, "123456"));
    auto ballot = seat.terminal.wait_for_ballot(std::chrono::milliseconds(200));
    ASSERT_TRUE(ballot && *ballot);
    BallotScreen screen((*ballot)->definition);
    ASSERT_TRUE(screen.toggle(0, 1));
    bool kept_before_sending = false;
    seat.transport.before_call_ = [&](const crypto::Bytes&) {
      kept_before_sending = std::filesystem::exists(file);
      if (kept_before_sending) received_by_server = setup::read_text(file).value();
    };
    seat.transport.lost_answers_ = 3;  // every attempt loses its answer: the process "dies" without a receipt
    EXPECT_FALSE(seat.terminal.cast(screen, seat.reader));
    EXPECT_TRUE(kept_before_sending);
    EXPECT_TRUE(seat.terminal.has_pending());
  }
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(hall.call(Hall::chair(), protocol::MessageType::progress, {{"vote_id", "V1"}}).body["returned"], 1);
  const auto kept = PendingCast::parse(setup::read_text(file).value(), hall.session).value();

  // The restarted terminal (a new client, a new store over the same folder, the server restarted too).
  hall.restart();
  PendingCastFiles reopened(hall.dir / "terminal-state", Hall::terminal(0).id, hall.session);
  Seat restarted(hall, 0, &reopened);
  ASSERT_TRUE(restarted.terminal.sign_in(restarted.reader, "123456"));
  const auto size_before = hall.log->size();
  auto resent = restarted.terminal.resend_pending();
  ASSERT_TRUE(resent) << resent.error().message();
  ASSERT_TRUE(*resent);
  EXPECT_EQ((*resent)->confirmation_code,
            protocol::confirmation_code(protocol::ballot_hash(kept.ballot, kept.signature)));
  EXPECT_EQ((*resent)->vote_id, "V1");
  EXPECT_TRUE((*resent)->warning.empty());
  EXPECT_EQ(hall.log->size(), size_before);  // nothing new logged
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_FALSE(restarted.terminal.has_pending());
  auto nothing = restarted.terminal.resend_pending();
  ASSERT_TRUE(nothing);
  EXPECT_FALSE(*nothing);
  EXPECT_EQ(hall.call(Hall::chair(), protocol::MessageType::progress, {{"vote_id", "V1"}}).body["returned"], 1);
}

// A receipt that does not verify (the terminal pins another log key) is no confirmation: the file stays.
TEST(SeatTerminal, Issue17_PendingFileStaysUntilTheReceiptVerifies) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V1");
  PendingCastFiles files(hall.dir / "terminal-state", Hall::terminal(0).id, hall.session);
  const crypto::SigningKey other_log_key = crypto::SigningKey::generate(hall.random);
  Seat& seat = *seats[0];
  SeatTerminal misprovisioned(
      TerminalConfig{&hall.session, hall.server_key.verify_key(),
                     audit::NoteKey{hall.log_key().name, hall.log_key().type, other_log_key.verify_key()},
                     Hall::terminal(0).id, 1, std::chrono::milliseconds(1), &files},
      seat.transport, hall.random);
  ASSERT_TRUE(misprovisioned.sign_in(seat.reader, "123456"));
  auto ballot = misprovisioned.wait_for_ballot(std::chrono::milliseconds(200));
  ASSERT_TRUE(ballot && *ballot);
  BallotScreen screen((*ballot)->definition);
  ASSERT_TRUE(screen.toggle(0, 1));
  EXPECT_EQ(misprovisioned.cast(screen, seat.reader).error().code, protocol::ProtocolErrc::wrong_credential);
  EXPECT_TRUE(std::filesystem::exists(files.path_of(hall.deputy(0).id).value()));
  EXPECT_TRUE(misprovisioned.has_pending());
}

// A refusal by the server means the log does not hold the ballot: it is forgotten, file and all.
TEST(SeatTerminal, Issue17_RefusedPendingBallotIsForgotten) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V1");
  PendingCastFiles files(hall.dir / "terminal-state", Hall::terminal(0).id, hall.session);
  Seat seat(hall, 0, &files);
  ASSERT_TRUE(seat.terminal.sign_in(seat.reader, "123456"));
  auto ballot = seat.terminal.wait_for_ballot(std::chrono::milliseconds(200));
  ASSERT_TRUE(ballot && *ballot);
  BallotScreen screen((*ballot)->definition);
  ASSERT_TRUE(screen.toggle(0, 1));
  seat.transport.drops_ = 3;  // never reaches the server
  EXPECT_FALSE(seat.terminal.cast(screen, seat.reader));
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  auto resent = seat.terminal.resend_pending();
  ASSERT_FALSE(resent);
  EXPECT_EQ(resent.error().code, protocol::ProtocolErrc::wrong_state);
  EXPECT_FALSE(seat.terminal.has_pending());
  EXPECT_FALSE(std::filesystem::exists(files.path_of(hall.deputy(0).id).value()));
}

// A kept ballot that was damaged (checksum) or tampered with (checksum recomputed, the card's signature no
// longer matches) is refused with a clear error naming the file, and nothing is sent.
TEST(SeatTerminal, Issue17_DamagedOrTamperedPendingFileIsRefusedNotSent) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V1");
  const auto definition = hall.fetch(0).definition;
  const auto cast = hall.make_cast(0, definition, server::testing::pick(definition, {1}));
  const PendingCast original = PendingCast::of(cast.ballot, cast.signature).value();
  PendingCastFiles files(hall.dir / "terminal-state", Hall::terminal(0).id, hall.session);
  const auto file = files.path_of(hall.deputy(0).id).value();
  std::filesystem::create_directories(file.parent_path());

  const auto expect_refused = [&](const std::string& text, protocol::ProtocolErrc code,
                                  const std::string& says) {
    ASSERT_TRUE(setup::write_file(file, text, setup::FileMode::secret));
    Seat seat(hall, 0, &files);
    ASSERT_TRUE(seat.terminal.sign_in(seat.reader, "123456"));
    const int calls_before = seat.transport.calls_;
    const auto size_before = hall.log->size();
    auto resent = seat.terminal.resend_pending();
    ASSERT_FALSE(resent);
    EXPECT_EQ(resent.error().code, code);
    EXPECT_NE(resent.error().detail.find(says), std::string::npos) << resent.error().detail;
    EXPECT_NE(resent.error().detail.find(file.string()), std::string::npos) << resent.error().detail;
    EXPECT_EQ(seat.transport.calls_, calls_before);  // not sent
    EXPECT_EQ(hall.log->size(), size_before);
    EXPECT_TRUE(std::filesystem::exists(file));  // left for the staff
  };
  std::string damaged = original.to_text();
  damaged[damaged.find("ballot ") + 20] ^= 1;
  expect_refused(damaged, protocol::ProtocolErrc::malformed, "checksum mismatch");
  expect_refused("hallvote-pending-cast 1\nballot zz\n", protocol::ProtocolErrc::malformed, "damaged");
  PendingCast tampered = original;
  tampered.ballot[tampered.ballot.size() - 40] ^= 1;
  expect_refused(tampered.to_text(), protocol::ProtocolErrc::wrong_credential, "tampered");
  // Another deputy's genuine ballot under this deputy's file name.
  const auto other = hall.make_cast(1, definition, server::testing::pick(definition, {1}));
  expect_refused(PendingCast::of(other.ballot, other.signature)->to_text(),
                 protocol::ProtocolErrc::wrong_credential, "deputy");
  // The genuine file is sent and confirmed.
  ASSERT_TRUE(setup::write_file(file, original.to_text(), setup::FileMode::secret));
  Seat seat(hall, 0, &files);
  ASSERT_TRUE(seat.terminal.sign_in(seat.reader, "123456"));
  auto resent = seat.terminal.resend_pending();
  ASSERT_TRUE(resent && *resent) << (resent ? "none" : resent.error().message());
  EXPECT_FALSE(std::filesystem::exists(file));
}

}  // namespace
}  // namespace hallvote::terminal

namespace hallvote::terminal {
namespace {

// Casts the open vote's ballot at `seat` (choice 0 of every contest).
Result<CastReceipt> cast_first_choice(Seat& seat) {
  auto ballot = seat.terminal.wait_for_ballot(std::chrono::milliseconds(200));
  if (!ballot) return forward(ballot.error());
  if (!*ballot) return fail(protocol::ProtocolErrc::wrong_state, "no ballot");
  BallotScreen screen((*ballot)->definition);
  for (std::size_t c = 0; c < screen.definition().shape.contests.size(); ++c) (void)screen.toggle(c, 0);
  return seat.terminal.cast(screen, seat.reader);
}

// Issue 17 item 4: a terminal keeps the latest checkpoint of its verified receipts; a later receipt must extend
// it (the server sends the consistency proof from the terminal's known_size). A server restarted on another
// log (the database emptied and its checkpoint file deleted) is caught by the terminal's alarm.
TEST(SeatTerminal, Issue17_AlarmWhenTheServersLogDoesNotExtendTheHeldCheckpoint) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V1");
  for (std::size_t i = 0; i < 40; ++i) ASSERT_TRUE(cast_first_choice(*seats[i])) << i;
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::close_vote, {{"vote_id", "V1"}}).ok);
  hall.open_vote("V2");
  // The log grew in between: seat 0's second receipt is checked against its first by a consistency proof.
  auto second = cast_first_choice(*seats[0]);
  ASSERT_TRUE(second) << second.error().message();

  // The whole log is lost and a new one started (what the checkpoint file prevents on the server itself).
  hall.server.reset();
  hall.log.reset();
  for (const char* name : {"session.db", "session.db-wal", "session.db-shm", "session.checkpoint"})
    std::filesystem::remove(hall.dir / name);
  hall.start();
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::open_sign_in).ok);
  for (std::size_t i = 0; i < 40; ++i) ASSERT_TRUE(seats[i]->terminal.sign_in(seats[i]->reader, "123456")) << i;
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::start_session).ok);
  hall.open_vote("V1");
  for (std::size_t i : {0u, 5u}) {  // every terminal holds a checkpoint of the old log
    auto alarmed = cast_first_choice(*seats[i]);
    ASSERT_FALSE(alarmed) << i;
    EXPECT_EQ(alarmed.error().code, protocol::ProtocolErrc::wrong_credential);
    EXPECT_NE(alarmed.error().detail.find("ALARM: the server's audit log does not extend"), std::string::npos)
        << alarmed.error().detail;
  }
  // A terminal that never held a checkpoint of the old log has nothing to compare with.
  SeatTerminal fresh(TerminalConfig{&hall.session, hall.server_key.verify_key(), hall.log_key(),
                                    Hall::terminal(7).id, 3, std::chrono::milliseconds(1)},
                     seats[7]->transport, hall.random);
  ASSERT_TRUE(fresh.sign_in(seats[7]->reader, "123456"));
  auto ballot = fresh.wait_for_ballot(std::chrono::milliseconds(200));
  ASSERT_TRUE(ballot && *ballot);
  BallotScreen screen((*ballot)->definition);
  ASSERT_TRUE(screen.toggle(0, 0));
  EXPECT_TRUE(fresh.cast(screen, seats[7]->reader));
}

// The held checkpoint is kept in the terminal's state folder: a terminal restarted after the server's log was
// replaced still raises the alarm (before, a restarted terminal held nothing and accepted the new log).
TEST(SeatTerminal, Issue17_TheHeldCheckpointSurvivesTheTerminalsRestart) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V1");
  const auto folder = hall.dir / "terminal-state";
  {
    PendingCastFiles files(folder, Hall::terminal(0).id, hall.session);
    Seat seat(hall, 0, &files);
    EXPECT_TRUE(seat.terminal.checkpoint_problem().empty()) << seat.terminal.checkpoint_problem();
    ASSERT_TRUE(seat.terminal.sign_in(seat.reader, "123456"));
    ASSERT_TRUE(cast_first_choice(seat));
    auto kept = files.load_checkpoint();
    ASSERT_TRUE(kept && *kept);
    EXPECT_GT((*kept)->size, 0u);
  }
  hall.server.reset();
  hall.log.reset();
  for (const char* name : {"session.db", "session.db-wal", "session.db-shm", "session.checkpoint"})
    std::filesystem::remove(hall.dir / name);
  hall.start();
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::open_sign_in).ok);
  for (std::size_t i = 1; i < 40; ++i) ASSERT_TRUE(seats[i]->terminal.sign_in(seats[i]->reader, "123456")) << i;
  PendingCastFiles reopened(folder, Hall::terminal(0).id, hall.session);
  Seat restarted(hall, 0, &reopened);  // a new process: nothing in memory
  ASSERT_TRUE(restarted.terminal.sign_in(restarted.reader, "123456"));
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::start_session).ok);
  hall.open_vote("V1");
  auto alarmed = cast_first_choice(restarted);
  ASSERT_FALSE(alarmed);
  EXPECT_NE(alarmed.error().detail.find("ALARM: the server's audit log does not extend"), std::string::npos)
      << alarmed.error().detail;

  // A damaged checkpoint file is reported, not trusted.
  ASSERT_TRUE(setup::write_file(folder / (Hall::terminal(0).id + ".checkpoint"), "not a checkpoint\n",
                                setup::FileMode::secret));
  PendingCastFiles damaged(folder, Hall::terminal(0).id, hall.session);
  Seat after_damage(hall, 0, &damaged);
  EXPECT_NE(after_damage.terminal.checkpoint_problem().find("the kept checkpoint is damaged"),
            std::string::npos)
      << after_damage.terminal.checkpoint_problem();
}

}  // namespace

// 核验此票: the fingerprint shown before the choice is the ballot's code; a challenged ballot is logged with
// its nonces, verified by the seat, never counted, never castable; the deputy then votes with a new ballot,
// after which a challenge is refused; another seat cannot challenge for the deputy.
TEST(SeatTerminal, ChallengedBallotIsVerifiedNeverCountedAndTheDeputyVotesAgain) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V2");
  Seat& seat = *seats[0];
  auto ballot = seat.terminal.wait_for_ballot(std::chrono::milliseconds(500));
  ASSERT_TRUE(ballot && *ballot);
  BallotScreen screen((*ballot)->definition);
  for (std::size_t c = 0; c < screen.definition().shape.contests.size(); ++c) ASSERT_TRUE(screen.toggle(c, 1));
  auto prepared = seat.terminal.prepare(screen, seat.reader);
  ASSERT_TRUE(prepared) << prepared.error().message();
  EXPECT_EQ(prepared->fingerprint().size(), 19u);
  const nlohmann::json replay{{"vote_id", "V2"},
                              {"ballot", crypto::to_hex(prepared->ballot())},
                              {"signature", crypto::to_hex(prepared->signature())}};
  auto challenged = seat.terminal.challenge(*prepared);
  ASSERT_TRUE(challenged) << challenged.error().message();
  EXPECT_EQ(challenged->choices, screen.choices());
  // Resent (its answer lost): the same logged entry, nothing new; the challenged ballot cannot be cast.
  auto again = seat.terminal.challenge(*prepared);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->index, challenged->index);
  auto cast_challenged = seat.terminal.cast(std::move(*prepared));
  ASSERT_FALSE(cast_challenged);
  EXPECT_EQ(cast_challenged.error().code, protocol::ProtocolErrc::wrong_state);
  // The challenged ballot replayed as a cast is refused.
  auto cast_replay = hall.call(Hall::terminal(0), protocol::MessageType::cast, replay);
  ASSERT_FALSE(cast_replay.ok);
  EXPECT_EQ(*cast_replay.error, protocol::ProtocolErrc::ballot_challenged);
  // Another seat cannot challenge the deputy's ballot.
  auto second = seat.terminal.prepare(screen, seat.reader);
  ASSERT_TRUE(second);
  nlohmann::json elsewhere{{"vote_id", "V2"},
                           {"ballot", crypto::to_hex(second->ballot())},
                           {"signature", crypto::to_hex(second->signature())},
                           {"choices", nlohmann::json::array({nlohmann::json::array({0})})},
                           {"nonces", nlohmann::json::array({nlohmann::json::array({std::string(64, '0')})})}};
  auto other = hall.call(Hall::terminal(1), protocol::MessageType::challenge_ballot, elsewhere);
  ASSERT_FALSE(other.ok);
  EXPECT_EQ(*other.error, protocol::ProtocolErrc::not_signed_in);
  // The deputy votes with a new ballot: its confirmation code is the fingerprint shown before the choice.
  const std::string fingerprint = second->fingerprint();
  auto receipt = seat.terminal.cast(std::move(*second));
  ASSERT_TRUE(receipt) << receipt.error().message();
  EXPECT_EQ(receipt->confirmation_code, fingerprint);
  EXPECT_NE(receipt->confirmation_code, challenged->fingerprint);
  // After the cast, a challenge is refused.
  auto third = seat.terminal.prepare(screen, seat.reader);
  ASSERT_TRUE(third);
  auto late = seat.terminal.challenge(*third);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, protocol::ProtocolErrc::already_cast);
  auto progress = hall.call(Hall::chair(), protocol::MessageType::progress, {{"vote_id", "V2"}});
  EXPECT_EQ(progress.body["returned"], 1);  // the challenged ballot is not among those returned
}

// A lying terminal encrypts other choices than those it shows: revealing the shown choices with the real nonces
// is refused (challenge_mismatch), and so are nonces that are not the ballot's.
TEST(SeatTerminal, LyingTerminalIsCaughtByTheChallenge) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V2");
  Seat& seat = *seats[0];
  auto ballot = seat.terminal.wait_for_ballot(std::chrono::milliseconds(500));
  ASSERT_TRUE(ballot && *ballot);
  const protocol::BallotDefinition& definition = (*ballot)->definition;
  protocol::Choices shown(definition.shape.contests.size(), {1, 0, 0});      // 赞成 on every item
  protocol::Choices encrypted(definition.shape.contests.size(), {0, 1, 0});  // 反对, secretly
  auto identity = seat.reader.identity();
  ASSERT_TRUE(identity);
  protocol::BallotNonces nonces;
  auto lie = protocol::encrypt_ballot(definition, hall.deputy(0).id, identity->credential, encrypted,
                                      hall.random, &nonces);
  ASSERT_TRUE(lie);
  const crypto::Bytes bytes = lie->encode();
  auto signature = seat.reader.sign(protocol::cast_signing_message(bytes));
  ASSERT_TRUE(signature);
  auto request = [&](const protocol::ChallengeReveal& reveal) {
    return nlohmann::json{{"vote_id", "V2"},
                          {"ballot", crypto::to_hex(bytes)},
                          {"signature", crypto::to_hex(*signature)},
                          {"choices", reveal.choices_json()},
                          {"nonces", reveal.nonces_json()}};
  };
  auto as_shown = hall.call(Hall::terminal(0), protocol::MessageType::challenge_ballot,
                            request(protocol::reveal(shown, nonces)));
  ASSERT_FALSE(as_shown.ok);
  EXPECT_EQ(*as_shown.error, protocol::ProtocolErrc::challenge_mismatch);
  protocol::ChallengeReveal wrong_nonces = protocol::reveal(encrypted, nonces);
  std::swap(wrong_nonces.nonces[0][0], wrong_nonces.nonces[0][1]);
  auto swapped = hall.call(Hall::terminal(0), protocol::MessageType::challenge_ballot, request(wrong_nonces));
  ASSERT_FALSE(swapped.ok);
  EXPECT_EQ(*swapped.error, protocol::ProtocolErrc::challenge_mismatch);
  // Neither refusal made the ballot a challenged one: the truthful reveal is accepted and logged.
  auto truthful = hall.call(Hall::terminal(0), protocol::MessageType::challenge_ballot,
                            request(protocol::reveal(encrypted, nonces)));
  EXPECT_TRUE(truthful.ok) << truthful.detail;
}

TEST(SeatTerminal, ChallengeAfterTheVoteClosedIsRefused) {
  Hall hall;
  std::vector<std::unique_ptr<Seat>> seats = seat_and_start(hall, 40);
  ASSERT_EQ(seats.size(), 40u);
  hall.open_vote("V2");
  Seat& seat = *seats[0];
  auto ballot = seat.terminal.wait_for_ballot(std::chrono::milliseconds(500));
  ASSERT_TRUE(ballot && *ballot);
  BallotScreen screen((*ballot)->definition);
  auto prepared = seat.terminal.prepare(screen, seat.reader);
  ASSERT_TRUE(prepared);
  ASSERT_TRUE(hall.call(Hall::chair(), protocol::MessageType::close_vote, {{"vote_id", "V2"}}).ok);
  auto late = seat.terminal.challenge(*prepared);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, protocol::ProtocolErrc::wrong_state);
}

}  // namespace hallvote::terminal
