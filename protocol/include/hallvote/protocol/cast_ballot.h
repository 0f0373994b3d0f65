// A deputy's encrypted ballot (docs/protocol.md §6): one encrypted contest per contest of the ballot shape,
// an optional proof for the aggregate limit ("at most k 满意"), bound to the vote's base hash and the deputy's
// credential, and signed with it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/contest.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/protocol/ballot_definition.h"

namespace hallvote::protocol {

struct CastBallot {
  std::string vote_id;
  std::uint32_t round = 0;
  std::string deputy_id;
  BaseHash base_hash{};
  std::vector<crypto::EncryptedContest> contests;
  std::optional<crypto::RangeProof> aggregate_proof;  // present exactly when the shape has an aggregate limit

  // "HVB1" ‖ str vote_id ‖ u32 round ‖ str deputy_id ‖ base_hash ‖ u32 n ‖ n × (u32 len ‖ contest) ‖
  // u8 has_aggregate ‖ [u32 len ‖ proof]; str = u32 len ‖ UTF-8.
  [[nodiscard]] crypto::Bytes encode() const;
  // Decodes against the ballot it answers (contest shapes); validates every point and scalar.
  [[nodiscard]] static Result<CastBallot> decode(crypto::ByteView bytes, const BallotDefinition& definition);
  // Reads only the header (vote_id, round, deputy_id, base_hash; no contests): what a terminal needs to resend
  // a ballot it kept without the definition it answers. ProtocolErrc::malformed naming the field.
  [[nodiscard]] static Result<CastBallot> decode_header(crypto::ByteView bytes);
};

// The 32 bytes the deputy's card signs: SHA-256 of HashInput("cast-ballot").add(encoded ballot) (a fixed-size
// digest: an encoded ballot exceeds the 512 bytes an OpenPGP card signs; docs/protocol.md §6.6).
[[nodiscard]] crypto::Bytes cast_signing_message(crypto::ByteView encoded_ballot);

// SHA-256 of HashInput("ballot-hash").add(encoded ballot).add(signature): what the log records and the
// receipt's confirmation code is made from.
[[nodiscard]] crypto::Sha256Digest ballot_hash(crypto::ByteView encoded_ballot,
                                               const crypto::Signature& signature);

// SHA-256 of HashInput("tally").add(encoding of each ciphertext, in ballot order): the tally entry's tally_hash
// (docs/protocol.md §4.5.1), which the server writes and the auditor recomputes.
[[nodiscard]] crypto::Sha256Digest tally_hash(std::span<const crypto::Ciphertext> tally);

// The code shown to the deputy: the first 80 bits of the ballot hash in Crockford base32, as
// XXXX-XXXX-XXXX-XXXX.
[[nodiscard]] std::string confirmation_code(const crypto::Sha256Digest& ballot_hash);

// A deputy's choices: for each contest, one 0/1 per selection.
using Choices = std::vector<std::vector<std::uint8_t>>;

// The secret nonces of an encrypted ballot, per contest, per selection (ballot_challenge.h).
using BallotNonces = std::vector<std::vector<crypto::SecretScalar>>;

// Encrypts `choices` for `definition` and `voter` (the deputy's credential public key). Fails with
// ProtocolErrc::invalid_ballot naming the contest when a contest's choices break its limits, or the aggregate
// limit is exceeded. The nonces are wiped before returning unless `nonces` asks for them (a ballot prepared
// for cast-or-challenge keeps them until the deputy decides; they wipe themselves).
[[nodiscard]] Result<CastBallot> encrypt_ballot(const BallotDefinition& definition, std::string deputy_id,
                                                const crypto::VerifyKey& voter, const Choices& choices,
                                                crypto::RandomSource& random = crypto::system_random(),
                                                BallotNonces* nonces = nullptr);

// Checks every proof of `ballot` against `definition` and `voter` (invalid_ballot naming the contest), and that
// it answers this definition (wrong_vote).
[[nodiscard]] Status verify_cast_ballot(const BallotDefinition& definition, const crypto::VerifyKey& voter,
                                        const CastBallot& ballot);

}  // namespace hallvote::protocol
