// What the audit log's first entry (session_opened, docs/audit-log.md §3) records about the session, so that an
// auditor rebuilds from the log alone the definition the server used (roster, credential keys, projects, votes,
// rules) and the key ceremony's public result (to check every decryption share).
#pragma once

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "hallvote/common/result.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/session/definition.h"
#include "hallvote/session/loader.h"

namespace hallvote::protocol {

// The session files as staff wrote them, and the hall's replacements of their placeholder public keys:
// deputies' card keys (from card issuing, or simulated cards in a demo) and the key committee's signing keys
// (from the key ceremony). Each map is {id: 64 lower-case hex}; empty leaves the file's keys.
struct SessionRecord {
  session::SessionFiles files;
  std::map<std::string, std::string> credential_keys;
  std::map<std::string, std::string> official_keys;
  // The issuer-signed card list `credential_keys` came from (docs/cards.md §4), or null. Recorded as is; the
  // hall checked it at init and the auditor checks it again (protocol does not read it).
  nlohmann::json card_list;
  // The transcript of the key ceremony held on the members' own machines (protocol/key_ceremony.h, {"call",
  // "messages"}) that made the election key and the members' signing keys, or null (a demo ceremony in one
  // process). Recorded as is; the hall checked it at init and the auditor checks it again.
  nlohmann::json key_ceremony;

  // The definition: the files parsed by the session loader, then the key replacements applied.
  [[nodiscard]] Result<session::SessionDefinition> definition() const;

  // {"files": {name: text}, "session_file": name, "credential_keys": {…}, "official_keys": {…}} and, when there
  // is one, "card_list": {…} and "key_ceremony": {…}.
  [[nodiscard]] nlohmann::json to_json() const;
  // Checks the shape and that every key is an Ed25519 public key in hex (ProtocolErrc::malformed, naming the
  // field).
  [[nodiscard]] static Result<SessionRecord> from_json(const nlohmann::json& json);
};

// Replaces placeholder keys. Fails (std::errc::invalid_argument, naming the id, in Chinese and English) when a
// map names an id the session does not have or holds a value that is not an Ed25519 public key in hex; on
// failure `session` is unchanged.
[[nodiscard]] Status apply_key_overrides(session::SessionDefinition& session,
                                         const std::map<std::string, std::string>& credential_keys,
                                         const std::map<std::string, std::string>& official_keys);

// Reads a JSON object {id: hex key} (null reads as empty). `what_zh`/`what` name it in errors.
[[nodiscard]] Result<std::map<std::string, std::string>> read_key_map(const nlohmann::json& map,
                                                                      const char* what_zh, const char* what);

// The public result of the key ceremony: {"k", "n", "ceremony_id", "election_key": hex, "trustee_keys":
// [hex…]}.
[[nodiscard]] nlohmann::json threshold_key_json(const crypto::ThresholdKey& key);
// Validates params, every point (canonical, not the identity) and n = number of trustee keys.
[[nodiscard]] Result<crypto::ThresholdKey> threshold_key_from_json(const nlohmann::json& json);

// The session_opened payload: session_id, title, officials [{id,name,key,role}], quorum, election_key,
// server_key (the fields auditors read first), plus "session" (SessionRecord::to_json) and, when there is one,
// "threshold_key". `definition` must be `record.definition()`.
[[nodiscard]] nlohmann::json session_opened_payload(const SessionRecord& record,
                                                    const session::SessionDefinition& definition,
                                                    const std::array<std::uint8_t, 32>& election_key,
                                                    const crypto::VerifyKey& server_key,
                                                    const std::optional<crypto::ThresholdKey>& threshold_key);

// Everything session_opened holds, read back.
struct OpenedSession {
  std::string session_id;
  session::SessionDefinition definition;
  std::optional<crypto::ThresholdKey> threshold_key;  // absent when the server ran without a key ceremony
  std::array<std::uint8_t, 32> election_key{};
  crypto::VerifyKey server_key{{}};
};

// Reads a session_opened payload: the definition (re-parsed and cross-checked against session_id and the
// officials list), the threshold key and the election key (which must match). ProtocolErrc::malformed naming
// the field, or the loader's error for a definition that does not parse.
[[nodiscard]] Result<OpenedSession> read_session_opened(const nlohmann::json& payload);

}  // namespace hallvote::protocol
