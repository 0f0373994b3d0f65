#include "hallvote/terminal/seat_model.h"

#include <algorithm>
#include <numeric>

#include "hallvote/crypto/secret.h"
#include "hallvote/hardware/errors.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/protocol/json_fields.h"
#include "hallvote/session/ballot_shape.h"

namespace hallvote::terminal {

using nlohmann::json;
using protocol::ProtocolErrc;

namespace {

constexpr std::size_t kMaxIntentBytes = 256;

// The Chinese half of a "中文 / English" detail (the seat speaks Chinese to deputies).
std::string chinese_part(std::string_view detail) {
  const auto slash = detail.find(" / ");
  return std::string(slash == std::string_view::npos ? detail : detail.substr(0, slash));
}

std::string text_of(const json& object, const std::string& name) {
  return protocol::json_fields::text_or_empty(object, name);
}

void wipe(std::string& text) {
  crypto::secure_wipe(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(text.data()), text.size()));
  text.clear();
}

// green / red / yellow / blue on the page, always beside the word.
std::string_view tone_of(session::VoteKind kind, std::string_view selection_id) {
  if (kind == session::VoteKind::choose) return "choose";
  if (selection_id == session::kFor || selection_id == session::kSatisfied) return "for";
  if (selection_id == session::kAgainst || selection_id == session::kDissatisfied) return "against";
  if (selection_id == session::kAbstain) return "abstain";
  return "neutral";
}

std::uint32_t chosen_in(const protocol::Choices& choices, std::size_t contest) {
  return std::accumulate(choices[contest].begin(), choices[contest].end(), 0u);
}

std::string vote_key(std::string_view deputy, std::string_view vote, std::uint32_t round) {
  return std::string(deputy) + "\n" + std::string(vote) + "\n" + std::to_string(round);
}

// What the deputy is told when the server refuses a cast (never the protocol's internal wording).
std::string cast_refusal_words(const Error& error) {
  if (error.code == ProtocolErrc::invalid_ballot) return "选票未被接受：选择不符合本轮规则。请返回修改。";
  if (error.code == ProtocolErrc::already_cast) return "本轮表决您已投出选票，不能再投。";
  if (error.code == ProtocolErrc::not_signed_in || error.code == ProtocolErrc::signed_in_elsewhere)
    return "本席位的签到已失效，请取出代表证后重新插入签到。";
  if (error.code == hardware::HardwareErrc::no_card || error.code == hardware::HardwareErrc::pin_required)
    return "请插入代表证后再投票。";
  if (error.code == hardware::HardwareErrc::card_locked) return "代表证已锁定，请联系工作人员。";
  if (error.code == hardware::HardwareErrc::device_failure) return "读卡器故障，请联系工作人员。";
  return "投票未成功，请联系工作人员。";
}

// What the deputy is told when a challenge fails. The seat's own check failing, or the server finding that the
// revealed nonces do not make this ballot, means this seat (or the server) cannot be trusted: an alarm.
std::string challenge_refusal_words(const Error& error) {
  if (error.code == ProtocolErrc::wrong_credential || error.code == ProtocolErrc::challenge_mismatch) {
    return "核验未通过：这张选票与屏幕显示的选择不符，或服务器的记录有误。请不要在本席位投票，"
           "立即报告工作人员。";
  }
  if (error.code == ProtocolErrc::already_cast) return "本轮表决您已投出选票，不能再核验。";
  if (error.code == ProtocolErrc::not_signed_in || error.code == ProtocolErrc::signed_in_elsewhere)
    return "本席位的签到已失效，请取出代表证后重新插入签到。";
  return "核验未成功，这张选票已作废。请重新核对后投票；如再次失败，请联系工作人员。";
}

}  // namespace

