// Error codes of the hall protocol (docs/protocol.md §4). Each is a rejection the server sends back, by name,
// and (for casting attempts) records in the audit log; none changes any state.
#pragma once

#include <string_view>
#include <system_error>

namespace hallvote::protocol {

enum class ProtocolErrc {
  malformed = 1,        // not a message of this protocol: bad JSON, a missing or mistyped field
  unsupported_version,  // a protocol version this server does not speak
  unknown_message,      // a message type that does not exist
  forbidden,            // the sender's role may not send this message (e.g. a chair command from a seat)
  wrong_state,          // the session or vote is not in a state that allows this (e.g. a ballot after close)
  unknown_deputy,       // not on the roster, or not in office
  wrong_credential,     // the signature is not by the deputy's credential key
  stale_challenge,      // a sign-in that does not answer this connection's current challenge (replay)
  not_signed_in,        // the deputy is not signed in at this terminal
  signed_in_elsewhere,  // the deputy is signed in at another terminal
  wrong_vote,           // a ballot for another vote or round than the one open
  not_issued,           // a ballot cast without the ballot having been issued to this deputy
  already_cast,         // a second, different ballot where replacement is not allowed
  invalid_ballot,       // the ballot's proofs do not verify (an overvote, a tampered ciphertext …)
  invalid_approval,     // a presidium approval signature that does not verify or is not a member's
  invalid_share,        // a partial decryption whose proofs do not verify (the trustee is named)
  internal,             // the server could not complete the request (storage failed); nothing was acknowledged
  invalid_certification,  // a certification of a tally report the log or the signing order refuses: a report
                          // that does not match the log's result entry, a bad signature, out of order, repeated
  ballot_challenged,   // a cast of a challenged ballot (its bytes or any of its ciphertexts), or a challenge of
                       // a ballot whose ciphertexts another challenged ballot already revealed
  challenge_mismatch,  // the revealed nonces and choices do not reproduce the challenged ballot's ciphertexts
};

const std::error_category& protocol_category() noexcept;

inline std::error_code make_error_code(ProtocolErrc e) noexcept {
  return {static_cast<int>(e), protocol_category()};
}

// The stable wire name of a code ("already_cast"), and back.
[[nodiscard]] std::string_view wire_name(ProtocolErrc code) noexcept;
[[nodiscard]] bool parse_wire_name(std::string_view name, ProtocolErrc& out) noexcept;

}  // namespace hallvote::protocol

template <>
struct std::is_error_code_enum<hallvote::protocol::ProtocolErrc> : std::true_type {};
