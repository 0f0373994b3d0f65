#include "hallvote/crypto/threshold.h"

#include <algorithm>

#include "hallvote/crypto/errors.h"
#include "wire.h"

namespace hallvote::crypto {
namespace {

std::string dealer_name(std::uint32_t dealer) {
  return "第" + std::to_string(dealer) + "号受托人 / trustee " + std::to_string(dealer);
}

Bytes knowledge_binding(std::string_view ceremony_id, std::uint32_t dealer) {
  Bytes out = HashInput("dkg-knowledge").add(ceremony_id).add_u64(dealer).bytes();
  return out;
}

// Σₗ xˡ·Cₗ: the public image of f(x).
Point evaluate_commitments(const std::vector<Point>& commitments, std::uint32_t x) {
  Point result;
  for (auto it = commitments.rbegin(); it != commitments.rend(); ++it) {
    result = Scalar::from_u64(x) * result + *it;  // Horner's rule
  }
  return result;
}

std::uint32_t read_u32(ByteView bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

// λⱼ = Π_{m ∈ set, m ≠ j} m / (m − j), the Lagrange coefficient at 0.
Scalar lagrange_at_zero(std::uint32_t j, std::span<const std::uint32_t> set) {
  Scalar numerator = Scalar::from_u64(1);
  Scalar denominator = Scalar::from_u64(1);
  for (std::uint32_t m : set) {
    if (m == j) continue;
    numerator = numerator * Scalar::from_u64(m);
    denominator = denominator * (Scalar::from_u64(m) - Scalar::from_u64(j));
  }
  return numerator * denominator.inverse();
}

}  // namespace

Status ThresholdParams::validate() const {
  if (k < 1 || k > n || n > 255 || ceremony_id.empty()) {
    return fail(CryptoErrc::out_of_range, "threshold " + std::to_string(k) + "-of-" + std::to_string(n) +
                                              " is impossible (need 1 ≤ k ≤ n ≤ 255 and a ceremony id)");
  }
  return {};
}

// ---- DealerReveal ----------------------------------------------------------------------------------------

Bytes DealerReveal::encode() const {
  Bytes out;
  append_u32_be(out, dealer);
  append_u32_be(out, static_cast<std::uint32_t>(coefficient_commitments.size()));
  for (const auto& c : coefficient_commitments) wire::put(out, c);
  const Bytes p = proof.encode();
  out.insert(out.end(), p.begin(), p.end());
  return out;
}

Result<DealerReveal> DealerReveal::decode(ByteView bytes) {
  if (bytes.size() < 8) return fail(CryptoErrc::invalid_encoding, "dealer reveal truncated");
  DealerReveal reveal;
  reveal.dealer = read_u32(bytes);
  const std::uint32_t k = read_u32(bytes.subspan(4));
  if (k < 1 || k > 255 || bytes.size() != 8 + 32 * std::size_t{k} + SchnorrProof::kBytes) {
    return fail(CryptoErrc::invalid_encoding,
                "dealer reveal of " + std::to_string(bytes.size()) + " bytes for k = " + std::to_string(k));
  }
  wire::Reader reader(bytes.subspan(8, 32 * std::size_t{k}));
  for (std::uint32_t l = 0; l < k; ++l) {
    auto c = reader.point("coefficient commitment " + std::to_string(l));
    if (!c) return forward(c.error());
    reveal.coefficient_commitments.push_back(*c);
  }
  auto proof = SchnorrProof::decode(bytes.last(SchnorrProof::kBytes));
  if (!proof) return forward(proof.error());
  reveal.proof = *proof;
  return reveal;
}

Sha256Digest DealerReveal::digest(std::string_view ceremony_id) const {
  return HashInput("dkg-commitment").add(ceremony_id).add(encode()).sha256();
}

// ---- Dealer ----------------------------------------------------------------------------------------------

Result<Dealer> Dealer::create(const ThresholdParams& params, std::uint32_t index, RandomSource& random) {
  if (auto valid = params.validate(); !valid) return forward(valid.error());
  if (index < 1 || index > params.n) {
    return fail(CryptoErrc::out_of_range,
                "dealer index " + std::to_string(index) + " outside 1.." + std::to_string(params.n));
  }
  std::vector<SecretScalar> coefficients;
  DealerReveal reveal;
  reveal.dealer = index;
  for (std::uint32_t l = 0; l < params.k; ++l) {
    coefficients.push_back(SecretScalar::random(random));
    reveal.coefficient_commitments.push_back(Point::base_mul(coefficients.back().reveal()));
  }
  reveal.proof = prove_knowledge(knowledge_binding(params.ceremony_id, index),
                                 reveal.coefficient_commitments[0], coefficients[0].reveal(), random);
  return Dealer(params, std::move(coefficients), std::move(reveal));
}

DealerCommitment Dealer::commitment() const { return {reveal_.dealer, reveal_.digest(params_.ceremony_id)}; }

SecretScalar Dealer::share_for(std::uint32_t recipient) const {
  // Recipient 0 would receive f(0), the dealer's own secret: never.
  if (recipient < 1 || recipient > params_.n) std::abort();
  SecretScalar value;
  for (auto it = coefficients_.rbegin(); it != coefficients_.rend(); ++it) {
    value = SecretScalar(Scalar::from_u64(recipient) * value.reveal() + it->reveal());
  }
  return value;
}

Bytes Dealer::sealed_share_for(std::uint32_t recipient, const BoxPublicKey& recipient_key) const {
  const SecretScalar value = share_for(recipient);
  auto bytes = value.reveal().encode();
  Bytes sealed = seal_to(recipient_key, bytes);
  secure_wipe(bytes);
  return sealed;
}

Status verify_reveal(const ThresholdParams& params, const DealerCommitment& commitment,
                     const DealerReveal& reveal) {
  if (auto valid = params.validate(); !valid) return valid;
  if (reveal.dealer < 1 || reveal.dealer > params.n) {
    return fail(CryptoErrc::invalid_share,
                "dealer index " + std::to_string(reveal.dealer) + " outside 1.." + std::to_string(params.n));
  }
  if (reveal.dealer != commitment.dealer || reveal.digest(params.ceremony_id) != commitment.digest) {
    return fail(CryptoErrc::protocol_violation, dealer_name(reveal.dealer) +
                                                    ": 公开的承诺与第一轮摘要不符 / reveal "
                                                    "does not match its round-1 commitment");
  }
  if (reveal.coefficient_commitments.size() != params.k) {
    return fail(CryptoErrc::invalid_share, dealer_name(reveal.dealer) + ": " +
                                               std::to_string(reveal.coefficient_commitments.size()) +
                                               " coefficient commitments, k = " + std::to_string(params.k));
  }
  if (auto ok = verify_knowledge(knowledge_binding(params.ceremony_id, reveal.dealer),
                                 reveal.coefficient_commitments[0], reveal.proof);
      !ok) {
    return fail(CryptoErrc::invalid_share,
                dealer_name(reveal.dealer) + ": proof of knowledge: " + ok.error().detail);
  }
  return {};
}

Result<SecretScalar> open_share(const ThresholdParams& params, std::uint32_t recipient,
                                const BoxKeyPair& recipient_key, const DealerReveal& dealer,
                                ByteView sealed_share) {
  if (recipient < 1 || recipient > params.n) {
    return fail(CryptoErrc::out_of_range,
                "recipient index " + std::to_string(recipient) + " outside 1.." + std::to_string(params.n));
  }
  auto opened = recipient_key.open(sealed_share);
  if (!opened)
    return fail(CryptoErrc::invalid_share, dealer_name(dealer.dealer) + ": " + opened.error().detail);
  auto value = Scalar::decode(opened->reveal());
  if (!value) return fail(CryptoErrc::invalid_share, dealer_name(dealer.dealer) + ": " + value.error().detail);
  SecretScalar share(*value);
  value->wipe();
  if (auto ok = check_share(params, recipient, dealer, share.reveal()); !ok) return forward(ok.error());
  return share;
}

Status check_share(const ThresholdParams& params, std::uint32_t recipient, const DealerReveal& dealer,
                   const Scalar& share) {
  if (recipient < 1 || recipient > params.n) {
    return fail(CryptoErrc::out_of_range,
                "recipient index " + std::to_string(recipient) + " outside 1.." + std::to_string(params.n));
  }
  if (dealer.coefficient_commitments.size() != params.k ||
      !(Point::base_mul(share) == evaluate_commitments(dealer.coefficient_commitments, recipient))) {
    return fail(CryptoErrc::invalid_share, dealer_name(dealer.dealer) + " 发给第" + std::to_string(recipient) +
                                               "号的份额与其承诺不符 / share for trustee " +
                                               std::to_string(recipient) +
                                               " does not match the dealer's commitments");
  }
  return {};
}

Result<ThresholdKey> ThresholdKey::from_reveals(const ThresholdParams& params,
                                                std::span<const DealerReveal> qualified) {
  if (auto valid = params.validate(); !valid) return forward(valid.error());
  if (qualified.size() < params.k) {
    return fail(CryptoErrc::not_enough_shares,
                std::to_string(qualified.size()) + " qualified dealers, need " + std::to_string(params.k));
  }
  std::vector<bool> seen(params.n + 1, false);
  for (const auto& reveal : qualified) {
    if (reveal.dealer < 1 || reveal.dealer > params.n || seen[reveal.dealer] ||
        reveal.coefficient_commitments.size() != params.k) {
      return fail(CryptoErrc::invalid_share, dealer_name(reveal.dealer) +
                                                 ": 重复、编号越界或系数承诺数不为 k / "
                                                 "duplicate, out of range, or not k coefficient commitments");
    }
    seen[reveal.dealer] = true;
  }
  ThresholdKey key{params, Point(), std::vector<Point>(params.n)};
  for (const auto& reveal : qualified) {
    key.election_key += reveal.coefficient_commitments[0];
    for (std::uint32_t j = 1; j <= params.n; ++j) {
      key.trustee_keys[j - 1] += evaluate_commitments(reveal.coefficient_commitments, j);
    }
  }
  return key;
}

KeyShare KeyShare::combine(std::uint32_t index, std::span<const SecretScalar> opened_shares) {
  KeyShare share{index, SecretScalar()};
  for (const auto& s : opened_shares) share.secret = SecretScalar(share.secret.reveal() + s.reveal());
  return share;
}

// ---- Threshold decryption --------------------------------------------------------------------------------

Bytes PartialDecryption::encode() const {
  Bytes out;
  append_u32_be(out, trustee);
  append_u32_be(out, static_cast<std::uint32_t>(factors.size()));
  for (std::size_t i = 0; i < factors.size(); ++i) {
    wire::put(out, factors[i]);
    const Bytes proof = proofs[i].encode();
    out.insert(out.end(), proof.begin(), proof.end());
  }
  return out;
}

Result<PartialDecryption> PartialDecryption::decode(ByteView bytes) {
  if (bytes.size() < 8) return fail(CryptoErrc::invalid_encoding, "partial decryption truncated");
  PartialDecryption partial;
  partial.trustee = read_u32(bytes);
  const std::size_t count = read_u32(bytes.subspan(4));
  constexpr std::size_t kItem = 32 + EqualityProof::kBytes;
  if (count > (bytes.size() - 8) / kItem || bytes.size() != 8 + count * kItem) {
    return fail(CryptoErrc::invalid_encoding, "partial decryption of " + std::to_string(bytes.size()) +
                                                  " bytes for " + std::to_string(count) + " items");
  }
  for (std::size_t i = 0; i < count; ++i) {
    const ByteView item = bytes.subspan(8 + i * kItem, kItem);
    auto factor = Point::decode(item.first(32));
    if (!factor) return fail(factor.error().code, "item " + std::to_string(i) + ": " + factor.error().detail);
    auto proof = EqualityProof::decode(item.subspan(32));
    if (!proof) return fail(proof.error().code, "item " + std::to_string(i) + ": " + proof.error().detail);
    partial.factors.push_back(*factor);
    partial.proofs.push_back(*proof);
  }
  return partial;
}

Bytes decryption_binding(ByteView base_hash, std::uint32_t trustee, std::uint64_t item) {
  Bytes out(base_hash.begin(), base_hash.end());
  append_u32_be(out, trustee);
  append_u64_be(out, item);
  return out;
}

PartialDecryption decrypt_partially(const KeyShare& share, ByteView base_hash,
                                    std::span<const Ciphertext> ciphertexts, RandomSource& random) {
  PartialDecryption partial;
  partial.trustee = share.index;
  const Point x_public = Point::base_mul(share.secret.reveal());
  for (std::size_t i = 0; i < ciphertexts.size(); ++i) {
    const Point factor = share.secret.reveal() * ciphertexts[i].alpha;
    const Bytes binding = decryption_binding(base_hash, share.index, i);
    partial.proofs.push_back(
        prove_equality({binding, x_public, ciphertexts[i].alpha, factor}, share.secret.reveal(), random));
    partial.factors.push_back(factor);
  }
  return partial;
}

Status verify_partial(const ThresholdKey& key, ByteView base_hash, std::span<const Ciphertext> ciphertexts,
                      const PartialDecryption& partial) {
  if (partial.trustee < 1 || partial.trustee > key.params.n) {
    return fail(CryptoErrc::invalid_share, "trustee index " + std::to_string(partial.trustee) + " outside 1.." +
                                               std::to_string(key.params.n));
  }
  if (partial.factors.size() != ciphertexts.size() || partial.proofs.size() != ciphertexts.size()) {
    return fail(CryptoErrc::invalid_share, dealer_name(partial.trustee) + ": " +
                                               std::to_string(partial.factors.size()) + " factors for " +
                                               std::to_string(ciphertexts.size()) + " ciphertexts");
  }
  const Point& x_public = key.trustee_keys[partial.trustee - 1];
  BatchVerifier batch(nullptr);
  std::vector<Bytes> bindings;
  bindings.reserve(ciphertexts.size());
  for (std::size_t i = 0; i < ciphertexts.size(); ++i) {
    bindings.push_back(decryption_binding(base_hash, partial.trustee, i));
    (void)add_equality_proof(batch, {bindings.back(), x_public, ciphertexts[i].alpha, partial.factors[i]},
                             partial.proofs[i]);
  }
  if (batch.holds()) return {};
  for (std::size_t i = 0; i < ciphertexts.size(); ++i) {
    if (!verify_equality({bindings[i], x_public, ciphertexts[i].alpha, partial.factors[i]},
                         partial.proofs[i])) {
      return fail(CryptoErrc::invalid_share, dealer_name(partial.trustee) + ": 第" + std::to_string(i + 1) +
                                                 "项解密份额证明无效 / decryption proof of item " +
                                                 std::to_string(i) + " does not verify");
    }
  }
  return fail(CryptoErrc::invalid_share, dealer_name(partial.trustee) + ": decryption proofs do not verify");
}

Result<std::vector<std::uint64_t>> combine_decryption(const ThresholdKey& key, ByteView base_hash,
                                                      std::span<const Ciphertext> ciphertexts,
                                                      std::span<const PartialDecryption> partials,
                                                      std::uint64_t bound, CombineReport* report) {
  CombineReport local;
  CombineReport& out = report != nullptr ? *report : local;
  std::vector<const PartialDecryption*> valid;
  for (const auto& partial : partials) {
    if (valid.size() == key.params.k) break;
    const bool duplicate = std::any_of(
        valid.begin(), valid.end(), [&](const PartialDecryption* p) { return p->trustee == partial.trustee; });
    if (duplicate) {
      out.rejected.emplace_back(
          partial.trustee, Error{make_error_code(CryptoErrc::invalid_share),
                                 dealer_name(partial.trustee) + ": 重复提交 / duplicate partial decryption"});
      continue;
    }
    if (auto ok = verify_partial(key, base_hash, ciphertexts, partial); !ok) {
      out.rejected.emplace_back(partial.trustee, ok.error());
      continue;
    }
    valid.push_back(&partial);
    out.used.push_back(partial.trustee);
  }
  if (valid.size() < key.params.k) {
    std::string detail = "有效解密份额 " + std::to_string(valid.size()) + " 份，需要 " +
                         std::to_string(key.params.k) + " 份 / " + std::to_string(valid.size()) +
                         " valid partial decryptions, need " + std::to_string(key.params.k);
    for (const auto& [trustee, error] : out.rejected) detail += "; rejected " + error.detail;
    return fail(CryptoErrc::not_enough_shares, detail);
  }
  std::vector<std::uint32_t> combined;
  for (const auto* partial : valid) combined.push_back(partial->trustee);
  std::vector<Scalar> lambdas;
  for (std::uint32_t trustee : combined) lambdas.push_back(lagrange_at_zero(trustee, combined));
  std::vector<std::uint64_t> plaintexts;
  plaintexts.reserve(ciphertexts.size());
  for (std::size_t i = 0; i < ciphertexts.size(); ++i) {
    MultiScalarMul msm;
    for (std::size_t t = 0; t < valid.size(); ++t) msm.add(lambdas[t], valid[t]->factors[i]);
    auto m = bounded_dlog(ciphertexts[i].beta - msm.compute(), bound);
    if (!m) return fail(m.error().code, "item " + std::to_string(i) + ": " + m.error().detail);
    plaintexts.push_back(*m);
  }
  return plaintexts;
}

}  // namespace hallvote::crypto
