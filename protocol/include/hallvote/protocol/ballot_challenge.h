// Cast-or-challenge (a Benaloh challenge, docs/crypto.md §5.6, docs/protocol.md §4.2.7): a prepared ballot that
// the deputy challenges instead of casting reveals its encryption nonces and the choices it encrypts; anyone
// then re-encrypts each choice with its nonce and must obtain the ballot's ciphertext exactly. A challenged
// ballot is never counted and never cast; the nonces of a cast ballot are never revealed.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/group.h"
#include "hallvote/protocol/cast_ballot.h"

namespace hallvote::protocol {

// BallotNonces (cast_ballot.h): per contest, per selection, the r with (α, β) = (r·B, m·B + r·K). Wiped on
// destruction (SecretScalar). Revealed only by a challenge.

// What a challenge reveals, in ballot order: the choices (0/1) and the nonces, now public.
struct ChallengeReveal {
  Choices choices;
  std::vector<std::vector<crypto::Scalar>> nonces;

  // {"choices": [[0|1, …], …], "nonces": [[hex(32), …], …]}, one inner array per contest.
  [[nodiscard]] nlohmann::json choices_json() const;
  [[nodiscard]] nlohmann::json nonces_json() const;
  // Reads both arrays (the fields "choices" and "nonces" of `object`); malformed naming the field when an
  // array is missing or mistyped, a choice is not 0 or 1, a nonce is not 64 hex digits of a canonical scalar,
  // or the two arrays differ in shape. At most 1,024 contests of at most 1,024 selections.
  [[nodiscard]] static Result<ChallengeReveal> from_json(const nlohmann::json& object,
                                                         const std::string& where);
};

// The reveal of a prepared ballot: its choices and a copy of its secret nonces.
[[nodiscard]] ChallengeReveal reveal(const Choices& choices, const BallotNonces& nonces);

// Checks that `reveal` opens `ballot` (decoded against `definition`): the same number of contests and of
// selections in each as the definition, every choice 0 or 1, each contest's choices within its limits and the
// aggregate limit, and Enc(choice; nonce) = (nonce·B, choice·B + nonce·K) equal to the ballot's ciphertext for
// every selection. challenge_mismatch naming the first contest and selection that differs; invalid_ballot for
// choices outside the limits.
[[nodiscard]] Status verify_reveal(const BallotDefinition& definition, const CastBallot& ballot,
                                   const ChallengeReveal& reveal);

// The ciphertexts of a ballot, each as its 64-byte encoding in hex (the server's and the auditor's key for
// "this ciphertext belongs to a challenged ballot").
[[nodiscard]] std::vector<std::string> ciphertext_keys(const CastBallot& ballot);

}  // namespace hallvote::protocol
