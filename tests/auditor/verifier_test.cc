// The verifier's parallel entry checks (VerifyOptions::threads): on a 1,300-entry bundle (two blocks of 1,024
// entries checked ahead), the report with 1, 2 and 3 threads, with and without a cache, is identical — for the
// untouched bundle and for failures placed on and around the block boundaries.
#include <gtest/gtest.h>

#include "hallvote/auditor/log_verifier.h"
#include "hallvote/tlog/errors.h"
#include "session_fixture.h"

namespace hallvote::audit {
namespace {

using testing::SessionKeys;

constexpr std::uint64_t kEntries = 1300;

// Built in memory (not through SQLite): signed entries, a cosigned checkpoint every 1,000 entries and at the
// end.
Bundle in_memory_bundle(const SessionKeys& keys, std::uint64_t n) {
  Bundle b;
  b.log_key = NoteKey{keys.origin, kNoteEd25519, keys.server.verify_key()};
  b.cosigners = keys.cosigners();
  MerkleTree tree;
  Hash previous{};
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto s = testing::sample_entry(keys, i);
    Entry e{
        s.type,   i, 1'700'000'000'000 + static_cast<std::int64_t>(i), s.actor, s.key->verify_key(), s.payload,
        previous, {}};
    sign_entry(e, *s.key);
    b.entries.push_back(encode(e));
    previous = entry_hash(b.entries.back());
    tree.append(leaf_hash(b.entries.back()));
    if ((i + 1) % 1000 == 0 || i + 1 == n) {
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

std::string describe(const Report& r) {
  if (r.ok()) return "ok entries=" + std::to_string(r.entries) + " root=" + crypto::to_hex(r.root);
  const Failure& f = *r.failure;
  return f.check + " entry=" + (f.entry ? std::to_string(*f.entry) : "-") +
         " checkpoint=" + (f.checkpoint ? std::to_string(*f.checkpoint) : "-") + " field=" + f.field + " " +
         f.error.message() + " entries=" + std::to_string(r.entries);
}

class ParallelVerify : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    keys_ = new SessionKeys(51);
    bundle_ = new Bundle(in_memory_bundle(*keys_, kEntries));
  }
  static void TearDownTestSuite() {
    delete bundle_;
    delete keys_;
  }
  // The report with one thread, and a check that 2 and 3 threads (with a fresh cache for 3) agree.
  static std::string agreed(const Bundle& b) {
    VerifyOptions one;
    one.threads = 1;
    const std::string expected = describe(verify_bundle(b, one));
    VerifyOptions two;
    two.threads = 2;
    EXPECT_EQ(describe(verify_bundle(b, two)), expected);
    VerificationCache cache;
    VerifyOptions three;
    three.threads = 3;
    three.cache = &cache;
    EXPECT_EQ(describe(verify_bundle(b, three)), expected);
    EXPECT_EQ(describe(verify_bundle(b, three)), expected) << "second run, from the cache";
    return expected;
  }
  static SessionKeys* keys_;
  static Bundle* bundle_;
};
SessionKeys* ParallelVerify::keys_ = nullptr;
Bundle* ParallelVerify::bundle_ = nullptr;

TEST_F(ParallelVerify, TheUntouchedBundlePassesWithAnyThreadCount) {
  EXPECT_EQ(agreed(*bundle_).rfind("ok entries=1300", 0), 0u);
}

TEST_F(ParallelVerify, TheFirstFailureInEntryOrderIsReportedWithAnyThreadCount) {
  // Signatures broken at and around the block boundaries, and a later one that must not mask an earlier one.
  for (const std::uint64_t at : {std::uint64_t{0}, std::uint64_t{1023}, std::uint64_t{1024}, kEntries - 1}) {
    Bundle b = *bundle_;
    b.entries[at].back() ^= 0x01;
    b.entries[std::min(at + 200, kEntries - 1)][10] ^= 0x01;  // a second, later failure (encoding / signature)
    const std::string report = agreed(b);
    EXPECT_EQ(report.rfind("entry.signature entry=" + std::to_string(at) + " ", 0), 0u) << report;
  }
  // An encoding failure and a chain failure in the same block: the earlier one wins.
  Bundle b = *bundle_;
  b.entries[1200].resize(20);
  std::swap(b.entries[1100], b.entries[1101]);
  EXPECT_EQ(agreed(b).rfind("entry.chain entry=1100 ", 0), 0u);
}

TEST_F(ParallelVerify, DuplicatedEntriesAgreeWithACache) {
  // The same bytes twice in one block: the cache learns the first while the block was checked ahead.
  Bundle b = *bundle_;
  b.entries.insert(b.entries.begin() + 1030, b.entries[1029]);
  EXPECT_EQ(agreed(b).rfind("entry.chain entry=1030 ", 0), 0u);
}

}  // namespace
}  // namespace hallvote::audit