std::string_view to_string(SeatPage page) noexcept {
  switch (page) {
    case SeatPage::insert_card:
      return "insert_card";
    case SeatPage::pin:
      return "pin";
    case SeatPage::locked:
      return "locked";
    case SeatPage::signing_in:
      return "signing_in";
    case SeatPage::waiting:
      return "waiting";
    case SeatPage::ballot:
      return "ballot";
    case SeatPage::review:
      return "review";
    case SeatPage::challenge_warning:
      return "challenge_warning";
    case SeatPage::challenging:
      return "challenging";
    case SeatPage::challenge_result:
      return "challenge_result";
    case SeatPage::sending:
      return "sending";
    case SeatPage::receipt:
      return "receipt";
    case SeatPage::missed:
      return "missed";
    case SeatPage::failed:
      return "failed";
  }
  return "failed";
}

Result<SeatIntent> parse_seat_intent(std::string_view text) {
  const auto bad = [](const std::string& why) {
    return fail(std::errc::invalid_argument, "seat intent: " + why);
  };
  if (text.size() > kMaxIntentBytes) return bad("longer than 256 bytes");
  const json message = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!message.is_object()) return bad("not a JSON object");
  const std::string name = text_of(message, "intent");
  SeatIntent intent;
  const auto index = [&](const char* field, std::size_t& out) -> Status {
    const auto found = message.find(field);
    if (found == message.end() || !found->is_number_unsigned() || found->get<std::uint64_t>() > 1000)
      return bad(std::string(field) + ": an index 0..1000");
    out = found->get<std::size_t>();
    return {};
  };
  if (name == "pin_digit") {
    intent.kind = SeatIntent::Kind::pin_digit;
    const std::string digit = text_of(message, "digit");
    if (digit.size() != 1 || digit[0] < '0' || digit[0] > '9') return bad("digit: one of 0-9");
    intent.digit = digit[0];
  } else if (name == "pin_delete") {
    intent.kind = SeatIntent::Kind::pin_delete;
  } else if (name == "pin_clear") {
    intent.kind = SeatIntent::Kind::pin_clear;
  } else if (name == "toggle") {
    intent.kind = SeatIntent::Kind::toggle;
    if (auto ok = index("contest", intent.contest); !ok) return forward(ok.error());
    if (auto ok = index("selection", intent.selection); !ok) return forward(ok.error());
  } else if (name == "review") {
    intent.kind = SeatIntent::Kind::review;
  } else if (name == "back") {
    intent.kind = SeatIntent::Kind::back;
  } else if (name == "confirm") {
    intent.kind = SeatIntent::Kind::confirm;
  } else if (name == "challenge") {
    intent.kind = SeatIntent::Kind::challenge;
  } else if (name == "challenge_confirm") {
    intent.kind = SeatIntent::Kind::challenge_confirm;
  } else if (name == "done") {
    intent.kind = SeatIntent::Kind::done;
  } else if (name == "large_text") {
    intent.kind = SeatIntent::Kind::large_text;
    const auto on = message.find("on");
    if (on == message.end() || !on->is_boolean()) return bad("on: true or false");
    intent.on = on->get<bool>();
  } else {
    return bad("unknown intent '" + name.substr(0, 32) + "'");
  }
  return intent;
}

SeatModel::SeatModel(const session::SessionDefinition& session) : session_(session) {}

void SeatModel::show(SeatPage page, std::string notice) {
  page_ = page;
  notice_ = std::move(notice);
  ++version_;
}

