#include "hallvote/audit/log.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "checkpoint_file.h"
#include "db_read.h"
#include "hallvote/tlog/errors.h"
#include "log_schema.h"
#include "sqlite_db.h"

namespace hallvote::audit {

namespace {

struct PendingAppend {
  EntryType type;
  std::string actor;
  const crypto::SigningKey* key;
  std::string payload;
  std::promise<Result<Appended>> done;
};

// The refusal to open a log that cannot be written: what, where, and what to do.
tl::unexpected<Error> not_writable(const std::string& path, const std::string& cause) {
  return fail(AuditErrc::storage_failed,
              "审计日志数据库不可写：" + path + "（" + cause +
                  "）。服务器无法记录任何操作，因此不启动。请检查该文件及其所在文件夹（连同 -wal、-shm "
                  "文件）的写权限、磁盘是否只读、剩余空间（df -h），改正后重新启动 / the audit log database " +
                  path + " is not writable (" + cause +
                  "): the server could not record anything, so it does not start. Check write permission on "
                  "the file and its folder (and the -wal and -shm files), that the disk is not read-only, and "
                  "the free space (df -h), then start again");
}

}  // namespace

struct AuditLog::State {
  State(LogOptions o, Database d, NoteKey k)
      : options(std::move(o)),
        checkpoint_file(checkpoint_file_of(options.path)),
        db(std::move(d)),
        log_key(std::move(k)) {}

  const LogOptions options;
  const std::string checkpoint_file;  // the latest signed checkpoint, kept outside the database
  std::vector<std::string> warnings;  // found when opening; const after open()
  mutable std::mutex mu;              // guards everything below until the queue
  Database db;
  const NoteKey log_key;
  MerkleTree tree;
  Hash last_hash{};
  std::int64_t last_time = 0;
  // Set while writing is stopped (a commit failed); cleared when a retry writes again. `must_reopen`: the
  // connection is reopened and the entries re-read from disk before the next write; `for_good`: memory and
  // disk cannot be reconciled (acknowledged entries missing, a recovered entry that does not verify or that the
  // listener refused), so writing never resumes in this process.
  std::optional<Error> stopped;
  bool must_reopen = false;
  bool for_good = false;
  std::mutex listener_mu;  // guards recovered_listener and is held while it runs (so a reset waits for it)
  RecoveredListener recovered_listener;

  std::mutex queue_mu;  // guards queue, retry_waiters and closing
  std::condition_variable queue_cv;
  std::deque<PendingAppend*> queue;
  std::vector<std::promise<void>*> retry_waiters;  // retry_now() callers, told after the writer's next round
  bool closing = false;
  std::thread writer;

