#include "hallvote/crypto/threshold.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/errors.h"

namespace hallvote::crypto {
namespace {

// A whole ceremony among n trustees, every message passing through its encoding.
struct Ceremony {
  ThresholdParams params;
  std::vector<BoxKeyPair> boxes;
  std::vector<Dealer> dealers;
  std::vector<DealerReveal> reveals;
  ThresholdKey key;
  std::vector<KeyShare> shares;
};

Ceremony run_ceremony(std::uint32_t k, std::uint32_t n, RandomSource& random) {
  Ceremony c;
  c.params = {k, n, "test-session"};
  for (std::uint32_t i = 1; i <= n; ++i) {
    c.boxes.push_back(BoxKeyPair::generate(random));
    c.dealers.push_back(Dealer::create(c.params, i, random).value());
  }
  for (const auto& dealer : c.dealers) {
    auto reveal = DealerReveal::decode(dealer.reveal().encode()).value();
    EXPECT_TRUE(verify_reveal(c.params, dealer.commitment(), reveal));
    c.reveals.push_back(std::move(reveal));
  }
  c.key = ThresholdKey::from_reveals(c.params, c.reveals).value();
  for (std::uint32_t j = 1; j <= n; ++j) {
    std::vector<SecretScalar> opened;
    for (std::uint32_t i = 1; i <= n; ++i) {
      const Bytes sealed = c.dealers[i - 1].sealed_share_for(j, c.boxes[j - 1].public_key());
      auto share = open_share(c.params, j, c.boxes[j - 1], c.reveals[i - 1], sealed);
      EXPECT_TRUE(share) << share.error().message();
      opened.push_back(std::move(*share));
    }
    c.shares.push_back(KeyShare::combine(j, opened));
    EXPECT_TRUE(Point::base_mul(c.shares.back().secret.reveal()) == c.key.trustee_keys[j - 1]);
  }
  return c;
}

std::vector<std::vector<std::uint32_t>> subsets(std::uint32_t n, std::uint32_t k) {
  std::vector<std::vector<std::uint32_t>> out;
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    if (static_cast<std::uint32_t>(__builtin_popcount(mask)) != k) continue;
    std::vector<std::uint32_t> set;
    for (std::uint32_t i = 0; i < n; ++i)
      if (mask & (1u << i)) set.push_back(i + 1);
    out.push_back(set);
  }
  return out;
}

void expect_every_subset_decrypts(std::uint32_t k, std::uint32_t n) {
  DeterministicRandom random(100 + k * 10 + n);
  Ceremony c = run_ceremony(k, n, random);
  const ElectionKey election = ElectionKey::from_point(c.key.election_key).value();
  const std::vector<std::uint64_t> plain = {0, 1, 7, 250};
  std::vector<Ciphertext> ciphertexts;
  for (auto m : plain) ciphertexts.push_back(election.encrypt(m, Scalar::random(random)));
  const Bytes base_hash(32, 3);
  std::vector<PartialDecryption> all;
  for (const auto& share : c.shares) all.push_back(decrypt_partially(share, base_hash, ciphertexts, random));
  const auto sets = subsets(n, k);
  for (const auto& set : sets) {
    std::vector<PartialDecryption> chosen;
    for (auto j : set) chosen.push_back(PartialDecryption::decode(all[j - 1].encode()).value());
    auto result = combine_decryption(c.key, base_hash, ciphertexts, chosen, 250);
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(*result, plain);
  }
}

TEST(Threshold, EveryThreeOfFiveSubsetDecrypts) { expect_every_subset_decrypts(3, 5); }
TEST(Threshold, EveryTwoOfThreeSubsetDecrypts) { expect_every_subset_decrypts(2, 3); }

TEST(Threshold, BadShareIsNamedAndSkippedWhileQuorumRemains) {
  DeterministicRandom random(7);
  Ceremony c = run_ceremony(3, 5, random);
  const ElectionKey election = ElectionKey::from_point(c.key.election_key).value();
  const std::vector<Ciphertext> ciphertexts = {election.encrypt(5, Scalar::random(random))};
  const Bytes base_hash(32, 4);
  std::vector<PartialDecryption> partials;
  for (const auto& share : c.shares)
    partials.push_back(decrypt_partially(share, base_hash, ciphertexts, random));
  partials[1].factors[0] += Point::generator();  // trustee 2 cheats
  CombineReport report;
  auto result = combine_decryption(c.key, base_hash, ciphertexts, partials, 10, &report);
  ASSERT_TRUE(result);
  EXPECT_EQ((*result)[0], 5u);
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_EQ(report.rejected[0].first, 2u);
  EXPECT_EQ(report.used, (std::vector<std::uint32_t>{1, 3, 4}));
}

TEST(Threshold, FewerThanKValidSharesFailClearly) {
  DeterministicRandom random(8);
  Ceremony c = run_ceremony(3, 5, random);
  const ElectionKey election = ElectionKey::from_point(c.key.election_key).value();
  const std::vector<Ciphertext> ciphertexts = {election.encrypt(1, Scalar::random(random))};
  const Bytes base_hash(32, 5);
  std::vector<PartialDecryption> two = {decrypt_partially(c.shares[0], base_hash, ciphertexts, random),
                                        decrypt_partially(c.shares[4], base_hash, ciphertexts, random)};
  auto result = combine_decryption(c.key, base_hash, ciphertexts, two, 10);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, CryptoErrc::not_enough_shares);
  // A duplicate does not count twice.
  two.push_back(two[0]);
  EXPECT_EQ(combine_decryption(c.key, base_hash, ciphertexts, two, 10).error().code,
            CryptoErrc::not_enough_shares);
  // Shares made for another vote do not verify here.
  const Bytes other(32, 6);
  std::vector<PartialDecryption> other_vote;
  for (const auto& share : c.shares) other_vote.push_back(decrypt_partially(share, other, ciphertexts, random));
  EXPECT_EQ(combine_decryption(c.key, base_hash, ciphertexts, other_vote, 10).error().code,
            CryptoErrc::not_enough_shares);
}