Result<std::optional<SeatCommand>> SeatModel::apply(const SeatIntent& intent) {
  using Kind = SeatIntent::Kind;
  const auto not_here = [&]() {
    return fail(std::errc::operation_not_permitted,
                "seat intent not offered on page " + std::string(to_string(page_)));
  };
  const auto none = []() { return Result<std::optional<SeatCommand>>(std::optional<SeatCommand>()); };
  switch (intent.kind) {
    case Kind::large_text:
      large_text_ = intent.on;
      ++version_;
      return none();
    case Kind::pin_digit: {
      if (page_ != SeatPage::pin) return not_here();
      pin_.push_back(intent.digit);
      if (pin_.size() < kPinLength) {
        show(SeatPage::pin);
        return none();
      }
      crypto::Bytes digits(pin_.begin(), pin_.end());
      wipe(pin_);
      SeatCommand command;
      command.pin = crypto::SecretBytes::take(digits);
      show(SeatPage::signing_in);
      return std::optional<SeatCommand>(std::move(command));
    }
    case Kind::pin_delete:
    case Kind::pin_clear:
      if (page_ != SeatPage::pin) return not_here();
      if (intent.kind == Kind::pin_clear) {
        wipe(pin_);
      } else if (!pin_.empty()) {
        pin_.back() = '\0';
        pin_.pop_back();
      }
      show(SeatPage::pin, notice_);
      return none();
    case Kind::toggle: {
      if (page_ != SeatPage::ballot || !screen_) return not_here();
      if (vote_held_) {
        show(SeatPage::ballot, "表决已暂停，请稍候。您的选择已保存。");
        return fail(std::errc::operation_not_permitted, "the vote is held");
      }
      if (auto ok = screen_->toggle(intent.contest, intent.selection); !ok) {
        show(SeatPage::ballot, chinese_part(ok.error().detail));
        return forward(ok.error());
      }
      show(SeatPage::ballot);
      return none();
    }
    case Kind::review:
      if (page_ != SeatPage::ballot || !screen_) return not_here();
      if (auto ok = screen_->ready(); !ok) {
        show(SeatPage::ballot, chinese_part(ok.error().detail));
        return forward(ok.error());
      }
      {
        // The device commits to the encryption before the deputy chooses to cast or to challenge it.
        drop_prepared();
        prepare_token_ = ++last_token_;
        SeatCommand command;
        command.kind = SeatCommand::Kind::prepare;
        command.ballot = *screen_;
        command.token = prepare_token_;
        show(SeatPage::review);
        return std::optional<SeatCommand>(std::move(command));
      }
    case Kind::back:
      if (page_ == SeatPage::challenge_warning) {
        show(SeatPage::review);  // the same prepared ballot, the same fingerprint
        return none();
      }
      if (page_ != SeatPage::review) return not_here();
      drop_prepared();
      show(SeatPage::ballot);
      return none();
    case Kind::confirm:
    case Kind::challenge:
    case Kind::challenge_confirm: {
      const SeatPage from =
          intent.kind == Kind::challenge_confirm ? SeatPage::challenge_warning : SeatPage::review;
      if (page_ != from || !screen_) return not_here();
      if (vote_held_) {
        show(page_, intent.kind == Kind::confirm
                        ? "表决已暂停，暂不能投出。您的选择已保存，恢复后请再按确认投票。"
                        : "表决已暂停，暂不能核验。您的选择已保存，请稍候。");
        return fail(std::errc::operation_not_permitted, "the vote is held");
      }
      if (!prepared_) {
        show(page_, "正在加密选票，请稍候。");
        return fail(std::errc::operation_not_permitted, "the ballot is being prepared");
      }
      if (intent.kind == Kind::challenge) {
        show(SeatPage::challenge_warning);
        return none();
      }
      SeatCommand command;
      command.kind = intent.kind == Kind::confirm ? SeatCommand::Kind::cast : SeatCommand::Kind::challenge;
      command.prepared.emplace(std::move(*prepared_));
      prepared_.reset();
      if (intent.kind == Kind::confirm) {
        sending_for_ = deputy_id_;
        show(SeatPage::sending);
      } else {
        show(SeatPage::challenging);
      }
      return std::optional<SeatCommand>(std::move(command));
    }
    case Kind::done:
      if (page_ == SeatPage::challenge_result && screen_) {
        challenge_.reset();  // a new ballot: the same choices, encrypted afresh at the next review
        show(SeatPage::ballot, "请重新核对选择后投票。刚才核验的选票已作废，不计入表决。");
        return none();
      }
      if (page_ != SeatPage::receipt && page_ != SeatPage::missed && page_ != SeatPage::failed)
        return not_here();
      receipt_.reset();
      challenge_.reset();
      if (!signed_in_now()) {
        show(card_present() ? SeatPage::pin : SeatPage::insert_card);
      } else {
        show(SeatPage::waiting);
      }
      return none();
  }
  return not_here();
}

