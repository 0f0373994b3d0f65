// Audit-log benchmarks (figures for docs/benchmarks.md; scripts/bench reads the counters from JSON output):
//   BM_AuditLog_GroupCommit64  counters log_append_per_s, log_ack_p99_ms   (64 concurrent appenders)
//   BM_AuditLog_SingleAppender counter  log_append_single_per_s
//   BM_AuditLog_Verify         counter  log_verify_per_s (chain + Merkle + checkpoint signatures + schemas),
//                              and log_verify_with_entry_signatures_per_s (also every entry's Ed25519
//                              signature)
//   BM_Receipt_Check2364       counter  receipt_check_2364_ms: `hallvote-audit receipt`'s work on a 2,364-entry
//                              bundle (parse the bundle text, auditor/receipt_check.h); it re-verified the
//                              whole log before (≈ 1.5 s per receipt in the attack run, issue 17)
// The verify log size is HALLVOTE_BENCH_VERIFY_ENTRIES (default 1,000,000).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "hallvote/auditor/log_verifier.h"
#include "hallvote/auditor/receipt_check.h"
#include "session_fixture.h"

namespace hallvote::audit {
namespace {

using Clock = std::chrono::steady_clock;

void run_appenders(benchmark::State& state, int threads, int per_thread, const char* rate_counter, bool p99) {
  for (auto _ : state) {
    testing::TempDir dir;
    testing::SessionKeys keys(1);
    auto log = AuditLog::open(keys.options(dir.file("s.db"), &system_clock()));
    if (!log) return state.SkipWithError(log.error().message().c_str());
    (void)testing::append_sample(**log, keys, 0);
    (void)testing::append_sample(**log, keys, 1);
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          const auto begin = Clock::now();
          (void)testing::append_sample(**log, keys, static_cast<std::uint64_t>(2 + t * per_thread + i));
          latencies[static_cast<std::size_t>(t)].push_back(
              std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
        }
      });
    }
    for (auto& w : workers) w.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> all;
    for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    state.counters[rate_counter] = static_cast<double>(all.size()) / seconds;
    if (p99) state.counters["log_ack_p99_ms"] = all[all.size() * 99 / 100];
  }
}

void BM_AuditLog_GroupCommit64(benchmark::State& state) {
  run_appenders(state, 64, 160, "log_append_per_s", true);
}
BENCHMARK(BM_AuditLog_GroupCommit64)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AuditLog_SingleAppender(benchmark::State& state) {
  run_appenders(state, 1, 500, "log_append_single_per_s", false);
}
BENCHMARK(BM_AuditLog_SingleAppender)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// A bundle of n entries with a cosigned checkpoint every 10,000 entries, built in memory (not through SQLite).
Bundle make_bundle(std::uint64_t n) {
  testing::SessionKeys keys(2);
  Bundle b;
  b.log_key = NoteKey{keys.origin, kNoteEd25519, keys.server.verify_key()};
  b.cosigners = keys.cosigners();
  MerkleTree tree;
  Hash previous{};
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto s = testing::sample_entry(keys, i);
    Entry e{s.type, i, 1'700'000'000'000, s.actor, s.key->verify_key(), s.payload, previous, {}};
    sign_entry(e, *s.key);
    b.entries.push_back(encode(e));
    previous = entry_hash(b.entries.back());
    tree.append(leaf_hash(b.entries.back()));
    if ((i + 1) % 10000 == 0 || i + 1 == n) {
      const std::string text = Checkpoint{keys.origin, i + 1, tree.root()}.text();
      b.checkpoints.push_back(Note{
          text,
          {sign_note(text, keys.origin, keys.server), cosign_note(text, "presidium/chair", keys.chair, i),
           cosign_note(text, "scrutineer/1", keys.scrutineer,
                       i)}}.format());
    }
  }
  return b;
}

void BM_AuditLog_Verify(benchmark::State& state) {
  const char* env = std::getenv("HALLVOTE_BENCH_VERIFY_ENTRIES");
  const std::uint64_t n = env ? std::strtoull(env, nullptr, 10) : 1'000'000;
  const Bundle bundle = make_bundle(n);
  for (auto _ : state) {
    VerifyOptions fast;
    fast.entry_signatures = false;
    auto start = Clock::now();
    const Report r = verify_bundle(bundle, fast);
    const double fast_s = std::chrono::duration<double>(Clock::now() - start).count();
    if (!r.ok()) return state.SkipWithError(r.failure->error.message().c_str());
    start = Clock::now();
    const Report full = verify_bundle(bundle);
    const double full_s = std::chrono::duration<double>(Clock::now() - start).count();
    if (!full.ok()) return state.SkipWithError(full.failure->error.message().c_str());
    state.counters["log_verify_per_s"] = static_cast<double>(n) / fast_s;
    state.counters["log_verify_with_entry_signatures_per_s"] = static_cast<double>(n) / full_s;
    state.counters["entries"] = static_cast<double>(n);
  }
}
BENCHMARK(BM_AuditLog_Verify)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Receipt_Check2364(benchmark::State& state) {
  constexpr std::uint64_t kEntries = 2364;
  constexpr std::uint64_t kIndex = 2000;
  const Bundle bundle = make_bundle(kEntries);
  MerkleTree tree;
  for (const auto& entry : bundle.entries) tree.append(leaf_hash(entry));
  const std::string receipt = Receipt{bundle.entries[kIndex], kIndex, *tree.inclusion_proof(kIndex, kEntries),
                                      bundle.checkpoints.back()}
                                  .format();
  const std::string text = bundle.serialize();
  double seconds = 0;
  for (auto _ : state) {
    const auto start = Clock::now();
    auto parsed = parse_bundle(text);
    const ReceiptReport report = check_receipt(receipt, *parsed);
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
    if (!report.ok()) return state.SkipWithError(report.failure->error.message().c_str());
  }
  state.counters["receipt_check_2364_ms"] = 1000 * seconds / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Receipt_Check2364)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace hallvote::audit

BENCHMARK_MAIN();