  Status load();
  Result<std::vector<crypto::Bytes>> load_entries_from(std::uint64_t first);
  Status check_saved_checkpoint();
  void run_writer();
  // While writing is stopped: has the writer retry now and waits for the outcome (not from the writer thread).
  void retry_now();
  void commit_group(std::vector<PendingAppend*>& group);
  bool resume(std::unique_lock<std::mutex>& lock);
  Status reopen_and_resync(std::vector<crypto::Bytes>& recovered);
  Status probe_write();
  Error stop(Error cause);
  Error stop_for_good(const std::string& why);
  Result<std::optional<Checkpoint>> latest_locked();
  Result<std::string> checkpoint_note_locked(std::uint64_t size);
};

Error AuditLog::State::stop(Error cause) {
  (void)db.exec("ROLLBACK");
  if (!for_good) stopped = cause;
  must_reopen = true;
  return cause;
}

Error AuditLog::State::stop_for_good(const std::string& why) {
  for_good = true;
  stopped =
      Error{make_error_code(AuditErrc::storage_failed),
            why +
                "；请停止并重新启动服务器（重启时从磁盘重放日志）/ stop and restart the server (it replays the "
                "log from disk)"};
  return *stopped;
}

Status AuditLog::State::load() {
  auto entries = load_entries_from(0);
  if (!entries) return forward(entries.error());
  return {};
}

Result<std::vector<crypto::Bytes>> AuditLog::State::load_entries_from(std::uint64_t first) {
  auto select = db.prepare("SELECT seq, bytes, leaf_hash FROM entries WHERE seq >= ? ORDER BY seq");
  if (!select) return forward(select.error());
  select->bind(1, static_cast<std::int64_t>(first));
  std::vector<crypto::Bytes> loaded;
  for (std::uint64_t expected = first;; ++expected) {
    auto row = select->step();
    if (!row) return forward(row.error());
    if (!*row) break;
    const std::string where = "stored entry " + std::to_string(expected);
    if (select->integer(0) != static_cast<std::int64_t>(expected))
      return fail(AuditErrc::chain_broken, where + ": sequence gap");
    const auto bytes = select->blob(1);
    auto entry = decode(bytes);
    if (!entry)
      return fail(entry.error().code.value() == static_cast<int>(AuditErrc::unsupported_version)
                      ? AuditErrc::unsupported_version
                      : AuditErrc::malformed,
                  where + ", " + entry.error().detail);
    if (entry->sequence != expected) return fail(AuditErrc::chain_broken, where + ", field sequence");
    if (entry->previous != last_hash) return fail(AuditErrc::chain_broken, where + ", field previous");
    const Hash leaf = leaf_hash(bytes);
    const auto stored_leaf = select->blob(2);
    if (stored_leaf.size() != leaf.size() || !std::equal(leaf.begin(), leaf.end(), stored_leaf.begin())) {
      return fail(AuditErrc::root_mismatch, where + ": stored leaf hash differs");
    }
    tree.append(leaf);
    last_hash = entry_hash(bytes);
    last_time = entry->time_ms;
    loaded.emplace_back(bytes.begin(), bytes.end());
  }
  if (first > 0) return loaded;  // a resync: the stored checkpoints were checked at open and since
  auto notes = read_checkpoint_notes(db);
  if (!notes) return forward(notes.error());
  for (const auto& note : *notes) {
    auto verified = verify_checkpoint_note(note, log_key, options.cosigners);
    if (!verified) return fail(AuditErrc::root_mismatch, "stored checkpoint: " + verified.error().message());
    auto root = tree.root(verified->checkpoint.size);
    if (!root || *root != verified->checkpoint.root) {
      return fail(AuditErrc::root_mismatch, "stored checkpoint of size " +
                                                std::to_string(verified->checkpoint.size) +
                                                " does not match the entries");
    }
  }
  return loaded;
}

Status AuditLog::State::check_saved_checkpoint() {
  auto text = read_checkpoint_file(checkpoint_file);
  if (!text) return forward(text.error());
  const std::string entries = std::to_string(tree.size());
  if (!*text) {
    if (tree.size() > 0) {
      warnings.push_back(
          "未找到检查点文件 " + checkpoint_file + "（日志有 " + entries +
          " 条记录）：无法核对数据库是否被回退；签发下一个检查点时重新写入。若此前运行时该文件存在，"
          "请停止服务器并从备份恢复 / no checkpoint file " +
          checkpoint_file + " next to a log of " + entries +
          " entries: a rolled-back database cannot be detected until the next checkpoint writes it "
          "again. If the file existed before, stop the server and restore it from backup");
    }
    return {};
  }
  const std::string remedy =
      "请停止，从备份恢复 " + options.path + "（连同 " + options.path +
      "-wal）后再启动；切勿删除检查点文件或另建新日志 / stop, restore " + options.path + " (with " +
      options.path + "-wal) from backup and start again; do not delete the checkpoint file or start a new log";
  auto verified = verify_checkpoint_note(**text, log_key, options.cosigners);
  if (!verified) {
    return fail(AuditErrc::inconsistent_checkpoint,
                "检查点文件 " + checkpoint_file + " 已损坏或不是本日志密钥所签 / the checkpoint file " +
                    checkpoint_file + " is damaged or not signed by this log's key (" +
                    verified.error().message() + "). " + remedy);
  }
  const Checkpoint& saved = verified->checkpoint;
  const std::string signed_size = std::to_string(saved.size);
  if (saved.size > tree.size()) {
    return fail(
        AuditErrc::inconsistent_checkpoint,
        "审计日志被回退：数据库中只有 " + entries + " 条记录，而服务器已签发覆盖 " + signed_size +
            " 条记录的检查点（" + checkpoint_file +
            "），已确认的记录丢失（WAL 文件被删除，或数据库被清空、替换）/ the audit log was rolled back: "
            "the database holds " +
            entries + " entries but the server signed a checkpoint of " + signed_size + " entries (" +
            checkpoint_file +
            "); acknowledged entries are missing (WAL deleted, or the database emptied or replaced). " +
            remedy);
  }
  auto root = tree.root(saved.size);
  if (!root || *root != saved.root) {
    return fail(
        AuditErrc::inconsistent_checkpoint,
        "审计日志与服务器签发的检查点不一致：前 " + signed_size + " 条记录的根哈希为 " +
            (root ? crypto::to_hex(*root) : std::string("?")) + "，检查点为 " + crypto::to_hex(saved.root) +
            "（数据库被替换）/ the audit log does not extend the checkpoint the "
            "server signed: the root of its first " +
            signed_size + " entries is " + (root ? crypto::to_hex(*root) : std::string("?")) +
            ", the checkpoint's " + crypto::to_hex(saved.root) + " (the database was replaced). " + remedy);
  }
  return {};
}

void AuditLog::State::run_writer() {
  for (;;) {
    std::vector<PendingAppend*> group;
    std::vector<std::promise<void>*> retried;
    {
      std::unique_lock lock(queue_mu);
      // Wakes at least every retry_interval: while writing is stopped, an idle writer retries on its own.
      queue_cv.wait_for(lock, options.retry_interval,
                        [&] { return !queue.empty() || !retry_waiters.empty() || closing; });
      if (queue.empty() && retry_waiters.empty() && closing) return;
      const std::size_t n = std::min(queue.size(), options.max_group);
      group.assign(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
      queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
      retried.swap(retry_waiters);
    }
    commit_group(group);
    for (auto* waiter : retried) waiter->set_value();
  }
}

void AuditLog::State::retry_now() {
  std::promise<void> done;
  auto retried = done.get_future();
  {
    std::lock_guard lock(queue_mu);
    retry_waiters.push_back(&done);
  }
  queue_cv.notify_one();
  retried.wait();
}

Status AuditLog::State::reopen_and_resync(std::vector<crypto::Bytes>& recovered) {
  // Closed first, so that SQLite sees the files as a restarted server would (a failed COMMIT may or may not
  // have reached the disk): the last connection's close checkpoints the WAL, a first connection recovers it.
  db.close();
  auto reopened = Database::open(options.path, false, options.vfs);
  if (!reopened) return forward(reopened.error());
  db = std::move(*reopened);
  if (auto ok = db.exec("PRAGMA synchronous=FULL"); !ok) return ok;
  auto count = db.prepare("SELECT count(*) FROM entries");
  if (!count) return forward(count.error());
  auto row = count->step();
  if (!row) return forward(row.error());
  const auto on_disk = static_cast<std::uint64_t>(count->integer(0));
  if (on_disk < tree.size()) {
    stop_for_good("磁盘上的审计日志只有 " + std::to_string(on_disk) + " 条记录，少于已确认的 " +
                  std::to_string(tree.size()) + " 条 / the log on disk holds " + std::to_string(on_disk) +
                  " entries, fewer than the " + std::to_string(tree.size()) + " acknowledged");
    return tl::unexpected<Error>(*stopped);
  }
  // Entries of a failed commit that did reach the disk: the disk is the truth, so they are taken in (never
  // acknowledged to their appenders; a terminal that resends its ballot gets its receipt).
  auto loaded = load_entries_from(tree.size());
  if (!loaded) {
    stop_for_good(
        "写入失败后磁盘上的记录无法核验 / after the failed write the entries on disk do not verify: " +
        loaded.error().message());
    return tl::unexpected<Error>(*stopped);
  }
  recovered = std::move(*loaded);
  must_reopen = false;
  return {};
}

Status AuditLog::State::probe_write() {
  // Rewrites the header's user_version with its own value: a real commit (a WAL frame, fsync) that changes no
  // table. It proves the database is writable again before an idle log says so.
  auto version = db.prepare("PRAGMA user_version");
  if (!version) return forward(version.error());
  auto row = version->step();
  if (!row) return forward(row.error());
  const std::string set = "PRAGMA user_version=" + std::to_string(version->integer(0));
  version->reset();
  if (auto ok = db.exec("BEGIN IMMEDIATE"); !ok) return ok;
  if (auto ok = db.exec(set.c_str()); !ok) {
    (void)db.exec("ROLLBACK");
    return ok;
  }
  if (auto ok = db.exec("COMMIT"); !ok) {
    (void)db.exec("ROLLBACK");
    return ok;
  }
  return {};
}

bool AuditLog::State::resume(std::unique_lock<std::mutex>& lock) {
  if (for_good) return false;
  if (must_reopen) {
    std::vector<crypto::Bytes> recovered;
    if (auto ok = reopen_and_resync(recovered); !ok) {
      if (!for_good) stopped = ok.error();
      return false;
    }
    if (!recovered.empty()) {
      const std::uint64_t first = tree.size() - recovered.size();
      lock.unlock();  // the listener may read the log; no other thread writes (this is the writer)
      Status applied;
      {
        std::lock_guard calling(listener_mu);
        for (std::size_t i = 0; applied && recovered_listener && i < recovered.size(); ++i) {
          applied = recovered_listener(first + i, recovered[i]);
        }
      }
      lock.lock();
      if (!applied) {
        stop_for_good("从磁盘取回的记录无法应用 / an entry recovered from disk could not be applied: " +
                      applied.error().message());
        return false;
      }
    }
  }
  return true;
}

void AuditLog::State::commit_group(std::vector<PendingAppend*>& group) {
  std::unique_lock lock(mu);
  auto fail_all = [&](const Error& e) {
    for (auto* p : group) p->done.set_value(tl::unexpected<Error>(e));
  };
  if (stopped) {
    if (!resume(lock)) {
      return fail_all(Error{make_error_code(AuditErrc::writer_stopped), stopped->message()});
    }
    if (group.empty()) {  // an idle retry: writing resumes once a probe commit succeeds
      if (auto ok = probe_write(); !ok) {
        stop(ok.error());
        return;
      }
      stopped.reset();
      return;
    }
  }
  if (group.empty()) return;
  if (auto begin = db.exec("BEGIN IMMEDIATE"); !begin) return fail_all(stop(begin.error()));
  auto insert = db.prepare("INSERT INTO entries (seq, bytes, leaf_hash) VALUES (?, ?, ?)");
  if (!insert) return fail_all(stop(insert.error()));
  std::vector<Hash> leaves;
  std::vector<Appended> acks;
  Hash previous = last_hash;
  std::int64_t time = last_time;
  for (auto* p : group) {
    Entry e;
    e.type = p->type;
    e.sequence = tree.size() + acks.size();
    time = std::max(time, options.clock->now_ms());  // entry times never decrease
    e.time_ms = time;
    e.actor = p->actor;
    e.actor_key = p->key->verify_key();
    e.payload = p->payload;
    e.previous = previous;
    sign_entry(e, *p->key);
    const crypto::Bytes bytes = encode(e);
    const Hash leaf = leaf_hash(bytes);
    insert->bind(1, static_cast<std::int64_t>(e.sequence)).bind(2, bytes).bind(3, leaf);
    if (auto ok = insert->run(); !ok) return fail_all(stop(ok.error()));
    previous = entry_hash(bytes);
    leaves.push_back(leaf);
    acks.push_back({e.sequence, previous});
  }
  if (auto commit = db.exec("COMMIT"); !commit) return fail_all(stop(commit.error()));
  // Durable: only now does the in-memory state move and do the appenders hear back.
  for (const Hash& leaf : leaves) tree.append(leaf);
  last_hash = previous;
  last_time = time;
  stopped.reset();  // writing again (after a retry)
  lock.unlock();
  for (std::size_t i = 0; i < group.size(); ++i) group[i]->done.set_value(acks[i]);
}

Result<std::optional<Checkpoint>> AuditLog::State::latest_locked() {
  auto select = db.prepare("SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1");
  if (!select) return forward(select.error());
  auto row = select->step();
  if (!row) return forward(row.error());
  if (!*row) return std::optional<Checkpoint>();
  auto note = parse_note(select->text(0));
  if (!note) return forward(note.error());
  auto checkpoint = Checkpoint::parse(note->text);
  if (!checkpoint) return forward(checkpoint.error());
  return std::optional<Checkpoint>(*checkpoint);
}

Result<std::string> AuditLog::State::checkpoint_note_locked(std::uint64_t size) {
  auto notes = read_checkpoint_notes(db);
  if (!notes) return forward(notes.error());
  for (const auto& n : *notes) {
    auto parsed = parse_note(n);
    if (!parsed) return forward(parsed.error());
    auto c = Checkpoint::parse(parsed->text);
    if (c && c->size == size) return n;
  }
  return fail(AuditErrc::not_found, "no signed checkpoint of size " + std::to_string(size));
}

AuditLog::AuditLog(std::unique_ptr<State> state) : state_(std::move(state)) {}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(state_->queue_mu);
    state_->closing = true;
  }
  state_->queue_cv.notify_all();
  if (state_->writer.joinable()) state_->writer.join();
}

