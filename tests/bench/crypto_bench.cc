// W1 = one contest of 10 options, choose at most 3 (the 差额 ballot shape). Figures: docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <vector>

#include "hallvote/crypto/contest.h"
#include "hallvote/crypto/threshold.h"

namespace hallvote::crypto {
namespace {

const ContestShape kW1{10, 0, 3};

struct W1Setup {
  DeterministicRandom random{1};
  SecretScalar secret = SecretScalar::random(random);
  ElectionKey key = ElectionKey::from_point(Point::base_mul(secret.reveal())).value();
  Bytes base_hash = Bytes(32, 7);
  Bytes voter = Bytes(32, 3);
  ProofContext context{base_hash, key, voter};
  std::vector<std::uint8_t> choices = {1, 0, 0, 1, 0, 0, 1, 0, 0, 0};
};

void BM_W1_EncryptProve(benchmark::State& state) {
  W1Setup s;
  for (auto _ : state) {
    auto contest = encrypt_contest(s.context, "w1", kW1, s.choices, s.random);
    benchmark::DoNotOptimize(contest);
  }
}
BENCHMARK(BM_W1_EncryptProve)->Unit(benchmark::kMillisecond);

void BM_W1_Verify(benchmark::State& state) {
  W1Setup s;
  const Bytes wire = encrypt_contest(s.context, "w1", kW1, s.choices, s.random).value().encode();
  for (auto _ : state) {
    // From the wire, as a server or auditor receives it: decoding validates every point and scalar.
    auto contest = EncryptedContest::decode(wire, kW1);
    auto verdict = verify_contest(s.context, "w1", kW1, *contest);
    if (!verdict) state.SkipWithError("verification failed");
  }
}
BENCHMARK(BM_W1_Verify)->Unit(benchmark::kMillisecond);

void BM_Tally3000W1(benchmark::State& state) {
  W1Setup s;
  const auto one = encrypt_contest(s.context, "w1", kW1, s.choices, s.random).value();
  const std::vector<EncryptedContest> ballots(3000, one);
  for (auto _ : state) {
    std::vector<Ciphertext> totals(10);
    for (const auto& ballot : ballots) {
      for (std::size_t i = 0; i < 10; ++i) totals[i] += ballot.selections[i];
    }
    benchmark::DoNotOptimize(totals);
  }
}
BENCHMARK(BM_Tally3000W1)->Unit(benchmark::kMillisecond);

// 3-of-5: three trustees' partial decryptions with proofs, verified and combined, and the bounded dlog of each
// of the 10 totals of 3,000 W1 ballots.
void BM_Decrypt3of5W1(benchmark::State& state) {
  DeterministicRandom random(2);
  const ThresholdParams params{3, 5, "bench"};
  std::vector<Dealer> dealers;
  std::vector<DealerReveal> reveals;
  for (std::uint32_t i = 1; i <= 5; ++i) {
    dealers.push_back(Dealer::create(params, i, random).value());
    reveals.push_back(dealers.back().reveal());
  }
  const ThresholdKey key = ThresholdKey::from_reveals(params, reveals).value();
  std::vector<KeyShare> shares;
  for (std::uint32_t j = 1; j <= 3; ++j) {
    const BoxKeyPair box = BoxKeyPair::generate(random);
    std::vector<SecretScalar> opened;
    for (std::uint32_t i = 1; i <= 5; ++i) {
      opened.push_back(
          open_share(params, j, box, reveals[i - 1], dealers[i - 1].sealed_share_for(j, box.public_key()))
              .value());
    }
    shares.push_back(KeyShare::combine(j, opened));
  }
  const ElectionKey election = ElectionKey::from_point(key.election_key).value();
  std::vector<Ciphertext> totals;
  for (std::uint64_t i = 0; i < 10; ++i)
    totals.push_back(election.encrypt(900 + i * 30, Scalar::random(random)));
  const Bytes base_hash(32, 9);
  for (auto _ : state) {
    std::vector<PartialDecryption> partials;
    for (const auto& share : shares) partials.push_back(decrypt_partially(share, base_hash, totals, random));
    auto result = combine_decryption(key, base_hash, totals, partials, 3000);
    if (!result) state.SkipWithError("decryption failed");
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_Decrypt3of5W1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hallvote::crypto

BENCHMARK_MAIN();
