// The hall protocol's messages (docs/protocol.md §3–4): one JSON object per frame, versioned.
//   request:  {"v":1,"type":"<type>", …fields}
//   response: {"v":1,"ok":true, …fields}  or  {"v":1,"ok":false,"error":"<wire name>","detail":"…"}
// Decoding validates the envelope (version, type, object); each handler validates its own fields.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::protocol {

inline constexpr std::uint64_t kProtocolVersion = 1;
inline constexpr std::size_t kMaxMessageBytes = 256 * 1024;

// Who is on the other end, as the hall CA certified it (the TLS client certificate).
// display: the hall's big screen, which reads the public state only (status, progress, result).
enum class Role { terminal, staff, chair, presidium, display };
// "座席终端", "会务人员", "主持人", "主席团成员或监票人", "会场大屏".
[[nodiscard]] std::string_view display_name_zh(Role role) noexcept;

struct Peer {
  std::string id;  // terminal id or operator id from the certificate
  Role role = Role::terminal;
};

enum class MessageType {
  // seat terminals
  status,            // session state, 应到/实到, the open vote
  challenge,         // a fresh sign-in nonce for this connection
  sign_in,           // {deputy_id, signature}: the card's signature over sign_in_message(...)
  fetch_ballot,      // {deputy_id, wait_ms}: the signed ballot of the open vote (long poll)
  cast,              // {ballot: hex, signature: hex}: an encrypted ballot signed by the deputy's card
  challenge_ballot,  // {vote_id, ballot, signature, choices, nonces}: 核验此票, a prepared ballot revealed
                     // instead of cast (§4.2.7)
  // hall staff and the chair
  open_sign_in,
  start_session,
  prepare_vote,   // {vote_id}: build the ballot definition of the vote's next round
  open_vote,      // {vote_id}
  hold_vote,      // {vote_id, reason}
  resume_vote,    // {vote_id}
  close_vote,     // {vote_id}
  close_session,  // {}: 闭会, when no vote is open or held
  attendance,
  progress,  // {vote_id}
  // presidium members and scrutineers
  ballot_definition,  // {vote_id}: the prepared definition to approve
  approve_vote,       // {vote_id, official_id, signature}
  tally,              // {vote_id}: the closed vote's homomorphic tally, to decrypt
  submit_share,       // {vote_id, official_id, share}: a trustee's partial decryption with proofs
  result,             // {vote_id}: the decrypted counts and the rules engine's verdicts
  checkpoint,         // {}: a signed checkpoint of the whole log as it stands (C2SP signed note)
  cosign,             // {size, name, key_id, signature}: a key-committee member's tlog-cosignature of it
  certify,            // {vote_id, round, official_id, result_sequence, result_hash, signature}: a member's
                      // certification of a decrypted round's tally report (protocol/certification.h)
  decide,             // {decision, official_id, signature}: a presidium member's signature over a decision
                      // (protocol/presidium_decision.h)
};

[[nodiscard]] std::string_view to_string(MessageType type) noexcept;
[[nodiscard]] std::string_view to_string(Role role) noexcept;
[[nodiscard]] bool parse_role(std::string_view text, Role& out) noexcept;

// Whether `role` may send `type` (docs/protocol.md §4.1).
[[nodiscard]] bool allowed(Role role, MessageType type) noexcept;

struct Request {
  MessageType type = MessageType::status;
  nlohmann::json body;  // the whole object, envelope fields included
};

[[nodiscard]] crypto::Bytes encode_request(MessageType type, nlohmann::json fields = nlohmann::json::object());
// malformed / unsupported_version / unknown_message; never throws.
[[nodiscard]] Result<Request> decode_request(crypto::ByteView frame);

struct Response {
  bool ok = false;
  nlohmann::json body;
  std::optional<ProtocolErrc> error;
  std::string detail;
};

[[nodiscard]] crypto::Bytes encode_ok(nlohmann::json fields = nlohmann::json::object());
[[nodiscard]] crypto::Bytes encode_error(const Error& error);
[[nodiscard]] Result<Response> decode_response(crypto::ByteView frame);

// The 32 bytes a deputy's card signs to sign in: SHA-256 of HashInput("sign-in").add(session).add(terminal)
// .add(nonce) (a fixed-size digest: OpenPGP cards sign at most 512 bytes; docs/protocol.md §4.2.3).
[[nodiscard]] crypto::Bytes sign_in_message(std::string_view session_id, std::string_view terminal_id,
                                            crypto::ByteView nonce);

}  // namespace hallvote::protocol