void SeatModel::card_inserted(std::string deputy_id) {
  card_deputy_ = std::move(deputy_id);
  deputy_id_.clear();
  wipe(pin_);
  show(SeatPage::pin);
}

void SeatModel::card_removed() {
  card_deputy_.clear();
  wipe(pin_);
  drop_prepared();
  challenge_.reset();
  if (screen_ && (page_ == SeatPage::ballot || page_ == SeatPage::review ||
                  page_ == SeatPage::challenge_warning || page_ == SeatPage::challenge_result)) {
    kept_screen_.emplace(deputy_id_, std::move(*screen_));
  }
  screen_.reset();  // a ballot being sent is still sent: the protocol thread holds its copy
  deputy_id_.clear();
  receipt_.reset();
  show(SeatPage::insert_card);
}

void SeatModel::signed_in(const SignedIn& who) {
  who_ = who;
  deputy_id_ = who.deputy_id;
  show(SeatPage::waiting, "签到成功");
}

void SeatModel::sign_in_failed(const Error& error) {
  if (error.code == hardware::HardwareErrc::wrong_pin) {
    show(SeatPage::pin, "密码错误，" + chinese_part(error.detail) + "。");
  } else if (error.code == hardware::HardwareErrc::card_locked) {
    show(SeatPage::locked);
  } else if (error.code == hardware::HardwareErrc::invalid_pin) {
    show(SeatPage::pin, "密码应为6位数字，请重新输入。");
  } else if (error.code == hardware::HardwareErrc::no_card) {
    show(SeatPage::insert_card);
  } else if (error.code == ProtocolErrc::wrong_state) {
    show(SeatPage::pin, "签到尚未开始或已经结束，请听从会议安排后重新输入密码。");
  } else if (error.code == ProtocolErrc::signed_in_elsewhere) {
    show(SeatPage::failed, "您已在其他座位签到。如需换座，请联系工作人员。");
  } else if (error.code == ProtocolErrc::unknown_deputy) {
    show(SeatPage::failed, "这张代表证不在本次会议的代表名册中，请联系工作人员。");
  } else {
    show(SeatPage::failed, "签到未成功，请联系工作人员。");
  }
}

void SeatModel::status(const json& status) {
  status_ = status;
  std::optional<OpenVote> open;
  const auto found = status.find("open_vote");
  if (found != status.end() && found->is_object()) {
    open = OpenVote{text_of(*found, "vote_id"), found->value("round", std::uint32_t{0})};
  }
  open_vote_ = open;
  bool held = false;
  if (screen_) {
    const auto& shape = screen_->definition().shape;
    const bool still_open = open && open->vote_id == shape.vote_id && open->round == shape.round;
    if (!still_open) {
      for (const auto& vote : status.value("votes", json::array())) {
        if (vote.is_object() && text_of(vote, "vote_id") == shape.vote_id &&
            vote.value("round", std::uint32_t{0}) == shape.round && text_of(vote, "state") == "held") {
          held = true;
        }
      }
      // A ballot being sent or challenged is answered by the server (a refusal once the vote is closed).
      if (!held && page_ != SeatPage::sending && page_ != SeatPage::challenging) leave_ballot_for_closed_vote();
    }
  }
  if (kept_screen_) {
    const auto& shape = kept_screen_->second.definition().shape;
    if (!open || open->vote_id != shape.vote_id || open->round != shape.round) kept_screen_.reset();
  }
  vote_held_ = held;
  ++version_;
}

