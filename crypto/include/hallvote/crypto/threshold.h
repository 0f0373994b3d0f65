// The k-of-n election key of the presidium members and scrutineers (trustees), and threshold decryption
// (docs/crypto.md §6–7).
//
// Key ceremony — Pedersen's DKG from Feldman VSS, commit-then-reveal:
//   1. every trustee i (1..n) draws a polynomial fᵢ of degree k−1 and publishes a commitment: the SHA-256
//      digest of its reveal (DealerCommitment);
//   2. once all commitments are in, it publishes the reveal: Cᵢₗ = aᵢₗ·B for l < k and a Schnorr proof of aᵢ₀
//      (DealerReveal), and seals fᵢ(j) to each trustee j's box key;
//   3. each trustee j opens its shares and checks fᵢ(j)·B = Σₗ jˡ·Cᵢₗ; a failure names dealer i.
//   K = Σᵢ Cᵢ₀ over the qualified dealers; trustee j's secret is xⱼ = Σᵢ fᵢ(j), its public key Xⱼ = xⱼ·B.
// Decryption — each trustee publishes Dⱼ = xⱼ·α for every ciphertext with a Chaum–Pedersen proof; any k
// valid ones combine by Lagrange interpolation at 0 to x·α, and m·B = β − x·α.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/elgamal.h"
#include "hallvote/crypto/group.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/crypto/proofs.h"
#include "hallvote/crypto/sealed_box.h"

namespace hallvote::crypto {

struct ThresholdParams {
  std::uint32_t k = 0;      // quorum
  std::uint32_t n = 0;      // trustees, indexed 1..n
  std::string ceremony_id;  // binds every proof and share of this ceremony (e.g. the session id)

  // Ok when 1 ≤ k ≤ n ≤ 255 and the ceremony id is not empty; else out_of_range.
  [[nodiscard]] Status validate() const;
};

struct DealerReveal {
  std::uint32_t dealer = 0;
  std::vector<Point> coefficient_commitments;  // Cₗ = aₗ·B, l = 0..k−1
  SchnorrProof proof;                          // knowledge of a₀

  // u32 dealer ‖ u32 k ‖ C₀ ‖ … ‖ C_{k−1} ‖ proof
  [[nodiscard]] Bytes encode() const;
  [[nodiscard]] static Result<DealerReveal> decode(ByteView bytes);
  // The round-1 commitment: HashInput("dkg-commitment").add(ceremony id).add(encode()).sha256().
  [[nodiscard]] Sha256Digest digest(std::string_view ceremony_id) const;
};

struct DealerCommitment {
  std::uint32_t dealer = 0;
  Sha256Digest digest{};
};

// One trustee's dealer role. Holds the polynomial's secret coefficients (wiped on destruction).
class Dealer {
 public:
  [[nodiscard]] static Result<Dealer> create(const ThresholdParams& params, std::uint32_t index,
                                             RandomSource& random = system_random());
  [[nodiscard]] const DealerReveal& reveal() const noexcept { return reveal_; }
  [[nodiscard]] DealerCommitment commitment() const;
  // fᵢ(recipient) as 32 bytes, sealed to the recipient's box key. Precondition: 1 ≤ recipient ≤ n (aborts
  // otherwise: recipient 0 would be sent the dealer's own secret).
  [[nodiscard]] Bytes sealed_share_for(std::uint32_t recipient, const BoxPublicKey& recipient_key) const;
  // fᵢ(recipient) in the clear: what a dealer publishes to answer a recipient's complaint (docs/crypto.md
  // §6.5), after which that one share is public. Precondition as for sealed_share_for.
  [[nodiscard]] SecretScalar share_for(std::uint32_t recipient) const;

