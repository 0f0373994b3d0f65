// The seat's screen model: which page the deputy sees (insert card → PIN → waiting → ballot → review →
// sending → receipt, or review → 核验此票 → challenge result → ballot), what it says, and which of the deputy's
// touches it accepts. The seat page is a thin view: it renders view() and sends intents; every rule and every
// word shown lives here, so that it is unit-tested without a browser (docs/seat.md lists the pages and the
// view's fields).
//
// The model never talks to the card or the server itself: the seat daemon's protocol thread runs the
// commands apply() returns (sign in with this PIN, prepare, cast or challenge this ballot) and reports back
// through the event methods. Not thread-safe: the daemon serializes every call under one mutex.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/secret.h"
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/session/definition.h"
#include "hallvote/terminal/ballot_screen.h"
#include "hallvote/terminal/seat_terminal.h"

namespace hallvote::terminal {

enum class SeatPage {
  insert_card,        // 请插入代表证 (also the dark seat after the card is taken out)
  pin,                // the PIN pad
  locked,             // the card locked itself after the third wrong PIN
  signing_in,         // the card signs the server's challenge
  waiting,            // signed in: the session and its agenda, no vote open for this deputy
  ballot,             // choosing
  review,             // 请核对您的选择（尚未投出）, with the prepared ballot's fingerprint
  challenge_warning,  // 核验此票: what a challenge makes public, before the deputy confirms it
  challenging,        // the prepared ballot's nonces sent, the server's log entry being checked
  challenge_result,   // the opened choices as the ballot encrypted them; the deputy then votes again
  sending,            // sending, checking the receipt
  receipt,            // the confirmation code, 已记录
  missed,             // the vote closed before this deputy confirmed (未按)
  failed,             // something the deputy cannot fix: the words say whom to call
};

[[nodiscard]] std::string_view to_string(SeatPage page) noexcept;

// One touch on the page, parsed and checked at the boundary (parse_seat_intent).
struct SeatIntent {
  enum class Kind {
    pin_digit,          // digit
    pin_delete,         // the last digit
    pin_clear,          //
    toggle,             // contest, selection
    review,             // 下一步：核对
    back,               // 返回修改 (review → ballot), 返回 (challenge warning → review)
    confirm,            // 确认投票
    challenge,          // 核验此票 (review → challenge warning)
    challenge_confirm,  // 确认核验 (challenge warning → challenging)
    done,        // 完成 (receipt or 未按 page → waiting), 重新投票 (challenge result → ballot)
    large_text,  // on
  };
  Kind kind = Kind::pin_clear;
  char digit = 0;
  std::size_t contest = 0;
  std::size_t selection = 0;
  bool on = false;
};

// Parses the page's JSON text: {"intent": "pin_digit", "digit": "7"}, {"intent": "toggle", "contest": 0,
// "selection": 2}, {"intent": "large_text", "on": true}, or one of the bare intents. At most 256 bytes.
// std::errc::invalid_argument naming what is wrong.
[[nodiscard]] Result<SeatIntent> parse_seat_intent(std::string_view text);

// Work for the protocol thread.
struct SeatCommand {
  enum class Kind {
    sign_in,    // pin
    prepare,    // ballot, token: SeatTerminal::prepare, answered by ballot_prepared / prepare_failed
    cast,       // prepared: SeatTerminal::cast, answered by cast_confirmed / cast_failed
    challenge,  // prepared: SeatTerminal::challenge, answered by challenge_verified / challenge_failed
  };
  Kind kind = Kind::sign_in;
  crypto::SecretBytes pin;                 // sign_in: the 6 digits typed, wiped when the command is dropped
  std::optional<BallotScreen> ballot;      // prepare: the choices the deputy is reviewing
  std::uint64_t token = 0;                 // prepare: given back with its answer
  std::optional<PreparedBallot> prepared;  // cast, challenge: the ballot whose fingerprint was shown
};

class SeatModel {
 public:
  static constexpr std::size_t kPinLength = 6;

  // `session` must outlive the model.
  explicit SeatModel(const session::SessionDefinition& session);

  // A touch. Returns the command to run, if any. Refuses, changing nothing, an intent that the page shown
  // does not offer (std::errc::operation_not_permitted) and a choice the ballot's rules forbid
  // (ProtocolErrc::invalid_ballot, also shown as the notice: an overvote cannot be made).
  [[nodiscard]] Result<std::optional<SeatCommand>> apply(const SeatIntent& intent);

  // The card reader: a card with `deputy_id` was inserted / the card was taken out (the seat goes dark; a
  // ballot being chosen is kept for the same deputy's return, a ballot being sent is still sent).
  void card_inserted(std::string deputy_id);
  void card_removed();
  [[nodiscard]] bool card_present() const noexcept { return !card_deputy_.empty(); }

