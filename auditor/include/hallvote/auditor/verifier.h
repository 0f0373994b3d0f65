// The vote-level verifier: from an export bundle alone, re-derive every vote of the session — the session
// definition recorded in the first entry, each round's ballot definition and approvals, every cast ballot
// (proofs, the deputy's card signature, issue and one counted ballot per credential), the reconciliation of
// 发出/收回/有效/无效, the homomorphic tally, every decryption share and their combination, the result by the
// rules engine, the certifications, and (optionally) the resolution records byte for byte. The checks, in
// order, with their ids: docs/crypto.md §13. Trusts nothing the server computed: every value is recomputed and
// compared.
//
// Thread safety: the functions are reentrant; each call uses up to `threads` threads of its own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

#include "hallvote/auditor/log_verifier.h"
#include "hallvote/auditor/report.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/records/render.h"
#include "hallvote/tlog/bundle.h"

namespace hallvote::vote_audit {

struct VoteVerifyOptions {
  // Threads for the ballot checks (decoding, batched proofs, card signatures) and sign-in signatures. 1 = all
  // on the calling thread. The report is identical for any value: the failure reported is the first in entry
  // order.
  unsigned threads = 2;
  // Called as work completes with a stage ("sign-ins", "ballots") and counts; from worker threads, but never
  // concurrently. Must not throw.
  std::function<void(std::string_view stage, std::uint64_t done, std::uint64_t total)> progress;
  // When set, check records.match: the records regenerated from the log equal the files in this directory.
  std::optional<std::filesystem::path> records_dir;
  records::RenderOptions render;  // fonts for regenerating the records
  // When set, check session.final last: the bundle is of a finished session, so every vote of the session was
  // held and its last round is certified (decided and certified: certifying an undecided round opens the next).
  // Without it a session still running verifies as far as it has got.
  bool final = false;
  // When set, the card list of entry 0 must be signed by this key (the issuing office's published key;
  // docs/cards.md §4.3). Without it any valid issuer signature passes and the report names the issuer for
  // comparison.
  std::optional<crypto::VerifyKey> card_issuer;
};

// Runs the vote-level checks on a bundle's entries (docs/crypto.md §13) and stops at the first failure. The
// bundle is hostile input: every field read is validated; entries that do not decode are reported, never
// trusted. Meaningful after the log-level checks passed (audit::verify_bundle): this function does not check
// signatures over entries, the chain or checkpoints. Never throws for bad input.
[[nodiscard]] VoteReport verify_votes(const audit::Bundle& bundle, const VoteVerifyOptions& options = {});

struct SessionVerifyOptions {
  audit::VerifyOptions log;  // the log-level checks (docs/audit-log.md §10); its progress reports entries
  VoteVerifyOptions votes;
  bool log_only = false;  // skip the vote-level checks
};

struct SessionReport {
  audit::Report log;
  std::optional<VoteReport> votes;  // absent when log_only, or when the log-level checks failed
  [[nodiscard]] bool ok() const { return log.ok() && (!votes || votes->ok()); }
};

// Everything `hallvote-audit verify` checks: the log-level checks, then (when they pass and unless log_only)
// the vote-level ones. This is the function the benchmark FIGURE audit_verify_3000_w1_s times.
[[nodiscard]] SessionReport verify_session(const audit::Bundle& bundle,
                                           const SessionVerifyOptions& options = {});

}  // namespace hallvote::vote_audit
