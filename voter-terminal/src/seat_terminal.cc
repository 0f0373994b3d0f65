#include "hallvote/terminal/seat_terminal.h"

#include <thread>

#include "hallvote/hall/log_extension.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/protocol/events.h"
#include "hallvote/protocol/json_fields.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/entry.h"

namespace hallvote::terminal {

using protocol::MessageType;
using protocol::ProtocolErrc;

namespace {

// A string field of a server answer, or "" when absent or of another type (the caller then refuses it).
std::string text_of(const nlohmann::json& body, const char* name) {
  return protocol::json_fields::text_or_empty(body, name);
}

}  // namespace

Result<protocol::Response> SeatTerminal::exchange(MessageType type, nlohmann::json fields,
                                                  std::chrono::milliseconds timeout) {
  const crypto::Bytes frame = protocol::encode_request(type, std::move(fields));
  Result<crypto::Bytes> answer = fail(ProtocolErrc::internal, "not sent");
  for (int attempt = 0; attempt < std::max(1, config_.send_attempts); ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(config_.retry_backoff * attempt);
    answer = transport_.call(frame, timeout);
    if (answer) break;
  }
  if (!answer) return forward(answer.error());
  return protocol::decode_response(*answer);
}

SeatTerminal::SeatTerminal(const TerminalConfig& config, Transport& transport, crypto::RandomSource& random)
    : config_(config), transport_(transport), random_(random) {
  if (config_.pending_store == nullptr) return;
  auto kept = config_.pending_store->load_checkpoint();
  if (!kept) {
    checkpoint_problem_ = kept.error().message();
  } else if (*kept && (*kept)->origin != config_.log_key.name) {
    checkpoint_problem_ = "本终端保存的检查点属于另一个日志（" + (*kept)->origin +
                          "），未采用 / the kept checkpoint is of another log";
  } else {
    last_checkpoint_ = std::move(*kept);
  }
}

Result<protocol::Response> SeatTerminal::request(MessageType type, nlohmann::json fields,
                                                 std::chrono::milliseconds timeout) {
  auto response = exchange(type, std::move(fields), timeout);
  if (!response) return forward(response.error());
  if (!response->ok) return fail(*response->error, response->detail);
  return response;
}

Result<SignedIn> SeatTerminal::sign_in(hardware::CardReader& card, std::string_view pin) {
  auto identity = card.identity();
  if (!identity) return forward(identity.error());
  const auto* deputy = config_.session->find_deputy(identity->deputy_id);
  if (deputy == nullptr || deputy->credential_key != identity->credential.hex()) {
    return fail(ProtocolErrc::unknown_deputy, "代表证与名册不符 / the card does not match the roster");
  }
  if (auto ok = card.verify_pin(pin); !ok) return forward(ok.error());
  auto challenge = request(MessageType::challenge, nlohmann::json::object());
  if (!challenge) return forward(challenge.error());
  auto nonce = crypto::from_hex(text_of(challenge->body, "nonce"));
  if (!nonce || nonce->size() != 32) return fail(ProtocolErrc::malformed, "challenge.nonce");
  auto signature = card.sign(protocol::sign_in_message(config_.session->info.id, config_.terminal_id, *nonce));
  if (!signature) return forward(signature.error());
  auto signed_in = request(MessageType::sign_in,
                           {{"deputy_id", identity->deputy_id}, {"signature", crypto::to_hex(*signature)}});
  if (!signed_in) return forward(signed_in.error());
  deputy_id_ = identity->deputy_id;
  // Another deputy's unconfirmed ballot stays in the store for their next sign-in here.
  if (pending_ && pending_->deputy_id != deputy_id_) pending_.reset();
  return SignedIn{deputy_id_, deputy->name, deputy->seat};
}

Result<std::optional<protocol::SignedBallot>> SeatTerminal::wait_for_ballot(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const auto wait_ms = std::max<std::int64_t>(0, left.count());
    auto response = request(MessageType::fetch_ballot, {{"deputy_id", deputy_id_}, {"wait_ms", wait_ms}},
                            std::chrono::milliseconds(wait_ms) + std::chrono::seconds(10));
    if (!response) return forward(response.error());
    const auto& ballot = response->body["ballot"];
    if (!ballot.is_null()) {
      auto signed_ballot = protocol::SignedBallot::from_json(ballot.dump());
      if (!signed_ballot) return forward(signed_ballot.error());
      if (signed_ballot->definition.session_id != config_.session->info.id) {
        return fail(ProtocolErrc::wrong_vote, "选票不属于本次会议 / ballot of another session");
      }
      if (auto ok = protocol::verify_signed_ballot(*signed_ballot, config_.server_key,
                                                   config_.session->key_committee);
          !ok) {
        return forward(ok.error());
      }
      return std::optional<protocol::SignedBallot>(std::move(*signed_ballot));
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::optional<protocol::SignedBallot>();
  }
}

Result<PreparedBallot> SeatTerminal::prepare(const BallotScreen& screen, hardware::CardReader& card) {
  if (auto ok = screen.ready(); !ok) return forward(ok.error());
  if (pending_) {
    return fail(ProtocolErrc::wrong_state, "已投出的选票（" + pending_->vote_id +
                                               "）尚未确认，须先重发 / a ballot sent (" + pending_->vote_id +
                                               ") awaits its receipt: resend it first");
  }
  auto identity = card.identity();
  if (!identity) return forward(identity.error());
  PreparedBallot prepared;
  auto ballot = protocol::encrypt_ballot(screen.definition(), deputy_id_, identity->credential,
                                         screen.choices(), random_, &prepared.nonces_);
  if (!ballot) return forward(ballot.error());
  prepared.ballot_ = ballot->encode();
  auto signed_by_card = card.sign(protocol::cast_signing_message(prepared.ballot_));
  if (!signed_by_card) return forward(signed_by_card.error());
  prepared.signature_ = *signed_by_card;
  prepared.definition_ = screen.definition();
  prepared.deputy_id_ = deputy_id_;
  prepared.choices_ = screen.choices();
  prepared.fingerprint_ =
      protocol::confirmation_code(protocol::ballot_hash(prepared.ballot_, prepared.signature_));
  return prepared;
}

Result<CastReceipt> SeatTerminal::cast(PreparedBallot prepared) {
  if (prepared.deputy_id_ != deputy_id_ || deputy_id_.empty()) {
    return fail(ProtocolErrc::wrong_state, "选票不属于已签到的代表 / the ballot is not the signed-in deputy's");
  }
  if (prepared.challenged_) {
    return fail(ProtocolErrc::wrong_state, "已核验的选票不能投出 / a challenged ballot can never be cast");
  }
  if (pending_) {
    return fail(ProtocolErrc::wrong_state, "上一张选票（" + pending_->vote_id +
                                               "）尚未确认，须先重发 / an earlier ballot (" +
                                               pending_->vote_id + ") awaits its receipt: resend it first");
  }
  prepared.nonces_.clear();  // a ballot that may count never reveals its nonces: wiped before it is sent
  auto pending = PendingCast::of(std::move(prepared.ballot_), prepared.signature_);
  if (!pending) return forward(pending.error());
  // Kept durably before it is sent: if the answer is lost, even with this process, it can be resent.
  if (config_.pending_store != nullptr) {
    if (auto kept = config_.pending_store->save(*pending); !kept) {
      return fail(kept.error().code,
                  "选票未能保存，未发送 / the ballot could not be kept, not sent: " + kept.error().detail);
    }
  }
  pending_ = std::move(*pending);
  return send_pending();
}

Result<CastReceipt> SeatTerminal::cast(const BallotScreen& screen, hardware::CardReader& card) {
  if (auto ok = screen.ready(); !ok) return forward(ok.error());
  const protocol::BaseHash base_hash = screen.definition().base_hash();
  if (pending_ && (pending_->base_hash != base_hash || pending_->deputy_id != deputy_id_)) {
    return fail(ProtocolErrc::wrong_state, "上一张选票（" + pending_->vote_id +
                                               "）尚未确认，须先重发 / an earlier ballot (" +
                                               pending_->vote_id + ") awaits its receipt: resend it first");
  }
  if (pending_) return send_pending();
  auto prepared = prepare(screen, card);
  if (!prepared) return forward(prepared.error());
  return cast(std::move(*prepared));
}

Result<ChallengeResult> SeatTerminal::challenge(PreparedBallot& prepared) {
  if (prepared.deputy_id_ != deputy_id_ || deputy_id_.empty()) {
    return fail(ProtocolErrc::wrong_state, "选票不属于已签到的代表 / the ballot is not the signed-in deputy's");
  }
  prepared.challenged_ = true;  // from here on its nonces may be public
  const protocol::ChallengeReveal sent = protocol::reveal(prepared.choices_, prepared.nonces_);
  nlohmann::json fields{{"vote_id", prepared.vote_id()},
                        {"ballot", crypto::to_hex(prepared.ballot_)},
                        {"signature", crypto::to_hex(prepared.signature_)},
                        {"choices", sent.choices_json()},
                        {"nonces", sent.nonces_json()}};
  if (last_checkpoint_) fields["known_size"] = last_checkpoint_->size;
  auto response = request(MessageType::challenge_ballot, std::move(fields));
  if (!response) return forward(response.error());
  auto logged = verified_entry(response->body);
  if (!logged) return forward(logged.error());
  const auto alarm = [](const std::string& why) {
    return fail(ProtocolErrc::wrong_credential,
                "核验失败，请立即报告会务负责人 / CHALLENGE FAILED, report to the staff at once: " + why);
  };
  auto entry = protocol::decode_as<protocol::BallotChallenged>(logged->entry.type, logged->entry.payload);
  if (!entry || entry->ballot != prepared.ballot_ || entry->signature != prepared.signature_ ||
      entry->ballot_hash != protocol::ballot_hash(prepared.ballot_, prepared.signature_)) {
    return alarm("日志记录的不是本选票的核验 / the log entry is not the challenge of this ballot");
  }
  // The seat's own check, from the logged entry alone: the revealed nonces re-encrypt the logged choices to
  // every ciphertext, and those are the choices the deputy saw.
  auto ballot = protocol::CastBallot::decode(entry->ballot, prepared.definition_);
  if (!ballot) return alarm(ballot.error().detail);
  if (auto ok = protocol::verify_reveal(prepared.definition_, *ballot, entry->reveal); !ok)
    return alarm(ok.error().detail);
  if (entry->reveal.choices != prepared.choices_) {
    return alarm("加密的选择与屏幕显示的不同 / the ballot encrypts other choices than those shown");
  }
  return ChallengeResult{prepared.fingerprint_, logged->index,    logged->receipt,
                         prepared.vote_id(),    prepared.round(), std::move(entry->reveal.choices)};
}

Result<std::optional<CastReceipt>> SeatTerminal::resend_pending() {
  if (!pending_ && config_.pending_store != nullptr && !deputy_id_.empty()) {
    auto kept = config_.pending_store->load(deputy_id_);
    if (!kept) return forward(kept.error());
    pending_ = std::move(*kept);
  }
  if (!pending_) return std::optional<CastReceipt>();
  auto receipt = send_pending();
  if (!receipt) return forward(receipt.error());
  return std::optional<CastReceipt>(std::move(*receipt));
}

Status SeatTerminal::forget_pending() {
  const std::string deputy = pending_->deputy_id;
  pending_.reset();
  if (config_.pending_store == nullptr) return {};
  return config_.pending_store->remove(deputy);
}

Result<CastReceipt> SeatTerminal::send_pending() {
  const PendingCast& pending = *pending_;
  nlohmann::json fields{{"vote_id", pending.vote_id},
                        {"ballot", crypto::to_hex(pending.ballot)},
                        {"signature", crypto::to_hex(pending.signature)}};
  if (last_checkpoint_) fields["known_size"] = last_checkpoint_->size;
  auto response = exchange(MessageType::cast, std::move(fields));
  if (!response) return forward(response.error());
  if (!response->ok) {
    const Error refusal{make_error_code(*response->error), response->detail};
    // A refusal means the log does not hold this ballot (the server answers one it holds with its receipt,
    // §4.2.5 step 2); `internal` may be a failure after the append, so that ballot is kept for a resend.
    if (*response->error != ProtocolErrc::internal) {
      if (auto forgotten = forget_pending(); !forgotten) {
        return fail(refusal.code, refusal.detail +
                                      "（待确认选票未能删除 / the pending ballot could not be "
                                      "removed: " +
                                      forgotten.error().detail + "）");
      }
    }
    return forward(refusal);
  }
  // The receipt must show this very ballot in the log, under a checkpoint the log key signed.
  const auto hash = protocol::ballot_hash(pending.ballot, pending.signature);
  auto logged = verified_entry(response->body);
  if (!logged) return forward(logged.error());
  auto cast = protocol::decode_as<protocol::BallotCast>(logged->entry.type, logged->entry.payload);
  if (!cast || cast->ballot_hash != hash) {
    return fail(ProtocolErrc::wrong_credential, "回执记录的不是本选票 / the receipt is not for this ballot");
  }
  CastReceipt confirmed{
      protocol::confirmation_code(hash), logged->index, logged->receipt, pending.vote_id, pending.round, {}};
  if (auto forgotten = forget_pending(); !forgotten) {
    confirmed.warning =
        "待确认选票文件未能删除，下次启动将重发（得到同一回执）/ the pending ballot file could not be "
        "removed; it will be resent at the next start (for the same receipt): " +
        forgotten.error().detail;
  }
  return confirmed;
}

Result<SeatTerminal::Logged> SeatTerminal::verified_entry(const nlohmann::json& body) {
  const std::string text = text_of(body, "receipt");
  auto receipt = audit::Receipt::parse(text);
  if (!receipt) return fail(ProtocolErrc::malformed, "receipt: " + receipt.error().detail);
  // The checkpoint may already carry the key committee's cosignatures: check those too.
  std::vector<audit::NoteKey> cosigners;
  for (const auto& member : config_.session->key_committee.members) {
    if (auto key = crypto::VerifyKey::from_hex(member.public_key)) {
      cosigners.push_back({config_.log_key.name + "/" + member.id, audit::kNoteCosignature, *key});
    }
  }
  auto verified = audit::verify_receipt(*receipt, config_.log_key, cosigners);
  if (!verified) {
    return fail(ProtocolErrc::wrong_credential,
                "回执校验失败 / receipt does not verify: " + verified.error().detail);
  }
  if (auto ok = check_extends(verified->checkpoint, body); !ok) return forward(ok.error());
  auto entry = audit::decode(receipt->entry);
  if (!entry)
    return fail(ProtocolErrc::wrong_credential, "回执中的条目无法解码 / the receipt's entry does not decode");
  if (!last_checkpoint_ || verified->checkpoint.size > last_checkpoint_->size) {
    last_checkpoint_ = verified->checkpoint;
    if (config_.pending_store != nullptr) {
      // The receipt stands whether or not its checkpoint could be kept; the staff are told through the problem.
      if (auto kept = config_.pending_store->save_checkpoint(*last_checkpoint_); !kept) {
        checkpoint_problem_ = kept.error().message();
      }
    }
  }
  return Logged{std::move(*entry), receipt->index, text};
}

Status SeatTerminal::check_extends(const audit::Checkpoint& next, const nlohmann::json& body) const {
  if (!last_checkpoint_) return {};
  const audit::Checkpoint& held = *last_checkpoint_;
  const auto alarm = [&](const std::string& why) {
    return fail(
        ProtocolErrc::wrong_credential,
        "警报：服务器的审计日志没有延续本终端已持有的检查点（" + std::to_string(held.size) +
            " 条），日志可能被回退或分叉，请立即报告会务负责人 / ALARM: the server's audit log does not "
            "extend the checkpoint this terminal holds (" +
            std::to_string(held.size) +
            " entries; it was rolled back or forked): report to the staff at "
            "once. " +
            why);
  };
  if (auto ok = setup::answer_extends(held, next, body); !ok) return alarm(ok.error().detail);
  return {};
}

Result<nlohmann::json> SeatTerminal::status() {
  auto response = request(MessageType::status, nlohmann::json::object());
  if (!response) return forward(response.error());
  return response->body;
}

}  // namespace hallvote::terminal