void SeatModel::leave_ballot_for_closed_vote() {
  drop_prepared();
  challenge_.reset();
  screen_.reset();
  show(SeatPage::missed);
}

void SeatModel::drop_prepared() {
  prepared_.reset();
  prepare_token_ = 0;
}

void SeatModel::ballot_prepared(std::uint64_t token, PreparedBallot prepared) {
  if (token == 0 || token != prepare_token_ || page_ != SeatPage::review) return;
  prepare_token_ = 0;
  prepared_.emplace(std::move(prepared));
  ++version_;
}

void SeatModel::prepare_failed(std::uint64_t token, const Error& error) {
  if (token == 0 || token != prepare_token_ || page_ != SeatPage::review) return;
  prepare_token_ = 0;
  show(SeatPage::ballot, cast_refusal_words(error));
}

void SeatModel::challenge_verified(const ChallengeResult& result) {
  if (!signed_in_now() || page_ != SeatPage::challenging || !screen_) {  // the card was taken out meanwhile
    ++version_;
    return;
  }
  challenge_ = result;
  show(SeatPage::challenge_result);
}

void SeatModel::challenge_failed(const Error& error) {
  if (!signed_in_now() || page_ != SeatPage::challenging) {
    ++version_;
    return;
  }
  const std::string words = challenge_refusal_words(error);
  if (error.code == ProtocolErrc::wrong_state || error.code == ProtocolErrc::wrong_vote) {
    leave_ballot_for_closed_vote();
  } else if (error.code == ProtocolErrc::already_cast) {
    screen_.reset();
    show(SeatPage::waiting, words);
  } else if (error.code == ProtocolErrc::wrong_credential || error.code == ProtocolErrc::challenge_mismatch ||
             !screen_) {
    screen_.reset();
    show(SeatPage::failed, words);
  } else {
    show(SeatPage::ballot, words);
  }
}

bool SeatModel::wants_ballot() const {
  if (!signed_in_now() || page_ != SeatPage::waiting || !open_vote_) return false;
  return voted_.count(vote_key(deputy_id_, open_vote_->vote_id, open_vote_->round)) == 0;
}

void SeatModel::ballot_arrived(const protocol::SignedBallot& ballot) {
  if (page_ != SeatPage::waiting || !signed_in_now()) return;
  const auto& shape = ballot.definition.shape;
  if (voted_.count(vote_key(deputy_id_, shape.vote_id, shape.round)) != 0) return;
  if (kept_screen_ && kept_screen_->first == deputy_id_ &&
      kept_screen_->second.definition().base_hash() == ballot.definition.base_hash()) {
    screen_.emplace(std::move(kept_screen_->second));
  } else {
    screen_.emplace(ballot.definition);
  }
  kept_screen_.reset();
  open_vote_ = OpenVote{shape.vote_id, shape.round};
  vote_held_ = false;
  show(SeatPage::ballot);
}

void SeatModel::cast_confirmed(const CastReceipt& receipt) {
  voted_.insert(vote_key(sending_for_.empty() ? deputy_id_ : sending_for_, receipt.vote_id, receipt.round));
  sending_for_.clear();
  screen_.reset();
  kept_screen_.reset();
  receipt_ = receipt;
  if (signed_in_now()) {
    show(SeatPage::receipt);
  } else {
    ++version_;
  }
}

void SeatModel::cast_failed(const Error& error) {
  sending_for_.clear();
  if (!signed_in_now()) {  // the card was taken out while sending: the seat stays dark
    ++version_;
    return;
  }
  if (error.code == ProtocolErrc::wrong_state || error.code == ProtocolErrc::wrong_vote) {
    leave_ballot_for_closed_vote();
    return;
  }
  if (error.code == ProtocolErrc::already_cast) {
    screen_.reset();
    show(SeatPage::waiting, cast_refusal_words(error));
    return;
  }
  if (!screen_) {
    show(SeatPage::failed, cast_refusal_words(error));
    return;
  }
  show(SeatPage::ballot, cast_refusal_words(error));  // reviewing again prepares a new ballot
}

