// A sample session for the audit tests: deterministic keys for the server, two officials (who also cosign) and
// a terminal, and a generator of entries that covers every entry type with valid payloads.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "hallvote/audit/log.h"
#include "hallvote/crypto/random.h"
#include "hallvote/protocol/events.h"

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
  TempDir()
      : path(std::filesystem::temp_directory_path() /
             ("hallvote-audit-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++))) {
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

// A minimal well-formed result outcome (one counted round, no items) for the sample session's result entries.
inline protocol::ResultOutcome sample_outcome(std::uint64_t i) {
  protocol::ResultOutcome o;
  o.round.in_office = 2980;
  o.round.present = 2900;
  o.round.accounting = {2900, static_cast<std::uint32_t>(i % 2900), static_cast<std::uint32_t>(i % 2900), 0};
  o.round.quorum_met = true;
  o.round.base = 2980;
  o.round.threshold = 1491;
  o.round.quorum_minimum = 1987;
  o.decided = true;
  o.decrypted_by = {"scrutineer/1"};
  return o;
}

// The i-th entry of the sample session (i = 0 opens the session and enrols the officials, i = 1 enrols the
// terminal; then the types cycle so that any kLastEntryType consecutive entries after that cover every type).
// Payloads are the typed events' encodings (protocol::encode); the actors and keys vary so that the log-level
// checks of who may sign are exercised.
inline SampleEntry sample_entry(const SessionKeys& k, std::uint64_t i) {
  using nlohmann::json;
  using namespace protocol;
  const std::string vote = "vote-" + std::to_string(i / kLastEntryType);
  const std::string deputy = "deputy-" + std::to_string(i % 3000);
  const auto h = crypto::sha256(crypto::as_bytes("x" + std::to_string(i)));
  const auto n = static_cast<std::uint32_t>(i);
  const crypto::Signature signature{};
  const crypto::Bytes bytes(64, static_cast<std::uint8_t>(i));
  auto entry = [&](const std::string& actor, const crypto::SigningKey& key, const Event& event) {
    return SampleEntry{type_of(event), actor, &key, encode(event)};
  };
  if (i == 0) {
    const json record = {
        {"session_id", "s1"},
        {"title", "第十四届全国人民代表大会第二次会议"},
        {"officials", json::array({json{{"name", "presidium/chair"}, {"key", k.chair.verify_key().hex()}},
                                   json{{"name", "scrutineer/1"}, {"key", k.scrutineer.verify_key().hex()}}})}};
    return entry("server", k.server, SessionOpened{"s1", "第十四届全国人民代表大会第二次会议", record});
  }
  if (i == 1) return entry("server", k.server, TerminalEnrolled{"T0001", "1-1-1", k.terminal.verify_key()});
  switch (static_cast<EntryType>((i - 2) % kLastEntryType + 1)) {
    case EntryType::session_opened:
      return entry("server", k.server, VoteOpened{vote, 1, "表决议案", "per_item", h});
    case EntryType::terminal_enrolled:
      return entry("server", k.server, TerminalEnrolled{"T0001", "1-1-1", k.terminal.verify_key()});
    case EntryType::deputy_signed_in:
      return entry("terminal/T0001", k.terminal,
                   DeputySignedIn{deputy, "T0001", crypto::Bytes(32, 7), signature});
    case EntryType::vote_opened:
      return entry("presidium/chair", k.chair, VoteOpened{vote, 1, "表决", "per_item", h});
    case EntryType::ballot_approved:
      return entry("server", k.server, BallotApproved{vote, 1, "P01", h, signature});
    case EntryType::ballot_issued:
      return entry("server", k.server, BallotIssued{vote, 1, deputy, "T0001"});
    case EntryType::ballot_cast:
      return entry("terminal/T0001", k.terminal, BallotCast{vote, 1, deputy, "T0001", h, bytes, signature});
    case EntryType::cast_rejected:
      return entry("server", k.server,
                   CastRejected{vote, deputy, "T0001", ProtocolErrc::already_cast, "already cast"});
    case EntryType::casts_refused_summary:
      return entry("server", k.server,
                   CastsRefusedSummary{"T0001", 3, {{ProtocolErrc::wrong_credential, 3}}, false});
    case EntryType::vote_held:
      return entry("presidium/chair", k.chair, VoteHeld{vote, "暂停"});
    case EntryType::vote_resumed:
      return entry("presidium/chair", k.chair, VoteResumed{vote});
    case EntryType::vote_closed:
      return entry("presidium/chair", k.chair, VoteClosed{vote, 1, n, n, n});
    case EntryType::tally:
      return entry("server", k.server, Tally{vote, 1, n, h, {bytes}});
    case EntryType::decryption_share:
      return entry("scrutineer/1", k.scrutineer, DecryptionShare{vote, "scrutineer/1", 1, h, bytes});
    case EntryType::result:
      return entry("server", k.server, ResultEntry{vote, sample_outcome(i)});
    case EntryType::certification:
      return entry("scrutineer/1", k.scrutineer,
                   CertificationEntry{
                       Certification{vote, 1, i, h, "scrutineer/1", "监票人", "scrutineer", signature, false}});
    case EntryType::checkpoint_cosigned:
      return entry("server", k.server, CheckpointCosigned{i, h, "presidium/chair"});
    case EntryType::session_closed:
      return entry("server", k.server, SessionClosed{"s1"});
    case EntryType::sign_in_opened:
      return entry("server", k.server, SignInOpened{"s1"});
    case EntryType::session_started:
      return entry("server", k.server, SessionStarted{"s1", 2900, 2980});
    case EntryType::ballot_prepared:
      return entry("server", k.server, BallotPrepared{vote, 1, h, "{}"});
    case EntryType::ballot_challenged:
      return entry("server", k.server,
                   BallotChallenged{vote, 1, deputy, "T0001", h, bytes, signature,
                                    ChallengeReveal{{{1, 0, 0}},
                                                    {{crypto::Scalar::from_u64(1), crypto::Scalar::from_u64(2),
                                                      crypto::Scalar::from_u64(3)}}}});
    case EntryType::presidium_decision: {
      PresidiumDecision decision;
      decision.kind = DecisionKind::accept_fewer;
      decision.vote_id = vote;
      decision.round = 1;
      decision.result_sequence = i;
      decision.result_hash = h;
      decision.sitting = 1;
      return entry("server", k.server,
                   PresidiumDecisionSigned{decision, "P01", "主席团成员", signature, false});
    }
  }
  return {};
}

inline Result<Appended> append_sample(AuditLog& log, const SessionKeys& k, std::uint64_t i) {
  auto e = sample_entry(k, i);
  return log.append(e.type, e.actor, *e.key, e.payload);
}

// Creates the log at `path` with the sample session's first two entries (session opened, terminal enrolled).
inline Status create_sample_log(const SessionKeys& k, const std::string& path) {
  auto log = AuditLog::open(k.options(path, &system_clock()));
  if (!log) return forward(log.error());
  for (std::uint64_t i = 0; i < 2; ++i) {
    if (auto a = append_sample(**log, k, i); !a) return forward(a.error());
  }
  return {};
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

// An entry the log acknowledged, as the appender saw it.
struct Ack {
  std::uint64_t sequence;
  Hash hash;
};

// After a crash or a power cut and a successful reopen (which re-verified chain, tree and checkpoints): the
// first acknowledged entry that is missing or different, or a latest signed checkpoint that the recovered tree
// does not extend. Empty when the log kept every promise.
inline std::string broken_promise(const AuditLog& log, const std::vector<Ack>& acked) {
  for (const Ack& a : acked) {
    auto bytes = log.entry(a.sequence);
    if (!bytes) return "acknowledged entry " + std::to_string(a.sequence) + " lost";
    if (entry_hash(*bytes) != a.hash) return "acknowledged entry " + std::to_string(a.sequence) + " changed";
  }
  if (auto latest = log.latest_checkpoint()) {
    auto c = Checkpoint::parse(parse_note(*latest)->text);
    auto root = log.root(c->size);
    if (!root || *root != c->root)
      return "the recovered tree does not extend the signed checkpoint of size " + std::to_string(c->size);
  }
  return {};
}

}  // namespace hallvote::audit::testing
