// The hall directory written by `hallvote-server init` and read by every hall tool (default var/hall):
//   hall.json                 what init recorded: the session file, the key overrides, the election key, the
//   log's
//                             origin and server public key, the CA fingerprint (no secrets)
//   ca.crt                    the hall CA certificate (every peer pins it)
//   ca.key                    the CA private key, sealed (key file kind "hall-ca-key"), 0600
//   server.crt                the server's TLS certificate
//   server-tls.key            its TLS private key (PKCS#8 PEM), sealed (kind "tls-key"), 0600
//   server-signing.key        the server's Ed25519 log and ballot signing seed, sealed (kind "ed25519-seed"),
//   0600 session.db                the session's audit log (SQLite, WAL) operators/ID.{key,crt}    consoles of
//   staff, chair, presidium members, scrutineers (key 0600) terminals/ID.{key,crt}    seat terminals (key 0600)
// The same passphrase seals the three server key files.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/hall/election.h"
#include "hallvote/protocol/session_record.h"
#include "hallvote/session/definition.h"
#include "hallvote/tlog/note.h"

namespace hallvote::setup {

inline constexpr const char* kCaKeyKind = "hall-ca-key";
inline constexpr const char* kTlsKeyKind = "tls-key";
inline constexpr const char* kSigningKeyKind = "ed25519-seed";

struct HallPaths {
  std::filesystem::path dir;
  [[nodiscard]] std::filesystem::path hall_json() const { return dir / "hall.json"; }
  [[nodiscard]] std::filesystem::path ca_cert() const { return dir / "ca.crt"; }
  [[nodiscard]] std::filesystem::path ca_key() const { return dir / "ca.key"; }
  [[nodiscard]] std::filesystem::path server_cert() const { return dir / "server.crt"; }
  [[nodiscard]] std::filesystem::path server_tls_key() const { return dir / "server-tls.key"; }
  [[nodiscard]] std::filesystem::path server_signing_key() const { return dir / "server-signing.key"; }
  [[nodiscard]] std::filesystem::path log_db() const { return dir / "session.db"; }
  [[nodiscard]] std::filesystem::path operators() const { return dir / "operators"; }
  // The resolution records, rewritten each time a vote's certification completes (docs/records.md).
  [[nodiscard]] std::filesystem::path records() const { return dir / "records"; }
  [[nodiscard]] std::filesystem::path terminals() const { return dir / "terminals"; }
  // The seat terminals' pending ballots (voter-terminal pending_cast.h), when no --state-dir is given.
  [[nodiscard]] std::filesystem::path terminal_state() const { return dir / "terminal-state"; }
};

// hall.json. Maps are null when init was not given them.
struct HallRecord {
  std::filesystem::path session_path;  // absolute
  std::string origin;                  // the log's name, e.g. "hallvote.local/jianchi-19-3"
  std::string server_key_hex;          // the server's Ed25519 public key (issued ballots, log checkpoints)
  std::string ca_fingerprint;          // SHA-256 of the CA certificate, hex
  nlohmann::json cards;                // the issuer-signed card list (docs/cards.md §4) init accepted, or null
  nlohmann::json officials;            // {official id: signing key hex} or null
  nlohmann::json election;             // ElectionRecord JSON or null
  nlohmann::json key_ceremony;  // the ceremony's transcript init checked (protocol::CeremonyRecord), or null

  [[nodiscard]] nlohmann::json to_json() const;
  [[nodiscard]] static Result<HallRecord> from_json(const nlohmann::json& json);
};

// The log origin for a session id.
[[nodiscard]] std::string log_origin(std::string_view session_id);

// Everything the tools need to talk to the hall, loaded and cross-checked.
struct Hall {
  HallPaths paths;
  HallRecord record;
  session::SessionDefinition session;      // the session file with the overrides applied
  protocol::SessionRecord session_record;  // the files and overrides it was made of (logged in session_opened)
  crypto::VerifyKey server_key{{}};
  std::optional<ElectionRecord> election;
  std::string ca_cert_pem;

  // The checkpoint key of the log (type 0x01, name = origin, key = server key).
  [[nodiscard]] audit::NoteKey log_key() const;
  // The key committee's cosigner keys (type 0x04, name = "<origin>/<official id>"), for closing checkpoints.
  [[nodiscard]] std::vector<audit::NoteKey> cosigners() const;
};

// Loads hall.json, the session file (+ overrides) and the CA certificate of `dir`. Errors name the file: a
// missing hall ("run hallvote-server init first"), an invalid session, overrides that do not apply, an election
// key that does not match the key committee.
[[nodiscard]] Result<Hall> load_hall(const std::filesystem::path& dir);

// Reads a JSON file (std::errc::invalid_argument naming the file when it does not parse).
[[nodiscard]] Result<nlohmann::json> read_json(const std::filesystem::path& path);

}  // namespace hallvote::setup
