// Certification of a round's tally report (计票结果报告单): what a key-committee member signs, who signs in
// what order, and the `certification` log entry. Shared by the server, the members' tool, the records exporter
// and the offline verifier. Formats: docs/protocol.md §4.5.8 (the message and its checks), docs/crypto.md §2
// (the signed bytes), docs/audit-log.md §3 (the entry), docs/rules.md §9 (the order).
//
// The report of a round IS the vote's `result` log entry for that round; result_hash = SHA-256 of that entry's
// canonical bytes (the log's entry hash). All functions are pure and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/session/definition.h"

namespace hallvote::protocol {

using ResultHash = std::array<std::uint8_t, 32>;

// The bytes an official signs (Ed25519, the key listed for them in the key committee), not hashed:
//   HashInput("certification").add(session_id).add(vote_id).add_u64(round).add_u64(result_sequence)
//     .add(result_hash).add(official_id).add(role).bytes()
// `role` is the official's role as written in session files: "chief_scrutineer", "scrutineer",
// "presidium_member".
[[nodiscard]] crypto::Bytes certification_message(std::string_view session_id, std::string_view vote_id,
                                                  std::uint32_t round, std::uint64_t result_sequence,
                                                  const ResultHash& result_hash, std::string_view official_id,
                                                  std::string_view role);

// How far a round's certification is, given the officials whose certifications were accepted, in order.
// The rule: first every scrutineer (chief_scrutineer and scrutineer) in any order, then q distinct presidium
// members, q = min(committee.quorum, number of presidium members). A presidium signature counts only when every
// scrutineer signed before it; repeated ids count once.
struct CertificationProgress {
  bool complete = false;
  std::vector<std::string> signed_ids;           // the accepted signers, in order (as given)
  std::vector<std::string> missing_scrutineers;  // scrutineers who have not signed, in committee order
  std::uint32_t presidium_signed = 0;
  std::uint32_t presidium_needed = 0;  // q

  // {"complete", "signed", "missing", "presidium_signed", "presidium_needed"} (the certify answer's fields).
  [[nodiscard]] nlohmann::json to_json() const;
};

[[nodiscard]] CertificationProgress certification_progress(const session::KeyCommittee& committee,
                                                           std::span<const std::string> signer_ids_in_order);

// Whether `official_id` may certify next after `signer_ids_in_order` under the rule above. Errors
// (ProtocolErrc::invalid_certification, bilingual, naming the official): not a committee member; the round is
// already certified; the official already signed; a presidium member while scrutineers are missing.
[[nodiscard]] Status check_next_certifier(const session::KeyCommittee& committee,
                                          std::span<const std::string> signer_ids_in_order,
                                          std::string_view official_id);

// The payload of a `certification` log entry (canonical JSON, docs/audit-log.md §3):
// {"certifier","complete","name","result_hash","result_sequence","role","round","signature","vote_id"}.
struct Certification {
  std::string vote_id;
  std::uint32_t round = 0;
  std::uint64_t result_sequence = 0;
  ResultHash result_hash{};
  std::string certifier;  // the official's id
  std::string name;       // the official's name
  std::string role;       // "chief_scrutineer" | "scrutineer" | "presidium_member"
  crypto::Signature signature{};
  bool complete = false;  // true exactly on the entry that completes the round's certification

  [[nodiscard]] nlohmann::json to_payload() const;
  // Checks every field's presence and type (ProtocolErrc::malformed naming the field); round ≥ 1 and < 2^32;
  // role one of the three names.
  [[nodiscard]] static Result<Certification> from_payload(const nlohmann::json& payload);
};

// Verifies `signature` by committee member `official_id` over certification_message(...) with the member's
// role. invalid_certification when the official is not a member or the signature does not verify.
[[nodiscard]] Status verify_certification(const session::KeyCommittee& committee, std::string_view session_id,
                                          std::string_view vote_id, std::uint32_t round,
                                          std::uint64_t result_sequence, const ResultHash& result_hash,
                                          std::string_view official_id, const crypto::Signature& signature);

}  // namespace hallvote::protocol