TEST(Threshold, BadDealerShareIsDetectedAndDealerNamed) {
  DeterministicRandom random(9);
  const ThresholdParams params{2, 3, "s"};
  const BoxKeyPair box = BoxKeyPair::generate(random);
  const Dealer honest = Dealer::create(params, 1, random).value();
  const Dealer other = Dealer::create(params, 2, random).value();
  // Dealer 2's share presented as dealer 1's: does not match dealer 1's commitments.
  const Bytes wrong = other.sealed_share_for(3, box.public_key());
  auto opened = open_share(params, 3, box, honest.reveal(), wrong);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, CryptoErrc::invalid_share);
  EXPECT_NE(opened.error().detail.find("trustee 1"), std::string::npos);
  // A share sealed to someone else does not open.
  const BoxKeyPair stranger = BoxKeyPair::generate(random);
  EXPECT_EQ(open_share(params, 3, box, honest.reveal(), honest.sealed_share_for(3, stranger.public_key()))
                .error()
                .code,
            CryptoErrc::invalid_share);
}

TEST(Threshold, RevealMustMatchCommitmentAndProveKnowledge) {
  DeterministicRandom random(10);
  const ThresholdParams params{2, 3, "s"};
  const Dealer dealer = Dealer::create(params, 1, random).value();
  DealerReveal changed = dealer.reveal();
  changed.coefficient_commitments[1] += Point::generator();
  EXPECT_EQ(verify_reveal(params, dealer.commitment(), changed).error().code, CryptoErrc::protocol_violation);
  // Consistent commitment but a proof for another ceremony.
  const ThresholdParams other{2, 3, "t"};
  EXPECT_EQ(verify_reveal(other, {1, dealer.reveal().digest("t")}, dealer.reveal()).error().code,
            CryptoErrc::invalid_share);
  EXPECT_FALSE(Dealer::create({4, 3, "s"}, 1, random));
  EXPECT_FALSE(Dealer::create(params, 4, random));
}

}  // namespace
}  // namespace hallvote::crypto

namespace hallvote::crypto {
namespace {

// Regression (review of docs/crypto.md): a report passed in with earlier entries must not change the
// interpolation set.
TEST(Threshold, ReusedReportDoesNotChangeTheResult) {
  DeterministicRandom random(11);
  Ceremony c = run_ceremony(2, 3, random);
  const ElectionKey election = ElectionKey::from_point(c.key.election_key).value();
  const std::vector<Ciphertext> ciphertexts = {election.encrypt(3, Scalar::random(random))};
  const Bytes base_hash(32, 7);
  std::vector<PartialDecryption> partials;
  for (const auto& share : c.shares)
    partials.push_back(decrypt_partially(share, base_hash, ciphertexts, random));
  CombineReport report;
  ASSERT_TRUE(combine_decryption(c.key, base_hash, ciphertexts, partials, 10, &report));
  const std::vector<PartialDecryption> last_two = {partials[1], partials[2]};
  auto again = combine_decryption(c.key, base_hash, ciphertexts, last_two, 10, &report);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ((*again)[0], 3u);
}

TEST(Threshold, RevealsWithBadOrDuplicateDealerIndexAreRefused) {
  DeterministicRandom random(12);
  const ThresholdParams params{2, 3, "s"};
  const Dealer one = Dealer::create(params, 1, random).value();
  const std::vector<DealerReveal> duplicate = {one.reveal(), one.reveal()};
  EXPECT_EQ(ThresholdKey::from_reveals(params, duplicate).error().code, CryptoErrc::invalid_share);
  DealerReveal out_of_range = one.reveal();
  out_of_range.dealer = 9;
  EXPECT_EQ(verify_reveal(params, {9, out_of_range.digest("s")}, out_of_range).error().code,
            CryptoErrc::invalid_share);
}

TEST(BoundedDlog, StopsAtTheBoundEvenAtTheLargestBound) {
  EXPECT_EQ(bounded_dlog(Point::base_mul(Scalar::from_u64(5)), 5).value(), 5u);
  EXPECT_EQ(bounded_dlog(Point::base_mul(Scalar::from_u64(6)), 5).error().code,
            CryptoErrc::dlog_bound_exceeded);
  EXPECT_EQ(bounded_dlog(Point(), 0).value(), 0u);
}

}  // namespace
}  // namespace hallvote::crypto