void SeatModel::connection_lost() {
  if (!connected_) return;
  connected_ = false;
  ++version_;
}

void SeatModel::connection_restored() {
  if (connected_) return;
  connected_ = true;
  ++version_;
}

std::string SeatModel::contest_title(const session::Contest& contest) const {
  if (contest.item_id.empty()) return {};
  const std::string_view title = session_.item_title(contest.item_id);
  return std::string(title.empty() ? std::string_view(contest.item_id) : title);
}

json SeatModel::ballot_view() const {
  const auto& definition = screen_->definition();
  const auto& shape = definition.shape;
  const auto& choices = screen_->choices();
  json contests = json::array();
  std::uint32_t answered = 0;
  for (std::size_t c = 0; c < shape.contests.size(); ++c) {
    const auto& contest = shape.contests[c];
    json options = json::array();
    for (std::size_t s = 0; s < contest.selections.size(); ++s) {
      const auto& selection = contest.selections[s];
      options.push_back({{"label", selection.label},
                         {"code", definition.kind == session::VoteKind::choose ? selection.id : ""},
                         {"tone", tone_of(definition.kind, selection.id)},
                         {"selected", choices[c][s] != 0}});
    }
    if (chosen_in(choices, c) > 0) ++answered;
    contests.push_back({{"title", contest_title(contest)}, {"code", contest.item_id}, {"options", options}});
  }
  std::string instructions;
  std::string counter;
  bool full = false;
  const auto count = [](std::size_t n) { return std::to_string(n); };
  if (definition.kind == session::VoteKind::choose) {
    const auto& contest = shape.contests.front();
    const std::uint32_t chosen = chosen_in(choices, 0);
    instructions = "请从以下 " + count(contest.selections.size()) + " 个项目中选择，最多选 " +
                   count(contest.max_selected) + " 项" +
                   (contest.min_selected > 0 ? "，至少选 " + count(contest.min_selected) + " 项" : "") + "。";
    counter = "已选 " + count(chosen) + " 项，最多 " + count(contest.max_selected) + " 项";
    full = chosen >= contest.max_selected;
  } else {
    const bool satisfaction = definition.kind == session::VoteKind::satisfaction;
    instructions = satisfaction ? "请对每个项目选择一项评价；不选的项目记为未表态。"
                                : "请对每一项选择 赞成、反对 或 弃权；不选的项目记为未表态。";
    counter = (satisfaction ? "已评价 " : "已表态 ") + count(answered) + " 项，共 " +
              count(shape.contests.size()) + " 项";
    if (const auto& limit = shape.aggregate_limit) {
      std::uint32_t rated = 0;
      std::string label;
      for (std::size_t c = 0; c < shape.contests.size(); ++c) {
        for (std::size_t s = 0; s < shape.contests[c].selections.size(); ++s) {
          if (shape.contests[c].selections[s].id != limit->selection_id) continue;
          label = shape.contests[c].selections[s].label;
          rated += choices[c][s];
        }
      }
      instructions += "评为“" + label + "”的最多 " + count(limit->max_total) + " 项。";
      counter += "；“" + label + "” " + count(rated) + " 项，最多 " + count(limit->max_total) + " 项";
      full = rated >= limit->max_total;
    }
  }
  return {{"vote_title", definition.vote_title},
          {"round", shape.round},
          {"round_label", shape.round > 1 ? "第" + count(shape.round) + "轮投票" : ""},
          {"kind", std::string(session::to_string(definition.kind))},
          {"instructions", instructions},
          {"counter", counter},
          {"full", full},
          {"held", vote_held_},
          {"contests", contests}};
}

