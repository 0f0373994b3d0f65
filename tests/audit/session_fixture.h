// A sample session for the audit tests: deterministic keys for the server, two officials (who also cosign) and
// a terminal, and a generator of entries that covers every entry type with valid payloads.
#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "hallvote/audit/log.h"
#include "hallvote/crypto/random.h"

namespace hallvote::audit::testing {

struct SessionKeys {
  explicit SessionKeys(std::uint64_t seed) : random(seed) {}
  crypto::DeterministicRandom random;
  crypto::SigningKey server = crypto::SigningKey::generate(random);
  crypto::SigningKey chair = crypto::SigningKey::generate(random);
  crypto::SigningKey scrutineer = crypto::SigningKey::generate(random);
  crypto::SigningKey terminal = crypto::SigningKey::generate(random);
  std::string origin = "hallvote.test/session-1";

  [[nodiscard]] std::vector<NoteKey> cosigners() const {
    return {NoteKey{"presidium/chair", kNoteCosignature, chair.verify_key()},
            NoteKey{"scrutineer/1", kNoteCosignature, scrutineer.verify_key()}};
  }
  [[nodiscard]] LogOptions options(const std::string& path, Clock* clock) const {
    LogOptions o;
    o.path = path;
    o.origin = origin;
    o.server_key = &server;
    o.cosigners = cosigners();
    o.clock = clock;
    return o;
  }
};

// A fresh, empty directory under the system temp dir, removed by the destructor.
struct TempDir {
  TempDir() : path(std::filesystem::temp_directory_path() / ("hallvote-audit-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path;
};

struct SampleEntry {
  EntryType type;
  std::string actor;
  const crypto::SigningKey* key;
  std::string payload;
};

// The i-th entry of the sample session (i = 0 opens the session and enrols the officials, i = 1 enrols the
// terminal; then the types cycle so that any kLastEntryType consecutive entries after that cover every type).
inline SampleEntry sample_entry(const SessionKeys& k, std::uint64_t i) {
  using nlohmann::json;
  const std::string vote = "vote-" + std::to_string(i / kLastEntryType);
  const std::string deputy = "deputy-" + std::to_string(i % 3000);
  const std::string h = crypto::to_hex(crypto::sha256(crypto::as_bytes("x" + std::to_string(i))));
  if (i == 0) {
    return {EntryType::session_opened, "server", &k.server,
            json{{"session_id", "s1"}, {"title", "第十四届全国人民代表大会第二次会议"},
                 {"officials", json::array({json{{"name", "presidium/chair"}, {"key", k.chair.verify_key().hex()}},
                                            json{{"name", "scrutineer/1"}, {"key", k.scrutineer.verify_key().hex()}}})}}
                .dump()};
  }
  if (i == 1) {
    return {EntryType::terminal_enrolled, "server", &k.server,
            json{{"terminal_id", "T0001"}, {"seat", "1-1-1"}, {"terminal_key", k.terminal.verify_key().hex()}}.dump()};
  }
  switch (static_cast<EntryType>((i - 2) % kLastEntryType + 1)) {
    case EntryType::session_opened:
      return {EntryType::vote_opened, "server", &k.server, json{{"vote_id", vote}, {"title", "表决议案"}, {"kind", "resolution"}}.dump()};
    case EntryType::terminal_enrolled:
      return {EntryType::terminal_enrolled, "server", &k.server, json{{"terminal_id", "T0001"}, {"seat", "1-1-1"}, {"terminal_key", k.terminal.verify_key().hex()}}.dump()};
    case EntryType::deputy_signed_in:
      return {EntryType::deputy_signed_in, "terminal/T0001", &k.terminal, json{{"deputy_id", deputy}, {"terminal_id", "T0001"}}.dump()};
    case EntryType::vote_opened:
      return {EntryType::vote_opened, "presidium/chair", &k.chair, json{{"vote_id", vote}, {"title", "表决"}, {"kind", "resolution"}}.dump()};
    case EntryType::ballot_approved:
      return {EntryType::ballot_approved, "server", &k.server, json{{"vote_id", vote}, {"official_id", "P01"}}.dump()};
    case EntryType::ballot_issued:
      return {EntryType::ballot_issued, "server", &k.server, json{{"vote_id", vote}, {"deputy_id", deputy}, {"terminal_id", "T0001"}}.dump()};
    case EntryType::ballot_cast:
      return {EntryType::ballot_cast, "terminal/T0001", &k.terminal, json{{"vote_id", vote}, {"deputy_id", deputy}, {"ballot_hash", h}}.dump()};
    case EntryType::cast_rejected:
      return {EntryType::cast_rejected, "server", &k.server, json{{"vote_id", vote}, {"deputy_id", deputy}, {"reason", "already cast"}}.dump()};
    case EntryType::vote_held:
      return {EntryType::vote_held, "presidium/chair", &k.chair, json{{"vote_id", vote}, {"reason", "暂停"}}.dump()};
    case EntryType::vote_resumed:
      return {EntryType::vote_resumed, "presidium/chair", &k.chair, json{{"vote_id", vote}}.dump()};
    case EntryType::vote_closed:
      return {EntryType::vote_closed, "presidium/chair", &k.chair, json{{"vote_id", vote}, {"ballots", i}}.dump()};
    case EntryType::tally:
      return {EntryType::tally, "server", &k.server, json{{"vote_id", vote}, {"ballots", i}, {"tally_hash", h}}.dump()};
    case EntryType::decryption_share:
      return {EntryType::decryption_share, "scrutineer/1", &k.scrutineer, json{{"vote_id", vote}, {"trustee", "scrutineer/1"}, {"share_hash", h}}.dump()};
    case EntryType::result:
      return {EntryType::result, "server", &k.server, json{{"vote_id", vote}, {"outcome", json{{"yes", 2000}, {"no", 10}}}}.dump()};
    case EntryType::certification:
      return {EntryType::certification, "scrutineer/1", &k.scrutineer, json{{"vote_id", vote}, {"certifier", "scrutineer/1"}, {"result_hash", h}}.dump()};
    case EntryType::checkpoint_cosigned:
      return {EntryType::checkpoint_cosigned, "server", &k.server, json{{"size", i}, {"root", h}, {"cosigner", "presidium/chair"}}.dump()};
    case EntryType::session_closed:
      return {EntryType::session_closed, "server", &k.server, json{{"session_id", "s1"}}.dump()};
    case EntryType::sign_in_opened:
      return {EntryType::sign_in_opened, "server", &k.server, json{{"session_id", "s1"}}.dump()};
    case EntryType::session_started:
      return {EntryType::session_started, "server", &k.server,
              json{{"session_id", "s1"}, {"present", 2900}, {"in_office", 2980}}.dump()};
    case EntryType::ballot_prepared:
      return {EntryType::ballot_prepared, "server", &k.server, json{{"vote_id", vote}, {"round", 1}, {"base_hash", h}}.dump()};
  }
  return {};
}

inline Result<Appended> append_sample(AuditLog& log, const SessionKeys& k, std::uint64_t i) {
  auto e = sample_entry(k, i);
  return log.append(e.type, e.actor, *e.key, e.payload);
}

// Signs a checkpoint of the current tree and has both officials cosign it (timestamp = size).
inline Status checkpoint_and_cosign(AuditLog& log, const SessionKeys& k) {
  auto note = log.sign_checkpoint();
  if (!note) return forward(note.error());
  auto parsed = parse_note(*note);
  auto c = Checkpoint::parse(parsed->text);
  for (auto [name, key] : {std::pair{"presidium/chair", &k.chair}, std::pair{"scrutineer/1", &k.scrutineer}}) {
    bool present = false;
    for (const auto& s : parsed->signatures) present = present || s.name == name;
    if (present) continue;
    if (auto ok = log.add_cosignature(c->size, cosign_note(parsed->text, name, *key, c->size)); !ok) return ok;
  }
  return {};
}

}  // namespace hallvote::audit::testing
