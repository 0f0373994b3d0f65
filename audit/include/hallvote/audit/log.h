// The session's audit log: a durable SQLite store (WAL, synchronous=FULL, one file per session) of hash-chained
// entries that are the leaves of an RFC 6962 Merkle tree, with signed checkpoints, cosignatures and receipts.
// Formats and tables: docs/audit-log.md.
//
// Durability: append() returns only after the COMMIT holding the entry returned SQLITE_OK. Concurrent appends
// are grouped into one transaction by a single writer thread (group commit). If a commit fails (I/O error, disk
// full), no append of that group is acknowledged (storage_failed), the transaction is rolled back and nothing
// of it stays in memory, and writing stops (writing_stopped() says why). It resumes by itself: the writer
// retries with the next append, and every retry_interval while idle; before the first retry it closes and
// reopens the database and re-reads it, so that memory matches the disk (entries of the failed commit that did
// reach the disk are taken in and handed to the on_recovered listener; they were never acknowledged). While a
// retry fails, appends fail with AuditErrc::writer_stopped carrying the reason. If the disk cannot be
// reconciled with memory (fewer entries than acknowledged, a recovered entry that does not verify or that the
// listener refuses), writing stops for good. History is never updated: the API only appends, and triggers
// reject UPDATE/DELETE. On open, every stored entry is re-read and the chain, leaf hashes, Merkle tree and
// stored checkpoints are re-verified, and a test commit proves the database writable, before any append is
// accepted. docs/audit-log.md §9, "Durability".
//
// Rollback: every checkpoint signed is also written to `<path>` with the extension `.checkpoint` (session.db →
// session.checkpoint; atomically, synced) before the note is returned. open() refuses a database that is
// shorter than that checkpoint or whose root at its size differs (inconsistent_checkpoint: the database was
// rolled back or replaced), and warns (warnings()) when the file is missing next to a non-empty log.
// docs/audit-log.md §9.
//
// Thread safety: all member functions may be called concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hallvote/audit/clock.h"
#include "hallvote/common/result.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/tlog/bundle.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/entry.h"
#include "hallvote/tlog/note.h"

namespace hallvote::audit {

struct LogOptions {
  std::string path = "var/session.db";  // the session's database file (its directory must exist)
  std::string origin;                   // log name: checkpoint origin and key name (e.g. "hallvote.local/s1")
  const crypto::SigningKey* server_key = nullptr;  // signs checkpoints; must outlive the log
  std::vector<NoteKey> cosigners;  // type 0x04 keys allowed to cosign; fixed when the file is created
  Clock* clock = &system_clock();  // stamps entries; must outlive the log
  std::string vfs;                 // SQLite VFS name; empty = default (tests inject faults here)
  std::size_t max_group = 1024;    // most appends sharing one commit
  std::chrono::milliseconds retry_interval{1000};  // idle retries while writing is stopped
};

// Called, in order, with each entry of a failed commit that the disk turned out to hold (see Durability). A
// failure stops writing for good.
using RecoveredListener = std::function<Status(std::uint64_t sequence, const crypto::Bytes& entry)>;

struct Appended {
  std::uint64_t sequence = 0;
  Hash entry_hash{};
};

class AuditLog {
 public:
  // Opens or creates the log. Fails with storage_failed, or with the verification error (chain_broken,
  // root_mismatch, ...) when the stored log does not re-verify, or malformed when origin / key / cosigners
  // differ from the ones the file was created with, or inconsistent_checkpoint when it does not extend the
  // checkpoint kept outside the database (damaged file, shorter log, other root).
  [[nodiscard]] static Result<std::unique_ptr<AuditLog>> open(const LogOptions& options);
  ~AuditLog();  // finishes queued appends, then stops the writer
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends one entry signed by `actor_key` (which must stay alive until this returns) and waits until it is
  // durable. invalid_payload when the payload fails its schema (nothing is written); storage_failed for the
  // group whose commit failed; writer_stopped while writing is stopped and the retry fails (nothing written).
  [[nodiscard]] Result<Appended> append(EntryType type, std::string actor, const crypto::SigningKey& actor_key,
                                        std::string payload);

  // Signs a checkpoint of the current tree, unless the latest stored checkpoint already has this size. While
  // writing is stopped it first has the writer retry (and fails with writer_stopped if that fails); so does
  // add_cosignature.
  // Compare-and-swap: refuses (inconsistent_checkpoint) when the stored latest checkpoint is not a prefix of
  // the current tree. Returns the note with its cosignatures. A new note is written to the checkpoint file
  // before it is returned; storage_failed when that fails (the checkpoint is stored in the database, but not
  // given out).
  [[nodiscard]] Result<std::string> sign_checkpoint();
  // Stores a cosignature line for the signed checkpoint of `size` after verifying it against the configured
  // cosigner keys (unknown_key / invalid_signature / not_found).
  [[nodiscard]] Status add_cosignature(std::uint64_t size, const NoteSignature& cosignature);
  // The latest signed checkpoint note with its cosignatures; not_found before the first one.
  [[nodiscard]] Result<std::string> latest_checkpoint() const;

  [[nodiscard]] std::uint64_t size() const;
  [[nodiscard]] Result<crypto::Bytes> entry(std::uint64_t sequence) const;
  // A receipt for entry `sequence` against the latest signed checkpoint (not_found if it does not cover it).
  [[nodiscard]] Result<Receipt> receipt(std::uint64_t sequence) const;
  [[nodiscard]] Result<std::vector<Hash>> consistency_proof(std::uint64_t old_size,
                                                            std::uint64_t new_size) const;
  [[nodiscard]] Result<Hash> root(std::uint64_t size) const;
  // The export bundle: entries up to the latest signed checkpoint, all checkpoints.
  [[nodiscard]] Result<Bundle> export_bundle() const;
  [[nodiscard]] const NoteKey& log_key() const;
  // Null while the log writes; else "写入已停止 / writing has stopped: <reason>" (cleared by a successful
  // retry).
  [[nodiscard]] std::optional<std::string> writing_stopped() const;
  // Sets the listener for entries recovered from disk after a failed commit (replaces any earlier one; waits
  // until a call of the earlier one has returned, so nullptr detaches a listener before its owner goes away).
  // Must not be called from the listener.
  void on_recovered(RecoveredListener listener);
  // Bilingual warnings found by open() for the staff (e.g. no checkpoint file next to a non-empty log).
  [[nodiscard]] const std::vector<std::string>& warnings() const;

  struct State;  // private; defined in log.cc

 private:
  explicit AuditLog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Reads a session database (read-only, without any key) and returns its bundle: entries up to the latest
// signed checkpoint. AuditErrc::storage_failed (SQLite could not open or read it), malformed (an SQLite file
// without the log's tables, or unreadable keys), unsupported_version, or not_found when nothing has been
// checkpointed yet (no log key or no signed checkpoint).
[[nodiscard]] Result<Bundle> export_bundle_from_db(const std::string& db_path);

// As export_bundle_from_db, with the leaf hashes the database stores beside those entries (docs/audit-log.md
// §9), which the bundle format does not carry: an auditor compares them with the entries (check
// entry.leaf_hash), as the server does on open.
struct StoredBundle {
  Bundle bundle;
  std::vector<crypto::Bytes>
      leaf_hashes;  // one per bundle entry, as stored (a damaged row may not be 32 bytes)
};
[[nodiscard]] Result<StoredBundle> read_stored_bundle(const std::string& db_path);

}  // namespace hallvote::audit