json SeatModel::choice_rows(const protocol::Choices& choices) const {
  const auto& definition = screen_->definition();
  const auto& shape = definition.shape;
  json rows = json::array();
  if (definition.kind == session::VoteKind::choose) {
    const auto& contest = shape.contests.front();
    for (std::size_t s = 0; s < contest.selections.size() && s < choices[0].size(); ++s) {
      if (choices[0][s] == 0) continue;
      rows.push_back(
          {{"title", contest.selections[s].label}, {"choice", "已选"}, {"tone", "choose"}, {"blank", false}});
    }
    return rows;
  }
  for (std::size_t c = 0; c < shape.contests.size() && c < choices.size(); ++c) {
    const auto& contest = shape.contests[c];
    std::string choice = "未选";
    std::string tone = "blank";
    for (std::size_t s = 0; s < contest.selections.size() && s < choices[c].size(); ++s) {
      if (choices[c][s] == 0) continue;
      choice = contest.selections[s].label;
      tone = tone_of(definition.kind, contest.selections[s].id);
    }
    rows.push_back(
        {{"title", contest_title(contest)}, {"choice", choice}, {"tone", tone}, {"blank", tone == "blank"}});
  }
  return rows;
}

json SeatModel::review_view() const {
  const auto& definition = screen_->definition();
  const auto& shape = definition.shape;
  const auto& choices = screen_->choices();
  const json rows = choice_rows(choices);
  std::string summary;
  if (definition.kind == session::VoteKind::choose) {
    const auto& contest = shape.contests.front();
    const std::uint32_t chosen = chosen_in(choices, 0);
    summary = chosen == 0 ? "您没有选择任何项目（未选）。"
                          : "您选择了 " + std::to_string(chosen) + " 项（最多可选 " +
                                std::to_string(contest.max_selected) + " 项）。";
  } else {
    const auto blank = std::count_if(rows.begin(), rows.end(), [](const json& row) { return row["blank"]; });
    summary = blank == 0 ? "每一项都已选择。" : "有 " + std::to_string(blank) + " 项未选，将记为未表态。";
  }
  const bool ready = prepared_.has_value();
  return {{"vote_title", definition.vote_title},
          {"heading", "请核对您的选择（尚未投出）"},
          {"summary", summary},
          {"held", vote_held_},
          {"rows", rows},
          {"ready", ready},
          {"fingerprint_label", "选票指纹"},
          {"fingerprint", ready ? prepared_->fingerprint() : ""},
          {"fingerprint_text",
           ready ? "确认码将与此指纹相同；按“核验此票”可检查加密是否如实。" : "正在加密选票，请稍候…"},
          {"challenge_label", "核验此票"}};
}

json SeatModel::challenge_warning_view() const {
  return {{"fingerprint_label", "选票指纹"},
          {"fingerprint", prepared_ ? prepared_->fingerprint() : ""},
          {"points", json::array({"核验的选票不计入表决，它将作废。核验后您须重新选择并投票。",
                                  "核验时，这张选票的全部选择和加密用的随机数将公开，连同您的代表编号（" +
                                      deputy_id_ + "）和本席位终端编号，记入审计日志，任何人都能查看。",
                                  "因此，如不希望公开真实意向，请先按“返回”，改选与真实意向不同的选择后再核验；"
                                  "核验后重新投出的选票仍然保密。",
                                  "核验检查的是：本席位是否如实加密了屏幕上显示的选择。"})},
          {"confirm_label", "确认核验"},
          {"back_label", "返回"}};
}

json SeatModel::challenge_result_view() const {
  return {
      {"verified", "✓ 核验通过：这张选票如实加密了以下选择"},
      {"rows", choice_rows(challenge_->choices)},
      {"fingerprint_label", "选票指纹"},
      {"fingerprint", challenge_->fingerprint},
      {"text", "这张选票已作废，不计入表决。它的选择和随机数已记入审计日志第 " +
                   std::to_string(challenge_->index) + " 条；您或审计人员可凭指纹在日志中核对。您还没有投票。"},
      {"done_label", "重新投票"}};
}

