#include "db_read.h"

#include "hallvote/audit/log.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/errors.h"

namespace hallvote::audit {

Result<StoredMeta> read_meta(Database& db) {
  auto select = db.prepare("SELECT key, value FROM meta");
  if (!select) return forward(select.error());
  StoredMeta meta;
  bool have_key = false;
  for (;;) {
    auto row = select->step();
    if (!row) return forward(row.error());
    if (!*row) break;
    const std::string key = select->text(0);
    const std::string value = select->text(1);
    if (key == "format_version" && value != "1")
      return fail(AuditErrc::unsupported_version, "database format " + value);
    if (key == "log_key" || key.rfind("cosigner/", 0) == 0) {
      auto parsed = NoteKey::parse(value);
      if (!parsed) return fail(AuditErrc::malformed, "meta " + key + ": " + parsed.error().detail);
      if (key == "log_key") {
        meta.log_key = *parsed;
        have_key = true;
      } else {
        meta.cosigners.push_back(*parsed);
      }
    }
  }
  if (!have_key) return fail(AuditErrc::not_found, "no log key stored (new database)");
  return meta;
}

Result<std::vector<std::string>> read_checkpoint_notes(Database& db) {
  auto select = db.prepare("SELECT size, note FROM checkpoints ORDER BY size");
  auto cosigs = db.prepare("SELECT line FROM cosignatures WHERE size = ? ORDER BY rowid");
  if (!select) return forward(select.error());
  if (!cosigs) return forward(cosigs.error());
  std::vector<std::string> out;
  for (;;) {
    auto row = select->step();
    if (!row) return forward(row.error());
    if (!*row) break;
    std::string note = select->text(1);
    cosigs->bind(1, select->integer(0));
    for (;;) {
      auto c = cosigs->step();
      if (!c) return forward(c.error());
      if (!*c) break;
      note += cosigs->text(0);
    }
    cosigs->reset();
    out.push_back(std::move(note));
  }
  return out;
}

Result<Bundle> read_bundle(Database& db, std::vector<crypto::Bytes>* stored_leaf_hashes) {
  if (auto begin = db.exec("BEGIN"); !begin) return forward(begin.error());
  auto meta = read_meta(db);
  auto notes = meta ? read_checkpoint_notes(db) : Result<std::vector<std::string>>(forward(meta.error()));
  Bundle bundle;
  Result<Bundle> out = [&]() -> Result<Bundle> {
    if (!notes) return forward(notes.error());
    if (notes->empty()) return fail(AuditErrc::not_found, "no signed checkpoint yet");
    auto last = parse_note(notes->back());
    if (!last) return forward(last.error());
    auto checkpoint = Checkpoint::parse(last->text);
    if (!checkpoint) return forward(checkpoint.error());
    bundle.log_key = meta->log_key;
    bundle.cosigners = meta->cosigners;
    bundle.checkpoints = std::move(*notes);
    auto select = db.prepare("SELECT bytes, leaf_hash FROM entries WHERE seq < ? ORDER BY seq");
    if (!select) return forward(select.error());
    select->bind(1, static_cast<std::int64_t>(checkpoint->size));
    for (;;) {
      auto row = select->step();
      if (!row) return forward(row.error());
      if (!*row) break;
      const auto b = select->blob(0);
      bundle.entries.emplace_back(b.begin(), b.end());
      if (stored_leaf_hashes != nullptr) {
        const auto leaf = select->blob(1);
        stored_leaf_hashes->emplace_back(leaf.begin(), leaf.end());
      }
    }
    return std::move(bundle);
  }();
  (void)db.exec("COMMIT");
  return out;
}

Result<StoredBundle> read_stored_bundle(const std::string& db_path) {
  auto db = Database::open(db_path, true, "");
  if (!db) return forward(db.error());
  // An SQLite file of some other program: say so instead of "no such table".
  auto tables = db->prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'entries', 'checkpoints', "
      "'cosignatures')");
  if (!tables) return forward(tables.error());
  auto row = tables->step();
  if (!row) return forward(row.error());
  if (!*row || tables->integer(0) != 4) {
    return fail(
        AuditErrc::malformed,
        db_path +
            " is an SQLite database without the audit log's tables (meta, entries, checkpoints, cosignatures)");
  }
  tables->reset();
  StoredBundle stored;
  auto bundle = read_bundle(*db, &stored.leaf_hashes);
  if (!bundle) return forward(bundle.error());
  stored.bundle = std::move(*bundle);
  return stored;
}

Result<Bundle> export_bundle_from_db(const std::string& db_path) {
  auto stored = read_stored_bundle(db_path);
  if (!stored) return forward(stored.error());
  return std::move(stored->bundle);
}

}  // namespace hallvote::audit
