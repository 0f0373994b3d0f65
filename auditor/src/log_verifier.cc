#include "hallvote/auditor/log_verifier.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/entry.h"
#include "hallvote/tlog/errors.h"

namespace hallvote::audit {

struct CachedEntry {
  Entry entry;
  Hash leaf;
  Hash chain;
};

struct VerificationCache::Impl {
  std::unordered_map<std::string, CachedEntry> entries;
  std::unordered_map<std::string, VerifiedCheckpoint> notes;
};

VerificationCache::VerificationCache() : impl_(std::make_unique<Impl>()) {}
VerificationCache::~VerificationCache() = default;

namespace {

Failure entry_failure(std::string check, std::uint64_t index, std::string field, Error error) {
  return Failure{std::move(check), index, std::nullopt, std::nullopt, std::move(field), std::move(error)};
}

// "payload.x: ..." / "actor: ..." → the field name before the colon.
std::string field_of(const std::string& detail) { return detail.substr(0, detail.find(':')); }

// Keys enrolled so far: actor name → key. "server" is the log key; officials come from session_opened,
// terminals ("terminal/<id>") from terminal_enrolled.
class Enrolment {
 public:
  explicit Enrolment(const crypto::VerifyKey& server) { keys_.insert_or_assign("server", server); }

  [[nodiscard]] std::optional<Failure> check(const Entry& e, std::uint64_t index) const {
    const auto it = keys_.find(e.actor);
    if (it == keys_.end()) {
      return entry_failure(
          "entry.actor", index, "actor",
          Error{make_error_code(AuditErrc::unauthorized_actor), "\"" + e.actor + "\" was never enrolled"});
    }
    if (!(it->second == e.actor_key)) {
      return entry_failure("entry.actor", index, "actor_key",
                           Error{make_error_code(AuditErrc::unauthorized_actor),
                                 "not the key enrolled for \"" + e.actor + "\""});
    }
    return std::nullopt;
  }

  [[nodiscard]] std::optional<Failure> learn(const Entry& e, std::uint64_t index) {
    if (e.type != EntryType::session_opened && e.type != EntryType::terminal_enrolled) return std::nullopt;
    const auto json = nlohmann::json::parse(e.payload);  // already checked canonical
    auto add = [&](const std::string& name, const std::string& hex,
                   const std::string& field) -> std::optional<Failure> {
      auto key = crypto::VerifyKey::from_hex(hex);
      if (!key || hex.size() != 64 || name.empty() || name == "server") {
        return entry_failure("entry.payload", index, field,
                             Error{make_error_code(AuditErrc::invalid_payload), "invalid name or key"});
      }
      keys_.insert_or_assign(name, *key);
      return std::nullopt;
    };
    if (e.type == EntryType::terminal_enrolled) {
      return add("terminal/" + json["terminal_id"].get<std::string>(), json["terminal_key"].get<std::string>(),
                 "payload.terminal_key");
    }
    std::size_t i = 0;
    for (const auto& official : json["officials"]) {
      const std::string field = "payload.officials[" + std::to_string(i++) + "]";
      if (!official.is_object() || !official.contains("name") || !official.contains("key") ||
          !official["name"].is_string() || !official["key"].is_string()) {
        return entry_failure(
            "entry.payload", index, field,
            Error{make_error_code(AuditErrc::invalid_payload), "expected {\"key\":hex,\"name\":text}"});
      }
      if (auto f = add(official["name"].get<std::string>(), official["key"].get<std::string>(), field))
        return f;
    }
    return std::nullopt;
  }