  // The protocol thread's reports.
  void signed_in(const SignedIn& who);
  // The card or the server refused the sign-in (wrong PIN: back to the pad with the tries left).
  void sign_in_failed(const Error& error);
  // The server's status answer (docs/protocol.md §4.2.1): the session, the agenda, the open vote.
  void status(const nlohmann::json& status);
  // The open vote's checked ballot for this deputy.
  void ballot_arrived(const protocol::SignedBallot& ballot);
  // The answer to the prepare command `token`: the review shows the ballot's fingerprint and offers 确认投票
  // and 核验此票. An answer to an earlier prepare (the deputy went back, or left the review) is dropped, and
  // with it the ballot, never sent.
  void ballot_prepared(std::uint64_t token, PreparedBallot prepared);
  // The card or the encryption refused to prepare: back to the ballot with the reason.
  void prepare_failed(std::uint64_t token, const Error& error);
  void cast_confirmed(const CastReceipt& receipt);
  // A refusal by the server: back to the ballot with the reason (reviewing again prepares a new ballot); the
  // vote closed: 未按; already cast: waiting. A lost connection is not a failure: connection_lost() then a
  // retry.
  void cast_failed(const Error& error);
  // The challenge was logged and verified at this seat: the result page shows the opened choices.
  void challenge_verified(const ChallengeResult& result);
  // The server refused the challenge, or this seat's check of the logged challenge failed (an alarm): the
  // reason; the challenged ballot is spent either way.
  void challenge_failed(const Error& error);
  void connection_lost();
  void connection_restored();

  // True when the protocol thread should fetch the ballot: signed in, a vote open that this deputy has not
  // voted in, and no ballot of that round held.
  [[nodiscard]] bool wants_ballot() const;
  [[nodiscard]] bool signed_in_now() const noexcept { return !deputy_id_.empty(); }
  [[nodiscard]] SeatPage page() const noexcept { return page_; }
  // The ballot being chosen or reviewed; nullptr on other pages.
  [[nodiscard]] const BallotScreen* screen() const noexcept { return screen_ ? &*screen_ : nullptr; }

  // Everything the page shows (texts included), as JSON. `version` increases with every change.
  [[nodiscard]] nlohmann::json view() const;
  [[nodiscard]] std::uint64_t version() const noexcept { return version_; }

 private:
  struct OpenVote {
    std::string vote_id;
    std::uint32_t round = 0;
    bool operator==(const OpenVote&) const = default;
  };
  void show(SeatPage page, std::string notice = {});
  void leave_ballot_for_closed_vote();
  [[nodiscard]] nlohmann::json ballot_view() const;
  [[nodiscard]] nlohmann::json review_view() const;
  [[nodiscard]] nlohmann::json choice_rows(const protocol::Choices& choices) const;
  [[nodiscard]] nlohmann::json challenge_warning_view() const;
  [[nodiscard]] nlohmann::json challenge_result_view() const;
  // Drops the prepared ballot (never sent: nothing is revealed) and any answer still coming for it.
  void drop_prepared();
  [[nodiscard]] nlohmann::json waiting_view() const;
  [[nodiscard]] std::string contest_title(const session::Contest& contest) const;

  const session::SessionDefinition& session_;
  SeatPage page_ = SeatPage::insert_card;
  std::string notice_;  // one line for the deputy: a refused touch, a wrong PIN, a failure
  std::uint64_t version_ = 1;
  bool large_text_ = false;
  bool connected_ = true;

  std::string card_deputy_;  // the inserted card's deputy; empty without a card
  std::string pin_;          // digits typed so far (wiped when taken or cleared)
  std::string deputy_id_;    // signed in (empty before sign-in and after the card is taken out)
  std::string sending_for_;  // the deputy whose confirmed ballot is being sent
  SignedIn who_;

  nlohmann::json status_ = nlohmann::json::object();
  std::optional<OpenVote> open_vote_;
  bool vote_held_ = false;
  std::set<std::string> voted_;  // deputy, vote, round with a verified receipt at this seat (vote_key)
  std::optional<BallotScreen> screen_;
  // A ballot being chosen when the card was taken out: given back to the same deputy for the same round.
  std::optional<std::pair<std::string, BallotScreen>> kept_screen_;
  std::optional<CastReceipt> receipt_;
  // Cast-or-challenge: the ballot prepared for the review shown (its fingerprint displayed), and the token of
  // the prepare command whose answer is awaited (0: none).
  std::optional<PreparedBallot> prepared_;
  std::uint64_t prepare_token_ = 0;
  std::uint64_t last_token_ = 0;
  std::optional<ChallengeResult> challenge_;  // the verified challenge shown on challenge_result
};

}  // namespace hallvote::terminal
