#include "hallvote/crypto/contest.h"

#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/secret.h"
#include "range_prover.h"

namespace hallvote::crypto {
namespace {

constexpr std::size_t kSelectionBytes = 64 + 2 * RangeProof::kBranchBytes;

std::string selection_name(std::size_t index) {
  return "第" + std::to_string(index + 1) + "项 / selection " + std::to_string(index);
}

}  // namespace

Status ContestShape::validate() const {
  if (selections < 1 || selections > 1024 || min_selected > max_selected || max_selected > selections ||
      max_selected - min_selected >= 64) {
    return fail(CryptoErrc::out_of_range, "contest shape: " + std::to_string(selections) +
                                              " selections, choose " + std::to_string(min_selected) + ".." +
                                              std::to_string(max_selected));
  }
  return {};
}

std::size_t ContestShape::encoded_size() const {
  return selections * kSelectionBytes +
         static_cast<std::size_t>(max_selected - min_selected + 1) * RangeProof::kBranchBytes;
}

Bytes EncryptedContest::encode() const {
  Bytes out;
  for (std::size_t i = 0; i < selections.size(); ++i) {
    const auto ciphertext = selections[i].encode();
    out.insert(out.end(), ciphertext.begin(), ciphertext.end());
    const Bytes proof = selection_proofs[i].encode();
    out.insert(out.end(), proof.begin(), proof.end());
  }
  const Bytes sum = sum_proof.encode();
  out.insert(out.end(), sum.begin(), sum.end());
  return out;
}

Result<EncryptedContest> EncryptedContest::decode(ByteView bytes, const ContestShape& shape) {
  if (auto valid = shape.validate(); !valid) return forward(valid.error());
  if (bytes.size() != shape.encoded_size()) {
    return fail(CryptoErrc::invalid_encoding, "contest must be " + std::to_string(shape.encoded_size()) +
                                                  " bytes, got " + std::to_string(bytes.size()));
  }
  EncryptedContest contest;
  for (std::size_t i = 0; i < shape.selections; ++i) {
    const ByteView part = bytes.subspan(i * kSelectionBytes, kSelectionBytes);
    auto ciphertext = Ciphertext::decode(part.first(64));
    if (!ciphertext) return fail(ciphertext.error().code, selection_name(i) + ": " + ciphertext.error().detail);
    auto proof = RangeProof::decode(part.subspan(64), 2);
    if (!proof) return fail(proof.error().code, selection_name(i) + ": " + proof.error().detail);
    contest.selections.push_back(*ciphertext);
    contest.selection_proofs.push_back(std::move(*proof));
  }
  auto sum = RangeProof::decode(bytes.subspan(shape.selections * kSelectionBytes),
                                static_cast<std::size_t>(shape.max_selected - shape.min_selected + 1));
  if (!sum) return fail(sum.error().code, "合计证明 / sum proof: " + sum.error().detail);
  contest.sum_proof = std::move(*sum);
  return contest;
}

Ciphertext EncryptedContest::sum() const {
  Ciphertext total = Ciphertext::zero();
  for (const auto& selection : selections) total += selection;
  return total;
}

Result<EncryptedContest> encrypt_contest(const ProofContext& context, std::string_view contest_id,
                                         const ContestShape& shape, std::span<const std::uint8_t> choices,
                                         RandomSource& random, std::vector<SecretScalar>* nonces) {
  if (auto valid = shape.validate(); !valid) return forward(valid.error());
  if (context.base_hash.size() != 32 || context.voter.size() != 32) {
    return fail(CryptoErrc::invalid_encoding, "proof context: base hash and voter key must be 32 bytes each");
  }
  if (choices.size() != shape.selections) {
    return fail(CryptoErrc::out_of_range, std::to_string(choices.size()) + " choices for " +
                                              std::to_string(shape.selections) + " selections");
  }
  std::uint64_t selected = 0;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] > 1) return fail(CryptoErrc::out_of_range, selection_name(i) + ": a choice is 0 or 1");
    selected += choices[i];
  }
  if (selected < shape.min_selected || selected > shape.max_selected) {
    return fail(CryptoErrc::out_of_range,
                "选择了 " + std::to_string(selected) + " 项，允许 " + std::to_string(shape.min_selected) + "–" +
                    std::to_string(shape.max_selected) + " 项 / " + std::to_string(selected) +
                    " selected, allowed " + std::to_string(shape.min_selected) + ".." +
                    std::to_string(shape.max_selected));
  }
  // docs/crypto.md §5.3, with every point computed at half scale and all of them (ciphertexts, their sum, every
  // commitment) doubled and encoded in one batch (Point::double_and_encode) before the challenges are hashed.
  // The random draws keep their order: r_i, then selection i's proof (w, c_j, v_j), …, then the sum proof's.
  // Selections are 0 or 1: β_i/2 = choice·(B/2) + (r_i/2)·K, the message chosen between the identity and B/2 in
  // constant time (no multiplication by the secret choice).
  static const Point half_generator = Point::base_mul(Scalar::from_u64(1).half());
  EncryptedContest contest;
  contest.selections.reserve(shape.selections);
  contest.selection_proofs.reserve(shape.selections);
  std::vector<detail::RangeProver> provers;
  provers.reserve(shape.selections + 1);
  std::vector<Point*> points;
  const auto sum_branches = static_cast<std::size_t>(shape.max_selected - shape.min_selected + 1);
  points.reserve(6 * shape.selections + 2 + 2 * sum_branches);
  Ciphertext total;
  SecretScalar nonce_sum;
  for (std::size_t i = 0; i < shape.selections; ++i) {
    const SecretScalar nonce = SecretScalar::random(random);
    const SecretScalar nonce_half(nonce.reveal().half());
    const Point message_half = Point::select(Point(), half_generator, choices[i] == 1);
    contest.selections.push_back(
        {Point::base_mul(nonce_half.reveal()), message_half + context.key.table().mul(nonce_half.reveal())});
    total += contest.selections.back();
    provers.emplace_back(context, choices[i], nonce.reveal(), 0, 1, random);
    nonce_sum = SecretScalar(nonce_sum.reveal() + nonce.reveal());
    if (nonces != nullptr) nonces->emplace_back(nonce.reveal());
  }
  provers.emplace_back(context, selected, nonce_sum.reveal(), shape.min_selected, shape.max_selected, random);
  for (auto& ciphertext : contest.selections) {
    points.push_back(&ciphertext.alpha);
    points.push_back(&ciphertext.beta);
  }
  points.push_back(&total.alpha);
  points.push_back(&total.beta);
  for (auto& prover : provers) prover.collect(points);
  Point::double_and_encode(points);
  for (std::size_t i = 0; i < shape.selections; ++i) {
    contest.selection_proofs.push_back(provers[i].finish({contest_id, i}, contest.selections[i]));
  }
  contest.sum_proof = provers.back().finish({contest_id, ProofLabel::kSumPosition}, total);
  return contest;
}

