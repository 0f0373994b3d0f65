// The ballot of one round of one vote, as the server issues it and the presidium approves it
// (docs/protocol.md §5). Its canonical JSON is hashed into the vote's base hash, which every ballot proof,
// approval and the server's issuing signature are bound to.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/session/ballot_shape.h"
#include "hallvote/session/definition.h"

namespace hallvote::protocol {

using BaseHash = std::array<std::uint8_t, 32>;

struct BallotDefinition {
  std::string session_id;
  std::string session_body;  // 会议名称, shown on the ballot
  std::string vote_title;
  std::string description;  // the vote's 说明 from the session file; "" when it has none
  session::VoteKind kind = session::VoteKind::per_item;
  session::BallotShape shape;                   // vote id, round, contests, aggregate limit
  std::array<std::uint8_t, 32> election_key{};  // the presidium's joint ElGamal key K
  bool replacement_allowed = false;

  // The canonical JSON text (keys sorted, no whitespace): the bytes that are hashed.
  [[nodiscard]] std::string canonical_json() const;
  // SHA-256 of HashInput("ballot-definition").add(canonical_json()).
  [[nodiscard]] BaseHash base_hash() const;
  // Parses and validates canonical JSON (every field, no field beyond them, UTF-8 text within the byte limits
  // of ballot_shape.h, contest limits within crypto's bounds). Errors name the field: ProtocolErrc::malformed.
  [[nodiscard]] static Result<BallotDefinition> from_json(std::string_view text);
};

// The definition of `round` of `vote` for `session`, to be approved and issued.
[[nodiscard]] BallotDefinition make_ballot_definition(const session::SessionDefinition& session,
                                                      const session::VoteDefinition& vote,
                                                      const session::RoundSpec& round,
                                                      const std::array<std::uint8_t, 32>& election_key);

// The bytes a presidium member signs to approve a ballot, and the bytes the server signs to issue it.
[[nodiscard]] crypto::Bytes approval_message(const BaseHash& base_hash);
[[nodiscard]] crypto::Bytes issue_message(const BaseHash& base_hash);

struct Approval {
  std::string official_id;
  crypto::Signature signature{};
};

// What a terminal receives: the definition, the presidium approvals and the server's signature.
struct SignedBallot {
  BallotDefinition definition;
  std::vector<Approval> approvals;
  crypto::Signature server_signature{};

  [[nodiscard]] std::string to_json() const;
  [[nodiscard]] static Result<SignedBallot> from_json(std::string_view text);
};

// Checks an approval: the official is on the key committee and the signature verifies. invalid_approval.
[[nodiscard]] Status verify_approval(const session::KeyCommittee& committee, const BaseHash& base_hash,
                                     const Approval& approval);

// What a terminal checks before it shows a ballot: the server's signature, and approvals by at least `quorum`
// distinct key-committee members. invalid_approval / wrong_credential naming what failed.
[[nodiscard]] Status verify_signed_ballot(const SignedBallot& ballot, const crypto::VerifyKey& server_key,
                                          const session::KeyCommittee& committee);

}  // namespace hallvote::protocol