json SeatModel::waiting_view() const {
  json agenda = json::array();
  for (const auto& vote : status_.value("votes", json::array())) {
    if (!vote.is_object()) continue;
    const std::string id = text_of(vote, "vote_id");
    const auto* definition = session_.find_vote(id);
    agenda.push_back(
        {{"title", definition != nullptr ? definition->title : id}, {"state", text_of(vote, "state_zh")}});
  }
  const bool voted_now =
      open_vote_ && voted_.count(vote_key(deputy_id_, open_vote_->vote_id, open_vote_->round)) != 0;
  return {{"heading", voted_now ? "本轮您已投票，请等待下一项表决" : "请等待表决开始"},
          {"present", status_.value("present", 0)},
          {"in_office", status_.value("in_office", 0)},
          {"agenda", agenda}};
}

json SeatModel::view() const {
  json view{{"page", std::string(to_string(page_))}, {"version", version_}, {"large_text", large_text_},
            {"session", session_.info.body},         {"notice", notice_},   {"connected", connected_}};
  if (!connected_) {
    view["connection_text"] = screen_ ? "正在重新连接，您的选择已保存，请勿离开" : "正在重新连接服务器…";
  }
  if (signed_in_now()) view["deputy"] = {{"name", who_.name}, {"seat", who_.seat}};
  switch (page_) {
    case SeatPage::insert_card:
      view["heading"] = "请插入代表证";
      break;
    case SeatPage::pin:
      view["heading"] = "请输入代表证密码";
      view["pin"] = {{"entered", pin_.size()}, {"length", kPinLength}};
      if (const auto* deputy = session_.find_deputy(card_deputy_)) {
        view["card"] = {{"name", deputy->name}, {"seat", deputy->seat}, {"delegation", deputy->delegation}};
      }
      break;
    case SeatPage::locked:
      view["heading"] = "代表证已锁定";
      view["text"] = "密码连续输错3次，代表证已锁定。请联系工作人员解锁。";
      break;
    case SeatPage::signing_in:
      view["heading"] = "正在签到，请稍候";
      break;
    case SeatPage::waiting:
      view["heading"] = "签到成功";
      view["waiting"] = waiting_view();
      break;
    case SeatPage::ballot:
      view["heading"] = screen_->definition().vote_title;
      view["ballot"] = ballot_view();
      break;
    case SeatPage::review:
      view["heading"] = "请核对您的选择（尚未投出）";
      view["review"] = review_view();
      break;
    case SeatPage::challenge_warning:
      view["heading"] = "核验此票：请先阅读";
      view["challenge"] = challenge_warning_view();
      break;
    case SeatPage::challenging:
      view["heading"] = "正在核验，请稍候";
      view["text"] = "正在公开这张选票的随机数，并核对审计日志的记录。";
      break;
    case SeatPage::challenge_result:
      view["heading"] = "核验完成";
      if (challenge_) view["challenge"] = challenge_result_view();
      break;
    case SeatPage::sending:
      view["heading"] = "正在投出，请稍候";
      view["text"] = "选票正在发送，并核验回执。";
      break;
    case SeatPage::receipt:
      view["heading"] = "投票成功";
      if (receipt_) {
        const auto* vote = session_.find_vote(receipt_->vote_id);
        view["receipt"] = {{"code", receipt_->confirmation_code},
                           {"vote_title", vote != nullptr ? vote->title : receipt_->vote_id},
                           {"round", receipt_->round},
                           {"recorded", "已记录"},
                           {"text", "您的选票已记入审计日志。请记下确认码，可在会后核对。"}};
      }
      break;
    case SeatPage::missed:
      view["heading"] = "本轮表决已结束";
      view["text"] = "表决结束前您没有按确认投票，本轮记为未按。";
      break;
    case SeatPage::failed:
      view["heading"] = "请联系工作人员";
      break;
  }
  return view;
}

}  // namespace hallvote::terminal