Status add_contest(BatchVerifier& batch, const ProofContext& context, std::string_view contest_id,
                   const ContestShape& shape, const EncryptedContest& contest) {
  if (auto valid = shape.validate(); !valid) return forward(valid.error());
  if (contest.selections.size() != shape.selections || contest.selection_proofs.size() != shape.selections) {
    return fail(CryptoErrc::invalid_encoding, "contest has " + std::to_string(contest.selections.size()) +
                                                  " selections, the ballot defines " +
                                                  std::to_string(shape.selections));
  }
  // The sum proof's ciphertext is Σ(α_i, β_i): its coefficients are added to every selection's instead of
  // multiplying the sum (the same linear combination, two multi-scalar terms fewer). The sum itself is still
  // computed and encoded for the sum proof's challenge.
  // Every challenge is checked before any term is added: a refused contest leaves the batch as it was.
  for (std::size_t i = 0; i < shape.selections; ++i) {
    if (auto checked = detail::check_range_challenge(context, {contest_id, i}, contest.selections[i], 0, 1,
                                                     contest.selection_proofs[i]);
        !checked) {
      return fail(CryptoErrc::invalid_proof, selection_name(i) + ": " + checked.error().detail);
    }
  }
  if (auto checked =
          detail::check_range_challenge(context, {contest_id, ProofLabel::kSumPosition}, contest.sum(),
                                        shape.min_selected, shape.max_selected, contest.sum_proof);
      !checked) {
    return fail(CryptoErrc::invalid_proof, "合计证明 / sum proof: " + checked.error().detail);
  }
  std::vector<std::pair<Scalar, Scalar>> coefficients(shape.selections);
  for (std::size_t i = 0; i < shape.selections; ++i) {
    detail::add_range_equations(batch, 0, contest.selection_proofs[i], coefficients[i].first,
                                coefficients[i].second);
  }
  Scalar sum_alpha;
  Scalar sum_beta;
  detail::add_range_equations(batch, shape.min_selected, contest.sum_proof, sum_alpha, sum_beta);
  for (std::size_t i = 0; i < shape.selections; ++i) {
    batch.add(coefficients[i].first + sum_alpha, contest.selections[i].alpha);
    batch.add(coefficients[i].second + sum_beta, contest.selections[i].beta);
  }
  return {};
}

Status verify_contest(const ProofContext& context, std::string_view contest_id, const ContestShape& shape,
                      const EncryptedContest& contest) {
  BatchVerifier batch(&context.key.table());
  if (auto added = add_contest(batch, context, contest_id, shape, contest); !added) return added;
  if (batch.holds()) return {};
  // Name the culprit: check each proof on its own.
  for (std::size_t i = 0; i < shape.selections; ++i) {
    if (auto ok =
            verify_range(context, {contest_id, i}, contest.selections[i], 0, 1, contest.selection_proofs[i]);
        !ok) {
      return fail(CryptoErrc::invalid_proof, selection_name(i) + ": " + ok.error().detail);
    }
  }
  return fail(CryptoErrc::invalid_proof, "合计证明 / sum proof: range proof equations do not hold");
}

}  // namespace hallvote::crypto
