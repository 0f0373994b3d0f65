// The auditor's verifier: checks a bundle without trusting the server — entry encodings and schemas, the hash
// chain, every signature, each actor's enrolment, the Merkle root against every checkpoint, and consistency
// between successive checkpoints. The numbered checks are listed in docs/audit-log.md §10.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/tlog/bundle.h"
#include "hallvote/tlog/merkle.h"

namespace hallvote::audit {

// The first check that failed, where, and why.
struct Failure {
  std::string check;                        // stable id, e.g. "entry.signature" (docs/audit-log.md §10)
  std::optional<std::uint64_t> entry;       // entry index, when the failure is in an entry
  std::optional<std::uint64_t> checkpoint;  // checkpoint position in the bundle (0-based)
  std::optional<std::uint64_t> line;        // bundle line (1-based), for parse failures
  std::string field;                        // e.g. "previous", "payload.ballot_hash", "root"
  Error error;
};

struct Report {
  std::uint64_t entries = 0;           // entries checked
  std::uint64_t checkpoints = 0;       // checkpoints checked
  std::uint64_t tree_size = 0;         // size of the last checkpoint
  Hash root{};                         // its root
  std::vector<std::string> cosigners;  // names whose cosignature on the last checkpoint verified
  // The log key and cosigners were checked against keys obtained out of band (VerifyOptions::trusted_vkeys).
  // Without that, a pass means only that the bundle is internally consistent: anyone can make such a bundle.
  bool keys_trusted = false;
  std::optional<Failure> failure;
  [[nodiscard]] bool ok() const { return !failure.has_value(); }
};

// Remembers entries and checkpoint notes that already passed their context-free checks (encoding, schema,
// signature), so re-verifying many similar bundles (the tamper suite, a re-run audit) skips repeated work.
// Results are identical with or without it. Not thread-safe.
class VerificationCache {
 public:
  VerificationCache();
  ~VerificationCache();
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct VerifyOptions {
  bool entry_signatures = true;        // check every entry's Ed25519 signature (the slowest check)
  VerificationCache* cache = nullptr;  // optional; must outlive the call
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;  // called every 4096 entries
  // Threads for the context-free entry checks (decoding, schema, signature) when entry_signatures is set and
  // the bundle holds at least 512 entries: blocks of 1,024 entries are checked ahead, in parallel, of the
  // sequential chain and enrolment checks. 1 = everything on the calling thread. The report is identical for
  // any value (the first failure in entry order is the one reported).
  unsigned threads = 2;
  // Keys the auditor obtained out of band (vkeys). When set, the bundle's log key must be one of them and its
  // cosigner list must be exactly the other ones (check "bundle.keys"), so a bundle cannot swap its own keys.
  std::vector<std::string> trusted_vkeys;
};

// Stops at the first failure. The last checkpoint must cover every entry and carry a cosignature from every
// cosigner listed in the bundle. Never throws for bad input.
[[nodiscard]] Report verify_bundle(const Bundle& bundle, const VerifyOptions& options = {});
// Check entry.leaf_hash, for a bundle read from a session database (audit/log.h, read_stored_bundle): the
// first entry whose stored leaf hash differs from the leaf hash of its bytes (the server refuses to open such a
// database), or nullopt. `stored` holds one leaf hash per entry.
[[nodiscard]] std::optional<Failure> check_stored_leaf_hashes(const Bundle& bundle,
                                                              std::span<const crypto::Bytes> stored);
// Parses, then verifies; a parse failure is reported as check "bundle.format" with its line.
[[nodiscard]] Report verify_bundle_text(std::string_view text, const VerifyOptions& options = {});

}  // namespace hallvote::audit