 private:
  Dealer(ThresholdParams params, std::vector<SecretScalar> coefficients, DealerReveal reveal)
      : params_(std::move(params)), coefficients_(std::move(coefficients)), reveal_(std::move(reveal)) {}
  ThresholdParams params_;
  std::vector<SecretScalar> coefficients_;
  DealerReveal reveal_;
};

// Checks a reveal against its round-1 commitment and its proof of knowledge. Failure: invalid_share naming
// the dealer (protocol_violation when it does not match the commitment).
[[nodiscard]] Status verify_reveal(const ThresholdParams& params, const DealerCommitment& commitment,
                                   const DealerReveal& reveal);

// Opens the share dealer → recipient and checks it against the dealer's commitments. Failure: invalid_share
// naming the dealer. Sealed boxes do not authenticate their sender: the ceremony layer must deliver each share
// inside a message signed by its dealer, so that the named dealer really sent it and a complaint can be shown.
[[nodiscard]] Result<SecretScalar> open_share(const ThresholdParams& params, std::uint32_t recipient,
                                              const BoxKeyPair& recipient_key, const DealerReveal& dealer,
                                              ByteView sealed_share);

// Checks a share fᵢ(recipient) against the dealer's coefficient commitments: f·B = Σₗ recipientˡ·Cᵢₗ. Failure:
// out_of_range for a recipient outside 1..n, invalid_share naming the dealer and the recipient otherwise. Used
// by open_share and by everyone checking a share a dealer disclosed to answer a complaint.
[[nodiscard]] Status check_share(const ThresholdParams& params, std::uint32_t recipient,
                                 const DealerReveal& dealer, const Scalar& share);

// The public result of the ceremony: the election key and every trustee's public key share.
struct ThresholdKey {
  ThresholdParams params;
  Point election_key;
  std::vector<Point> trustee_keys;  // Xⱼ for j = 1..n at [j−1]

  // From the (already verified) reveals of the qualified dealers. Fails with not_enough_shares when fewer than
  // k dealers qualify.
  [[nodiscard]] static Result<ThresholdKey> from_reveals(const ThresholdParams& params,
                                                         std::span<const DealerReveal> qualified);
};

// Trustee j's secret key share xⱼ. Move-only, wiped on destruction.
struct KeyShare {
  std::uint32_t index = 0;
  SecretScalar secret;

  // xⱼ = Σ the opened shares from the qualified dealers.
  [[nodiscard]] static KeyShare combine(std::uint32_t index, std::span<const SecretScalar> opened_shares);
};

// One trustee's decryption of a list of ciphertexts (a vote's tally), with a proof for each factor.
struct PartialDecryption {
  std::uint32_t trustee = 0;
  std::vector<Point> factors;         // Dⱼ = xⱼ·α per ciphertext
  std::vector<EqualityProof> proofs;  // log_B(Xⱼ) = log_α(Dⱼ)

  [[nodiscard]] Bytes encode() const;
  [[nodiscard]] static Result<PartialDecryption> decode(ByteView bytes);
};

// The bytes an equality proof of a decryption factor is bound to: base hash ‖ u32 trustee ‖ u64 item.
[[nodiscard]] Bytes decryption_binding(ByteView base_hash, std::uint32_t trustee, std::uint64_t item);

[[nodiscard]] PartialDecryption decrypt_partially(const KeyShare& share, ByteView base_hash,
                                                  std::span<const Ciphertext> ciphertexts,
                                                  RandomSource& random = system_random());

// Verifies one trustee's partial decryption: shape, trustee index and every proof. Failure names the item.
[[nodiscard]] Status verify_partial(const ThresholdKey& key, ByteView base_hash,
                                    std::span<const Ciphertext> ciphertexts, const PartialDecryption& partial);

struct CombineReport {
  std::vector<std::uint32_t> used;                        // trustees whose shares were combined
  std::vector<std::pair<std::uint32_t, Error>> rejected;  // trustees whose shares failed, and why
};

// Verifies the partial decryptions in order, skips (and reports, appending to `report`) invalid and duplicate
// ones, and combines the first k valid ones into
// the plaintexts, each the m in [0, bound]. Fails with not_enough_shares when fewer than k are valid, or with
// dlog_bound_exceeded.
[[nodiscard]] Result<std::vector<std::uint64_t>> combine_decryption(const ThresholdKey& key, ByteView base_hash,
                                                                    std::span<const Ciphertext> ciphertexts,
                                                                    std::span<const PartialDecryption> partials,
                                                                    std::uint64_t bound,
                                                                    CombineReport* report = nullptr);

}  // namespace hallvote::crypto
