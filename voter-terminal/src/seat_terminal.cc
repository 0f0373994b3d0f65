#include "hallvote/terminal/seat_terminal.h"

#include <thread>

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

Result<protocol::Response> SeatTerminal::request(MessageType type, nlohmann::json fields,
                                                 std::chrono::milliseconds timeout) {
  const crypto::Bytes frame = protocol::encode_request(type, std::move(fields));
  Result<crypto::Bytes> answer = fail(ProtocolErrc::internal, "not sent");
  for (int attempt = 0; attempt < std::max(1, config_.send_attempts); ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(config_.retry_backoff * attempt);
    answer = transport_.call(frame, timeout);
    if (answer) break;
  }
  if (!answer) return forward(answer.error());
  auto response = protocol::decode_response(*answer);
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

Result<CastReceipt> SeatTerminal::cast(const BallotScreen& screen, hardware::CardReader& card) {
  if (auto ok = screen.ready(); !ok) return forward(ok.error());
  const protocol::BaseHash base_hash = screen.definition().base_hash();
  if (!pending_ || pending_->base_hash != base_hash || pending_->deputy_id != deputy_id_) {
    auto identity = card.identity();
    if (!identity) return forward(identity.error());
    auto ballot = protocol::encrypt_ballot(screen.definition(), deputy_id_, identity->credential,
                                           screen.choices(), random_);
    if (!ballot) return forward(ballot.error());
    crypto::Bytes bytes = ballot->encode();
    auto signed_by_card = card.sign(protocol::cast_signing_message(bytes));
    if (!signed_by_card) return forward(signed_by_card.error());
    pending_ = PendingCast{base_hash, deputy_id_, std::move(bytes), *signed_by_card};
  }
  const crypto::Bytes& bytes = pending_->ballot;
  const crypto::Signature* signature = &pending_->signature;
  auto response = request(MessageType::cast, {{"vote_id", screen.definition().shape.vote_id},
                                              {"ballot", crypto::to_hex(bytes)},
                                              {"signature", crypto::to_hex(*signature)}});
  if (!response) return forward(response.error());
  // The receipt must show this very ballot in the log, under a checkpoint the log key signed.
  const std::string expected_hash = crypto::to_hex(protocol::ballot_hash(bytes, *signature));
  auto receipt = audit::Receipt::parse(text_of(response->body, "receipt"));
  if (!receipt) return fail(ProtocolErrc::malformed, "receipt: " + receipt.error().detail);
  // The checkpoint may already carry the key committee's cosignatures: check those too.
  std::vector<audit::NoteKey> cosigners;
  for (const auto& member : config_.session->key_committee.members) {
    if (auto key = crypto::VerifyKey::from_hex(member.public_key)) {
      cosigners.push_back({config_.log_key.name + "/" + member.id, audit::kNoteCosignature, *key});
    }
  }
  if (auto ok = audit::verify_receipt(*receipt, config_.log_key, cosigners); !ok) {
    return fail(ProtocolErrc::wrong_credential, "回执校验失败 / receipt does not verify: " + ok.error().detail);
  }
  auto entry = audit::decode(receipt->entry);
  auto cast = entry ? protocol::decode_as<protocol::BallotCast>(entry->type, entry->payload)
                    : Result<protocol::BallotCast>(tl::unexpected(entry.error()));
  if (!cast || crypto::to_hex(cast->ballot_hash) != expected_hash) {
    return fail(ProtocolErrc::wrong_credential, "回执记录的不是本选票 / the receipt is not for this ballot");
  }
  CastReceipt confirmed{protocol::confirmation_code(crypto::from_hex_fixed<32>(expected_hash).value()),
                        receipt->index, text_of(response->body, "receipt")};
  pending_.reset();
  return confirmed;
}

Result<nlohmann::json> SeatTerminal::status() {
  auto response = request(MessageType::status, nlohmann::json::object());
  if (!response) return forward(response.error());
  return response->body;
}

}  // namespace hallvote::terminal