 private:
  std::map<std::string, crypto::VerifyKey> keys_;
};

// Decoding, schema and signature: the checks that depend on the entry's bytes only.
Result<CachedEntry> check_entry_alone(const crypto::Bytes& bytes, bool signatures, std::string& check,
                                      std::string& field) {
  auto entry = decode(bytes);
  if (!entry) {
    check = "entry.encoding";
    field = field_of(entry.error().detail);
    return forward(entry.error());
  }
  if (auto ok = check_payload(entry->type, entry->payload); !ok) {
    check = "entry.payload";
    field = field_of(ok.error().detail);
    return forward(ok.error());
  }
  if (signatures) {
    if (auto ok = entry->actor_key.verify(signed_part(bytes), entry->signature); !ok) {
      check = "entry.signature";
      field = "signature";
      return fail(AuditErrc::invalid_signature, "the actor's signature over the entry does not verify");
    }
  }
  return CachedEntry{std::move(*entry), leaf_hash(bytes), entry_hash(bytes)};
}

constexpr std::uint64_t kMinParallelEntries = 512;
constexpr std::uint64_t kAheadBlock = 1024;

struct AloneResult {
  Result<CachedEntry> result = fail(AuditErrc::malformed, "not checked");
  std::string check;
  std::string field;
};

// check_entry_alone for entries [begin, end) on options.threads threads (interleaved, so each gets a fair
// share), skipping entries already in the cache (read only here: nothing inserts until this returns).
void check_ahead(const std::vector<crypto::Bytes>& entries, std::uint64_t begin, std::uint64_t end,
                 const VerifyOptions& options, const VerificationCache::Impl* cache,
                 std::vector<AloneResult>& out) {
  out.clear();
  out.resize(end - begin);
  const unsigned threads = std::min<unsigned>(options.threads, 16);
  auto work = [&](unsigned t) {
    std::string key;
    for (std::uint64_t i = begin + t; i < end; i += threads) {
      if (cache) {
        key.assign(entries[i].begin(), entries[i].end());
        if (cache->entries.count(key) != 0) continue;
      }
      AloneResult& r = out[i - begin];
      r.result = check_entry_alone(entries[i], options.entry_signatures, r.check, r.field);
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work, t);
  work(0);
  for (auto& h : helpers) h.join();
}

std::optional<Failure> check_trusted_keys(const Bundle& bundle, const std::vector<std::string>& trusted) {
  auto keys_failure = [](std::string detail) {
    return Failure{"bundle.keys", std::nullopt,
                   std::nullopt,  std::nullopt,
                   "keys",        Error{make_error_code(AuditErrc::unknown_key), std::move(detail)}};
  };
  auto is_trusted = [&](const NoteKey& k) {
    return std::find(trusted.begin(), trusted.end(), k.vkey()) != trusted.end();
  };
  if (!is_trusted(bundle.log_key)) return keys_failure("the bundle's log key is not a trusted key");
  for (const auto& c : bundle.cosigners) {
    if (!is_trusted(c)) return keys_failure("cosigner " + c.name + " is not a trusted key");
  }
  if (bundle.cosigners.size() + 1 != trusted.size()) return keys_failure("the bundle omits a trusted cosigner");
  return std::nullopt;
}

}  // namespace

Report verify_bundle(const Bundle& bundle, const VerifyOptions& options) {
  Report report;
  if (!options.trusted_vkeys.empty()) {
    if (auto f = check_trusted_keys(bundle, options.trusted_vkeys)) {
      report.failure = std::move(f);
      return report;
    }
    report.keys_trusted = true;
  }
  VerificationCache::Impl* cache = options.cache ? &options.cache->impl() : nullptr;
  Enrolment enrolment(bundle.log_key.key);
  MerkleTree tree;
  Hash previous{};
  std::int64_t previous_time = 0;
  const std::uint64_t total = bundle.entries.size();
  // Context-free checks of a block of entries done ahead, in parallel; the loop below consumes them in order.
  // Only the signature check is worth a thread: without it an entry costs a few microseconds.
  const bool parallel = options.threads > 1 && options.entry_signatures && total >= kMinParallelEntries;
  std::vector<AloneResult> ahead;
  std::uint64_t ahead_begin = 0;
  for (std::uint64_t i = 0; i < total; ++i) {
    if (parallel && i % kAheadBlock == 0) {
      ahead_begin = i;
      check_ahead(bundle.entries, i, std::min(total, i + kAheadBlock), options, cache, ahead);
    }
    const crypto::Bytes& bytes = bundle.entries[i];
    const CachedEntry* checked = nullptr;
    std::string cache_key;
    CachedEntry fresh;
    if (cache) {
      cache_key.assign(bytes.begin(), bytes.end());
      if (auto it = cache->entries.find(cache_key); it != cache->entries.end()) checked = &it->second;
    }
    if (checked == nullptr) {
      AloneResult own;
      if (!parallel) own.result = check_entry_alone(bytes, options.entry_signatures, own.check, own.field);
      AloneResult& done = parallel ? ahead[i - ahead_begin] : own;
      auto& result = done.result;
      if (!result) {
        report.failure = entry_failure(done.check, i, done.field, result.error());
        return report;
      }
      if (cache) {
        checked = &cache->entries.emplace(cache_key, std::move(*result)).first->second;
      } else {
        fresh = std::move(*result);
        checked = &fresh;
      }
    }
    const Entry& e = checked->entry;
    if (e.sequence != i) {
      report.failure =
          entry_failure("entry.chain", i, "sequence",
                        Error{make_error_code(AuditErrc::chain_broken),
                              "sequence " + std::to_string(e.sequence) + " at position " + std::to_string(i)});
      return report;
    }
    if (e.previous != previous) {
      report.failure =
          entry_failure("entry.chain", i, "previous",
                        Error{make_error_code(AuditErrc::chain_broken),
                              "does not name the hash of entry " +
                                  (i == 0 ? std::string("-1 (must be zero)") : std::to_string(i - 1))});
      return report;
    }
    if (e.time_ms < previous_time) {
      report.failure =
          entry_failure("entry.chain", i, "time",
                        Error{make_error_code(AuditErrc::chain_broken), "earlier than the previous entry"});
      return report;
    }
    if (auto f = enrolment.check(e, i)) {
      report.failure = std::move(f);
      return report;
    }
    if (auto f = enrolment.learn(e, i)) {
      report.failure = std::move(f);
      return report;
    }
    tree.append(checked->leaf);
    previous = checked->chain;
    previous_time = e.time_ms;
    report.entries = i + 1;
    if (options.progress && (i + 1) % 4096 == 0) options.progress(i + 1, total);
  }
  if (options.progress) options.progress(total, total);

  std::string key_context = bundle.log_key.vkey();
  for (const auto& c : bundle.cosigners) key_context += "\n" + c.vkey();
  std::optional<Checkpoint> last;
  for (std::uint64_t k = 0; k < bundle.checkpoints.size(); ++k) {
    auto checkpoint_failure = [&](std::string check, std::string field, Error error) {
      report.failure =
          Failure{std::move(check), std::nullopt, k, std::nullopt, std::move(field), std::move(error)};
      return report;
    };
    const std::string& note = bundle.checkpoints[k];
    const VerifiedCheckpoint* verified = nullptr;
    Result<VerifiedCheckpoint> fresh = fail(AuditErrc::malformed);
    const std::string cache_key = key_context + "\n\n" + note;
    if (cache) {
      if (auto it = cache->notes.find(cache_key); it != cache->notes.end()) verified = &it->second;
    }
    if (verified == nullptr) {
      fresh = verify_checkpoint_note(note, bundle.log_key, bundle.cosigners);
      if (!fresh) {
        const bool sig =
            fresh.error().code == AuditErrc::invalid_signature || fresh.error().code == AuditErrc::unknown_key;
        return checkpoint_failure(sig ? "checkpoint.signature" : "checkpoint.format",
                                  sig ? "signature" : "note", fresh.error());
      }
      verified = cache ? &cache->notes.emplace(cache_key, *fresh).first->second : &*fresh;
    }
    const Checkpoint& c = verified->checkpoint;
    if (last && c.size <= last->size) {
      return checkpoint_failure("checkpoint.order", "size",
                                Error{make_error_code(AuditErrc::malformed), "sizes must strictly increase"});
    }
    if (c.size > tree.size()) {
      return checkpoint_failure("checkpoint.size", "size",
                                Error{make_error_code(AuditErrc::root_mismatch),
                                      "signed size " + std::to_string(c.size) + " but the bundle holds " +
                                          std::to_string(tree.size()) + " entries"});
    }
    if (*tree.root(c.size) != c.root) {
      return checkpoint_failure(
          "checkpoint.root", "root",
          Error{make_error_code(AuditErrc::root_mismatch),
                "signed root differs from the root of entries 0.." + std::to_string(c.size)});
    }
    if (last) {
      auto proof = tree.consistency_proof(last->size, c.size);
      if (!proof || !verify_consistency(last->size, c.size, last->root, c.root, *proof)) {
        return checkpoint_failure("checkpoint.consistency", "root",
                                  Error{make_error_code(AuditErrc::inconsistent_checkpoint),
                                        "not an extension of the previous checkpoint"});
      }
    }
    last = c;
    report.cosigners = verified->cosigned_by;
    report.checkpoints = k + 1;
  }
  if (!last) {
    report.failure =
        Failure{"checkpoint.coverage",
                std::nullopt,
                std::nullopt,
                std::nullopt,
                "checkpoints",
                Error{make_error_code(AuditErrc::malformed), "the bundle holds no signed checkpoint"}};
    return report;
  }
  if (last->size != tree.size()) {
    report.failure =
        Failure{"checkpoint.coverage",
                last->size,
                std::nullopt,
                std::nullopt,
                "size",
                Error{make_error_code(AuditErrc::malformed), "entries beyond the last signed checkpoint"}};
    return report;
  }
  if (report.cosigners.size() != bundle.cosigners.size()) {
    report.failure = Failure{"checkpoint.cosignatures",
                             std::nullopt,
                             report.checkpoints - 1,
                             std::nullopt,
                             "signature",
                             Error{make_error_code(AuditErrc::invalid_signature),
                                   "the last checkpoint lacks a listed cosigner's cosignature"}};
    return report;
  }
  report.tree_size = last->size;
  report.root = last->root;
  return report;
}

std::optional<Failure> check_stored_leaf_hashes(const Bundle& bundle, std::span<const crypto::Bytes> stored) {
  for (std::uint64_t i = 0; i < bundle.entries.size(); ++i) {
    const Hash leaf = leaf_hash(bundle.entries[i]);
    if (i >= stored.size() || !std::equal(leaf.begin(), leaf.end(), stored[i].begin(), stored[i].end())) {
      return Failure{"entry.leaf_hash",
                     i,
                     std::nullopt,
                     std::nullopt,
                     "leaf_hash",
                     Error{make_error_code(AuditErrc::root_mismatch),
                           "数据库中存储的叶哈希与条目内容不符 / the leaf hash stored in the database differs "
                           "from the hash of the entry's bytes"}};
    }
  }
  return std::nullopt;
}

Report verify_bundle_text(std::string_view text, const VerifyOptions& options) {
  auto bundle = parse_bundle(text);
  if (!bundle) {
    Report report;
    report.failure =
        Failure{"bundle.format", std::nullopt, std::nullopt, bundle.error().line, "line", bundle.error().error};
    return report;
  }
  return verify_bundle(*bundle, options);
}

}  // namespace hallvote::audit
