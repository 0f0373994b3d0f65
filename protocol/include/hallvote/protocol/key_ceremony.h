// The key ceremony as the members hold it on their own machines (docs/crypto.md §6.5): the chair's call, the
// members' signed messages, and the one transcript checker that the members, the hall server (at init) and
// the auditor (from entry 0) all use to decide what the ceremony made.
//
// Steps, each one message per member, every message signed by the member's own Ed25519 key:
//   join       the member's signing key and a fresh X25519 box key (self-signed)
//   roll_call  the roster hash (every member's id and keys, read aloud and compared) — signed after checking
//   commit     the DKG commitment dᵢ (crypto/threshold.h)
//   deal       the reveal and every member's share sealed to that member's box key
//   verify     the dealers whose share to this member did not check (complaints; usually none)
//   resolve    an accused dealer discloses each share complained about, for everyone to check
//   final_key  the fingerprint of the election key and every trustee key, compared aloud
// Qualified dealers: those whose reveal matches their commitment and who answered every complaint with a share
// that checks. The transport (a shared folder, a USB stick, the hall server) carries the messages and decides
// nothing. All functions are pure and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/crypto/sealed_box.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/session/definition.h"
#include "hallvote/session/loader.h"

namespace hallvote::protocol {

// Why a ceremony message or transcript is refused (besides ProtocolErrc::malformed for bad shape).
enum class CeremonyErrc {
  not_member = 1,  // the sender does not take part in this ceremony
  bad_signature,   // the signature is not by the key the member joined with
  violation,       // another ceremony's, early, the wrong shape for its step, an incomplete step …
  equivocation,    // a second, different, validly signed message of one step by one member
};
const std::error_category& ceremony_category() noexcept;
inline std::error_code make_error_code(CeremonyErrc e) noexcept {
  return {static_cast<int>(e), ceremony_category()};
}

enum class CeremonyStep : std::uint8_t { join, roll_call, commit, deal, verify, resolve, final_key };
inline constexpr std::array<CeremonyStep, 7> kCeremonySteps = {
    CeremonyStep::join,   CeremonyStep::roll_call, CeremonyStep::commit,   CeremonyStep::deal,
    CeremonyStep::verify, CeremonyStep::resolve,   CeremonyStep::final_key};

// "join", "roll_call", "commit", "deal", "verify", "resolve", "final_key", and back.
[[nodiscard]] std::string_view to_string(CeremonyStep step) noexcept;
[[nodiscard]] bool parse_ceremony_step(std::string_view name, CeremonyStep& out) noexcept;
// 报到, 确认名单, 承诺, 分发份额, 核验份额, 答复异议, 确认公钥.
[[nodiscard]] std::string_view display_name_zh(CeremonyStep step) noexcept;

// The chair's call: the ceremony id, the threshold, the whole key committee in the session's order (trustee j
// is committee[j − 1], so n and every trustee's number stay those of the session) and the members left out of
// this attempt because they did not answer an earlier one. Members left out deal nothing and receive no share:
// their trustee key exists but nobody holds it, so any k of those taking part decrypt.
// The call also fixes the session files (their digest): every member's roll call, signing the roster hash that
// covers it, confirms the session definition they hold — so entry 0's definition is the committee's, not only
// the server's word.
struct CeremonyCall {
  std::string ceremony_id;  // the session id, "<session id>#<attempt>" for attempt 2 and later
  std::uint32_t k = 0;
  std::vector<std::string> committee;
  std::vector<std::string> absent;        // in committee order
  crypto::Sha256Digest session_digest{};  // session_files_digest of the session files

  // {"ceremony_id", "k", "committee": [id…], "absent": [id…], "session_digest": hex}
  [[nodiscard]] nlohmann::json to_json() const;
  // Shape, and that `absent` names committee members once each in committee order and leaves at least k
  // taking part (ProtocolErrc::malformed naming the field).
  [[nodiscard]] static Result<CeremonyCall> from_json(const nlohmann::json& json);
  // Ok when the id is `session_id` or `session_id#N` (N ≥ 2), k is the committee's quorum, the committee is the
  // session's, in order, and the session digest is that of `files`. Else CeremonyErrc::violation saying which.
  [[nodiscard]] Status matches(const session::SessionDefinition& session,
                               const session::SessionFiles& files) const;
  [[nodiscard]] crypto::ThresholdParams params() const;
  // The committee members taking part, in committee order.
  [[nodiscard]] std::vector<std::string> participants() const;
  // The trustee number (1-based) of a member taking part, or 0.
  [[nodiscard]] std::uint32_t index_of(std::string_view member) const;
};

// One member's message. Only the fields of its step are set; the others stay empty.
struct CeremonyMessage {
  CeremonyStep step = CeremonyStep::join;
  std::string ceremony_id;
  std::string member;
  std::array<std::uint8_t, 32> sign_key{};  // join: the member's Ed25519 public key
  crypto::BoxPublicKey box_key{};           // join: the member's X25519 key for this ceremony's shares
  crypto::Sha256Digest roster_hash{};       // every step but join
  crypto::Sha256Digest digest{};            // commit: dᵢ; final_key: the key fingerprint
  crypto::Bytes reveal;                     // deal: DealerReveal::encode()
  // deal: {recipient id: sealed share (80 bytes)} for every member; resolve: {complainer id: fᵢ(j), 32 bytes}.
  std::map<std::string, crypto::Bytes> shares;
  std::vector<std::string> complaints;  // verify: the dealers complained about, in committee order
  crypto::Signature signature{};