Result<std::unique_ptr<AuditLog>> AuditLog::open(const LogOptions& options) {
  if (options.server_key == nullptr || options.clock == nullptr || !valid_key_name(options.origin)) {
    return fail(AuditErrc::malformed, "log options: origin must be a valid key name and server_key set");
  }
  auto db = Database::open(options.path, false, options.vfs);
  if (!db) return forward(db.error());
  // A log that cannot be written is refused at once, not at the first append (docs/audit-log.md §9).
  if (sqlite3_db_readonly(db->handle(), "main") == 1) {
    return not_writable(options.path, "SQLite opened it read-only: no write permission, or a read-only disk");
  }
  auto mode = db->prepare("PRAGMA journal_mode=WAL");
  if (!mode) return not_writable(options.path, mode.error().message());
  auto row = mode->step();
  if (!row) return not_writable(options.path, row.error().message());
  if (!*row || mode->text(0) != "wal") {
    return fail(AuditErrc::storage_failed, "could not switch " + options.path + " to WAL mode");
  }
  mode->reset();
  if (auto ok = db->exec("PRAGMA synchronous=FULL"); !ok) return forward(ok.error());
  if (auto ok = db->exec(kLogSchema); !ok) return not_writable(options.path, ok.error().message());

  const NoteKey log_key{options.origin, kNoteEd25519, options.server_key->verify_key()};
  auto meta = read_meta(*db);
  if (!meta && meta.error().code == AuditErrc::not_found) {
    auto insert = db->prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
    if (!insert) return forward(insert.error());
    if (auto ok = db->exec("BEGIN IMMEDIATE"); !ok) return forward(ok.error());
    std::vector<std::pair<std::string, std::string>> rows{{"format_version", "1"}, {"log_key", log_key.vkey()}};
    for (std::size_t i = 0; i < options.cosigners.size(); ++i) {
      rows.emplace_back("cosigner/" + std::to_string(i), options.cosigners[i].vkey());
    }
    for (const auto& [k, v] : rows) {
      if (auto ok = insert->bind(1, k).bind(2, v).run(); !ok) return forward(ok.error());
    }
    if (auto ok = db->exec("COMMIT"); !ok) return forward(ok.error());
  } else if (!meta) {
    return forward(meta.error());
  } else if (meta->log_key.vkey() != log_key.vkey() || meta->cosigners.size() != options.cosigners.size() ||
             !std::equal(meta->cosigners.begin(), meta->cosigners.end(), options.cosigners.begin(),
                         [](const NoteKey& a, const NoteKey& b) { return a.vkey() == b.vkey(); })) {
    return fail(AuditErrc::malformed,
                options.path + " was created with a different log key, origin or cosigners");
  }

  auto state = std::make_unique<State>(options, std::move(*db), log_key);
  if (auto ok = state->probe_write(); !ok) return not_writable(options.path, ok.error().message());
  if (auto ok = state->load(); !ok) return forward(ok.error());
  if (auto ok = state->check_saved_checkpoint(); !ok) return forward(ok.error());
  state->writer = std::thread([s = state.get()] { s->run_writer(); });
  return std::unique_ptr<AuditLog>(new AuditLog(std::move(state)));
}

