// Reading a session database's stored history (shared by AuditLog and the key-less export).
#pragma once

#include <string>
#include <vector>

#include "hallvote/tlog/bundle.h"
#include "sqlite_db.h"

namespace hallvote::audit {

struct StoredMeta {
  NoteKey log_key;
  std::vector<NoteKey> cosigners;
};

// The log key and cosigners recorded at creation; not_found in a fresh file, malformed if unreadable.
[[nodiscard]] Result<StoredMeta> read_meta(Database& db);
// Every signed checkpoint note, increasing size, each followed by its stored cosignature lines.
[[nodiscard]] Result<std::vector<std::string>> read_checkpoint_notes(Database& db);
// The bundle of everything up to the latest signed checkpoint; not_found when there is none. With
// `stored_leaf_hashes`, also the leaf_hash column of each of those entries, as stored.
[[nodiscard]] Result<Bundle> read_bundle(Database& db,
                                         std::vector<crypto::Bytes>* stored_leaf_hashes = nullptr);

}  // namespace hallvote::audit
