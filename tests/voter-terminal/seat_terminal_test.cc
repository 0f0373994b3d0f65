#include "hallvote/terminal/seat_terminal.h"

#include <gtest/gtest.h>

#include "../ballot-server/hall_server_fixture.h"
#include "hallvote/hardware/errors.h"
#include "hallvote/hardware/simulated_card.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::terminal {
namespace {

using server::testing::Hall;

// Calls the server core in-process as the network would, as terminal `peer`; can be made to drop calls.
class DirectTransport final : public Transport {
 public:
  DirectTransport(Hall& hall, protocol::Peer peer) : hall_(hall), peer_(std::move(peer)) {}
  Result<crypto::Bytes> call(const crypto::Bytes& request, std::chrono::milliseconds) override {
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
  int drops_ = 0;         // requests lost before the server sees them
  int lost_answers_ = 0;  // answers lost after the server acted

 private:
  Hall& hall_;
  protocol::Peer peer_;
};

struct Seat {
  hardware::SimulatedCard card;
  hardware::SimulatedCardReader reader;
  DirectTransport transport;
  SeatTerminal terminal;

  Seat(Hall& hall, std::size_t i)
      : card(hall.deputy(i).id, crypto::SigningKey::from_seed(hall.deputy_keys.at(hall.deputy(i).id).seed()),
             "123456"),
        transport(hall, Hall::terminal(i)),
        terminal(TerminalConfig{&hall.session, hall.server_key.verify_key(), hall.log_key(),
                                Hall::terminal(i).id, 3, std::chrono::milliseconds(1)},
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

}  // namespace
}  // namespace hallvote::terminal