  // What the member signs: ⟨"ceremony-message"; ceremony id, step, member, the step's fields⟩ (crypto.md §6.5).
  [[nodiscard]] crypto::Bytes signed_bytes() const;
  void sign(const crypto::SigningKey& key);

  // {"step", "ceremony_id", "member", the step's fields in hex, "signature"}.
  [[nodiscard]] nlohmann::json to_json() const;
  // Shape, sizes and hex only (ProtocolErrc::malformed naming "<where>.<field>"); fields of other steps are
  // refused. The signature is checked by CeremonyTranscript::add.
  [[nodiscard]] static Result<CeremonyMessage> from_json(const nlohmann::json& json, const std::string& where);

  friend bool operator==(const CeremonyMessage&, const CeremonyMessage&) = default;
};

// SHA-256 ⟨"session-files"; session file name, u64 count, then per file in byte order of name: name, contents⟩.
[[nodiscard]] crypto::Sha256Digest session_files_digest(const session::SessionFiles& files);

// SHA-256 ⟨"ceremony-roster"; ceremony id, session digest, u64 k, u64 n, u64 count, then per member taking part
// in committee order: id, sign key, box key⟩.
[[nodiscard]] crypto::Sha256Digest ceremony_roster_hash(const CeremonyCall& call,
                                                        const std::vector<const CeremonyMessage*>& joins);

// A fingerprint as members read it aloud: 8 groups of 4 upper-case hex digits of its first 16 bytes.
[[nodiscard]] std::string spoken_fingerprint(const crypto::Sha256Digest& digest);

// Who the ceremony qualified as dealers and the key they make.
struct CeremonyQualification {
  std::vector<std::string> qualified;                         // in committee order
  std::vector<std::pair<std::string, std::string>> excluded;  // (dealer, why, in Chinese and English)
  crypto::ThresholdKey key;
  crypto::Sha256Digest fingerprint{};  // SHA-256 ⟨"ceremony-key"; id, roster hash, k, qualified…, K, X₁…Xₙ⟩
};

// The messages received so far, each checked as it is added.
class CeremonyTranscript {
 public:
  explicit CeremonyTranscript(CeremonyCall call) : call_(std::move(call)) {}

  // Checks and keeps one message: this ceremony's id, a member of the call, its step's shape (a deal seals a
  // share to every member, complaints and disclosures name members), a join before anything else of the
  // member's, the roster hash once every member has joined (a step after join before then is refused), and the
  // signature by the key the member joined with. Then an identical repeat is accepted and changes nothing; a
  // second, different message of the same step by the same member is refused (equivocation: an honest member
  // then stops the ceremony). Errors: CeremonyErrc not_member, bad_signature, equivocation, violation (the
  // rest), naming the member.
  [[nodiscard]] Status add(const CeremonyMessage& message);

  [[nodiscard]] const CeremonyCall& call() const noexcept { return call_; }
  [[nodiscard]] const CeremonyMessage* find(CeremonyStep step, std::string_view member) const;
  // The call's members who have no message of `step` yet, in committee order.
  [[nodiscard]] std::vector<std::string> missing(CeremonyStep step) const;
  // Once every member has joined.
  [[nodiscard]] std::optional<crypto::Sha256Digest> roster_hash() const { return roster_hash_; }
  // The complaints against `dealer` (complainers in committee order).
  [[nodiscard]] std::vector<std::string> complaints_against(std::string_view dealer) const;

  // Decides the qualified dealers once every member has dealt and verified, from the resolves present now (an
  // accused dealer without an answering resolve is excluded). Fails with CeremonyErrc::violation when a step is
  // missing, or crypto not_enough_shares when fewer than k dealers qualify.
  [[nodiscard]] Result<CeremonyQualification> qualify() const;

  // Every message, by step and then in committee order.
  [[nodiscard]] std::vector<CeremonyMessage> messages() const;

 private:
  CeremonyCall call_;
  std::map<std::pair<CeremonyStep, std::string>, CeremonyMessage> messages_;
  std::optional<crypto::Sha256Digest> roster_hash_;
};

// The whole record of a finished ceremony, as init logs it in entry 0: {"call": …, "messages": [...]}.
struct CeremonyRecord {
  CeremonyQualification qualification;
  CeremonyCall call;
  std::map<std::string, std::string> signing_keys;  // {member: Ed25519 public key hex}, from the joins
  std::vector<CeremonyMessage> messages;

  [[nodiscard]] nlohmann::json to_json() const;
};

// Checks a finished ceremony from its record alone (docs/crypto.md §13.22): every message as `add` does, every
// step complete, the qualified dealers, and every member's final_key signing the fingerprint of the key the
// transcript makes. `json` is {"call", "messages"}; ProtocolErrc::malformed naming the field for bad shape.
[[nodiscard]] Result<CeremonyRecord> verify_ceremony(const nlohmann::json& json);

}  // namespace hallvote::protocol

template <>
struct std::is_error_code_enum<hallvote::protocol::CeremonyErrc> : std::true_type {};