Result<Appended> AuditLog::append(EntryType type, std::string actor, const crypto::SigningKey& actor_key,
                                  std::string payload) {
  if (actor.empty() || actor.size() > kMaxActorSize ||
      std::any_of(actor.begin(), actor.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return fail(AuditErrc::malformed, "actor: 1..255 bytes without control characters");
  }
  if (payload.size() > kMaxPayloadSize) return fail(AuditErrc::invalid_payload, "payload: longer than 1 MiB");
  if (auto ok = check_payload(type, payload); !ok) return forward(ok.error());
  PendingAppend pending{type, std::move(actor), &actor_key, std::move(payload), {}};
  auto done = pending.done.get_future();
  {
    std::lock_guard lock(state_->queue_mu);
    state_->queue.push_back(&pending);
  }
  state_->queue_cv.notify_one();
  return done.get();
}

Result<std::string> AuditLog::sign_checkpoint() {
  State& s = *state_;
  if (writing_stopped()) s.retry_now();  // a retry of its own: a resent ballot needs no other append
  std::lock_guard lock(s.mu);
  if (s.stopped) return fail(AuditErrc::writer_stopped, s.stopped->message());  // the writer retries
  if (auto ok = s.db.exec("BEGIN IMMEDIATE"); !ok) return forward(s.stop(ok.error()));
  auto latest = s.latest_locked();
  if (!latest) return forward(s.stop(latest.error()));
  const std::uint64_t size = s.tree.size();
  if (*latest) {
    const Checkpoint& prev = **latest;
    auto root = s.tree.root(prev.size);
    if (!root || *root != prev.root) {
      (void)s.db.exec("ROLLBACK");
      return fail(AuditErrc::inconsistent_checkpoint,
                  "the stored latest checkpoint (size " + std::to_string(prev.size) +
                      ") is not a prefix of the current tree; refusing to sign");
    }
    if (prev.size == size) {
      (void)s.db.exec("COMMIT");
      return s.checkpoint_note_locked(size);
    }
  }
  const Checkpoint checkpoint{s.options.origin, size, s.tree.root()};
  const std::string text = checkpoint.text();
  const std::string note = Note{text, {sign_note(text, s.options.origin, *s.options.server_key)}}.format();
  auto insert = s.db.prepare("INSERT INTO checkpoints (size, note) VALUES (?, ?)");
  if (!insert) return forward(s.stop(insert.error()));
  if (auto ok = insert->bind(1, static_cast<std::int64_t>(size)).bind(2, note).run(); !ok)
    return forward(s.stop(ok.error()));
  if (auto ok = s.db.exec("COMMIT"); !ok) return forward(s.stop(ok.error()));
  // Kept outside the database too, before anyone is given the note: a later rollback of the database is then
  // refused at open (check_saved_checkpoint).
  if (auto kept = write_checkpoint_file(s.checkpoint_file, note); !kept) return forward(kept.error());
  return note;
}

Status AuditLog::add_cosignature(std::uint64_t size, const NoteSignature& cosignature) {
  State& s = *state_;
  if (writing_stopped()) s.retry_now();
  std::lock_guard lock(s.mu);
  if (s.stopped) return fail(AuditErrc::writer_stopped, s.stopped->message());
  auto note_text = s.checkpoint_note_locked(size);
  if (!note_text) return forward(note_text.error());
  auto note = parse_note(*note_text);
  if (!note) return forward(note.error());
  const auto key = std::find_if(s.options.cosigners.begin(), s.options.cosigners.end(), [&](const NoteKey& k) {
    return k.name == cosignature.name && k.id() == cosignature.key_id;
  });
  if (key == s.options.cosigners.end()) return fail(AuditErrc::unknown_key, "cosigner " + cosignature.name);
  if (auto ok = verify_note_signature(note->text, cosignature, *key); !ok) return ok;
  auto insert = s.db.prepare("INSERT INTO cosignatures (size, name, line) VALUES (?, ?, ?)");
  if (!insert) return forward(insert.error());
  return insert->bind(1, static_cast<std::int64_t>(size))
      .bind(2, cosignature.name)
      .bind(3, cosignature.line())
      .run();
}

Result<std::string> AuditLog::latest_checkpoint() const {
  std::lock_guard lock(state_->mu);
  auto latest = state_->latest_locked();
  if (!latest) return forward(latest.error());
  if (!*latest) return fail(AuditErrc::not_found, "no signed checkpoint yet");
  return state_->checkpoint_note_locked((*latest)->size);
}

std::uint64_t AuditLog::size() const {
  std::lock_guard lock(state_->mu);
  return state_->tree.size();
}

Result<crypto::Bytes> AuditLog::entry(std::uint64_t sequence) const {
  std::lock_guard lock(state_->mu);
  auto select = state_->db.prepare("SELECT bytes FROM entries WHERE seq = ?");
  if (!select) return forward(select.error());
  select->bind(1, static_cast<std::int64_t>(sequence));
  auto row = select->step();
  if (!row) return forward(row.error());
  if (!*row) return fail(AuditErrc::not_found, "entry " + std::to_string(sequence));
  const auto b = select->blob(0);
  return crypto::Bytes(b.begin(), b.end());
}

Result<Receipt> AuditLog::receipt(std::uint64_t sequence) const {
  auto note = latest_checkpoint();
  if (!note) return forward(note.error());
  auto parsed = parse_note(*note);
  if (!parsed) return forward(parsed.error());
  auto checkpoint = Checkpoint::parse(parsed->text);
  if (!checkpoint) return forward(checkpoint.error());
  if (sequence >= checkpoint->size) {
    return fail(AuditErrc::not_found,
                "entry " + std::to_string(sequence) + " is not covered by the latest checkpoint yet");
  }
  auto bytes = entry(sequence);
  if (!bytes) return forward(bytes.error());
  std::lock_guard lock(state_->mu);
  auto proof = state_->tree.inclusion_proof(sequence, checkpoint->size);
  if (!proof) return forward(proof.error());
  return Receipt{std::move(*bytes), sequence, std::move(*proof), std::move(*note)};
}

Result<std::vector<Hash>> AuditLog::consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const {
  std::lock_guard lock(state_->mu);
  return state_->tree.consistency_proof(old_size, new_size);
}

Result<Hash> AuditLog::root(std::uint64_t size) const {
  std::lock_guard lock(state_->mu);
  return state_->tree.root(size);
}

Result<Bundle> AuditLog::export_bundle() const {
  std::lock_guard lock(state_->mu);
  return read_bundle(state_->db);
}

const NoteKey& AuditLog::log_key() const { return state_->log_key; }

const std::vector<std::string>& AuditLog::warnings() const { return state_->warnings; }

std::optional<std::string> AuditLog::writing_stopped() const {
  std::lock_guard lock(state_->mu);
  if (!state_->stopped) return std::nullopt;
  return "写入已停止 / writing has stopped: " + state_->stopped->message();
}

void AuditLog::on_recovered(RecoveredListener listener) {
  std::lock_guard lock(state_->listener_mu);
  state_->recovered_listener = std::move(listener);
}

}  // namespace hallvote::audit
