#include "hallvote/protocol/key_ceremony.h"

#include <algorithm>
#include <set>

#include "hallvote/protocol/errors.h"
#include "hallvote/protocol/json_fields.h"

namespace hallvote::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

constexpr std::size_t kSealedShareBytes = 80;
constexpr std::size_t kMaxCeremonyIdBytes = 200;

struct StepNames {
  CeremonyStep step;
  std::string_view wire;
  std::string_view zh;
};
constexpr std::array<StepNames, 7> kStepNames = {{{CeremonyStep::join, "join", "报到"},
                                                  {CeremonyStep::roll_call, "roll_call", "确认名单"},
                                                  {CeremonyStep::commit, "commit", "承诺"},
                                                  {CeremonyStep::deal, "deal", "分发份额"},
                                                  {CeremonyStep::verify, "verify", "核验份额"},
                                                  {CeremonyStep::resolve, "resolve", "答复异议"},
                                                  {CeremonyStep::final_key, "final_key", "确认公钥"}}};

tl::unexpected<Error> violation(const std::string& zh, const std::string& en) {
  return fail(CeremonyErrc::violation, zh + " / " + en);
}

class CeremonyCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "hallvote.ceremony"; }
  std::string message(int value) const override {
    switch (static_cast<CeremonyErrc>(value)) {
      case CeremonyErrc::not_member:
        return "不是本次密钥仪式的成员 / not a member of this key ceremony";
      case CeremonyErrc::bad_signature:
        return "密钥仪式消息的签名无效 / the ceremony message's signature does not verify";
      case CeremonyErrc::violation:
        return "密钥仪式消息不符合仪式规则 / the ceremony message breaks the ceremony's rules";
      case CeremonyErrc::equivocation:
        return "同一成员同一步骤有两份不同的消息 / a member has two different messages for one step";
    }
    return "未知的密钥仪式错误 / unknown key ceremony error";
  }
};

json hex_map(const std::map<std::string, crypto::Bytes>& map) {
  json out = json::object();
  for (const auto& [id, bytes] : map) out[id] = crypto::to_hex(bytes);
  return out;
}

Result<std::map<std::string, crypto::Bytes>> read_hex_map(const json& object, const std::string& name,
                                                          const std::string& where, std::size_t size) {
  auto f = jf::field(object, name, where);
  if (!f) return forward(f.error());
  if (!(*f)->is_object()) return fail(ProtocolErrc::malformed, where + "." + name + ": expected an object");
  std::map<std::string, crypto::Bytes> out;
  for (const auto& [id, value] : (*f)->items()) {
    if (id.empty() || !value.is_string()) {
      return fail(ProtocolErrc::malformed, where + "." + name + ": expected {member id: hex}");
    }
    auto bytes = crypto::from_hex(value.get<std::string>());
    if (!bytes || bytes->size() != size) {
      return fail(ProtocolErrc::malformed,
                  where + "." + name + "." + id + ": expected " + std::to_string(size) + " bytes in hex");
    }
    out.emplace(id, std::move(*bytes));
  }
  return out;
}

// The fields each step carries beyond step, ceremony_id, member and signature.
std::vector<std::string_view> step_fields(CeremonyStep step) {
  switch (step) {
    case CeremonyStep::join:
      return {"sign_key", "box_key"};
    case CeremonyStep::roll_call:
      return {"roster_hash"};
    case CeremonyStep::commit:
    case CeremonyStep::final_key:
      return {"roster_hash", "digest"};
    case CeremonyStep::deal:
      return {"roster_hash", "reveal", "shares"};
    case CeremonyStep::verify:
      return {"roster_hash", "complaints"};
    case CeremonyStep::resolve:
      return {"roster_hash", "shares"};
  }
  return {};
}

// The key fingerprint members compare aloud and sign in final_key.
crypto::Sha256Digest key_fingerprint(const CeremonyCall& call, const crypto::Sha256Digest& roster_hash,
                                     const std::vector<std::string>& qualified,
                                     const crypto::ThresholdKey& key) {
  crypto::HashInput input("ceremony-key");
  input.add(call.ceremony_id).add(roster_hash).add_u64(call.k).add_u64(qualified.size());
  for (const auto& dealer : qualified) input.add(dealer);
  input.add(key.election_key.encode());
  for (const auto& trustee : key.trustee_keys) input.add(trustee.encode());
  return input.sha256();
}

}  // namespace

const std::error_category& ceremony_category() noexcept {
  static const CeremonyCategory category;
  return category;
}

std::string_view to_string(CeremonyStep step) noexcept {
  for (const auto& n : kStepNames) {
    if (n.step == step) return n.wire;
  }
  return "?";
}

bool parse_ceremony_step(std::string_view name, CeremonyStep& out) noexcept {
  for (const auto& n : kStepNames) {
    if (n.wire == name) {
      out = n.step;
      return true;
    }
  }
  return false;
}

std::string_view display_name_zh(CeremonyStep step) noexcept {
  for (const auto& n : kStepNames) {
    if (n.step == step) return n.zh;
  }
  return "?";
}

json CeremonyCall::to_json() const {
  return {{"ceremony_id", ceremony_id},
          {"k", k},
          {"committee", committee},
          {"absent", absent},
          {"session_digest", crypto::to_hex(session_digest)}};
}

Result<CeremonyCall> CeremonyCall::from_json(const json& json) {
  const std::string where = "call";
  CeremonyCall call;
  HALLVOTE_TRY(id, jf::text(json, "ceremony_id", where));
  HALLVOTE_TRY(k, jf::count32(json, "k", where));
  HALLVOTE_TRY(committee, jf::texts(json, "committee", where));
  HALLVOTE_TRY(absent, jf::texts(json, "absent", where));
  HALLVOTE_TRY(digest, jf::hex<32>(json, "session_digest", where));
  call.session_digest = *digest;
  if (id->size() > kMaxCeremonyIdBytes) {
    return fail(ProtocolErrc::malformed, "call.ceremony_id: longer than 200 bytes");
  }
  call.ceremony_id = std::move(*id);
  call.k = *k;
  call.committee = std::move(*committee);
  call.absent = std::move(*absent);
  if (std::set<std::string>(call.committee.begin(), call.committee.end()).size() != call.committee.size()) {
    return fail(ProtocolErrc::malformed, "call.committee: a member is listed twice");
  }
  std::size_t next = 0;  // absent members are committee members, once each, in committee order
  for (const auto& left_out : call.absent) {
    while (next < call.committee.size() && call.committee[next] != left_out) ++next;
    if (next == call.committee.size()) {
      return fail(
          ProtocolErrc::malformed,
          "call.absent: " + left_out + " is not a committee member, or the list repeats or reorders members");
    }
    ++next;
  }
  if (auto ok = call.params().validate(); !ok)
    return fail(ProtocolErrc::malformed, "call.k: " + ok.error().detail);
  if (call.participants().size() < call.k) {
    return fail(ProtocolErrc::malformed,
                "call.absent: fewer than k = " + std::to_string(call.k) + " members would take part");
  }
  return call;
}

crypto::Sha256Digest session_files_digest(const session::SessionFiles& files) {
  crypto::HashInput input("session-files");
  input.add(files.session_file).add_u64(files.contents.size());
  for (const auto& [name, contents] : files.contents) input.add(name).add(contents);
  return input.sha256();
}

Status CeremonyCall::matches(const session::SessionDefinition& session,
                             const session::SessionFiles& files) const {
  const std::string& session_id = session.info.id;
  const session::KeyCommittee& session_committee = session.key_committee;
  bool id_ok = ceremony_id == session_id;
  if (!id_ok && ceremony_id.size() > session_id.size() + 1 && ceremony_id.starts_with(session_id + "#")) {
    const std::string attempt = ceremony_id.substr(session_id.size() + 1);
    id_ok = attempt.size() <= 3 && attempt.front() != '0' &&
            std::all_of(attempt.begin(), attempt.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
            attempt != "1";
  }
  if (!id_ok) {
    return violation(
        "仪式编号 " + ceremony_id + " 不属于会议 " + session_id,
        "ceremony id " + ceremony_id + " is not " + session_id + " or " + session_id + "#N (N ≥ 2)");
  }
  if (k != session_committee.quorum) {
    return violation(
        "门限 k = " + std::to_string(k) + " 与会议文件的 " + std::to_string(session_committee.quorum) + " 不符",
        "threshold k = " + std::to_string(k) + " is not the session's quorum " +
            std::to_string(session_committee.quorum));
  }
  std::vector<std::string> ids;
  for (const auto& member : session_committee.members) ids.push_back(member.id);
  if (ids != committee) {
    return violation("仪式的成员名单与会议文件的密钥委员会不同",
                     "the call's committee is not the session's key committee, in its order");
  }
  if (session_digest != session_files_digest(files)) {
    return violation("仪式所依据的会议文件与本会议文件不同（文件被改动过，或不是同一份）",
                     "the ceremony was called for other session files than these (changed, or not the same)");
  }
  return {};
}

crypto::ThresholdParams CeremonyCall::params() const {
  return {k, static_cast<std::uint32_t>(committee.size()), ceremony_id};
}

std::vector<std::string> CeremonyCall::participants() const {
  std::vector<std::string> out;
  for (const auto& id : committee) {
    if (std::find(absent.begin(), absent.end(), id) == absent.end()) out.push_back(id);
  }
  return out;
}

std::uint32_t CeremonyCall::index_of(std::string_view member) const {
  if (std::find(absent.begin(), absent.end(), member) != absent.end()) return 0;
  for (std::size_t j = 0; j < committee.size(); ++j) {
    if (committee[j] == member) return static_cast<std::uint32_t>(j + 1);
  }
  return 0;
}

crypto::Bytes CeremonyMessage::signed_bytes() const {
  crypto::HashInput input("ceremony-message");
  input.add(ceremony_id).add(to_string(step)).add(member);
  if (step == CeremonyStep::join) {
    input.add(sign_key).add(box_key);
    return input.bytes();
  }
  input.add(roster_hash);
  switch (step) {
    case CeremonyStep::commit:
    case CeremonyStep::final_key:
      input.add(digest);
      break;
    case CeremonyStep::deal:
      input.add(reveal);
      [[fallthrough]];
    case CeremonyStep::resolve:
      input.add_u64(shares.size());
      for (const auto& [id, bytes] : shares) input.add(id).add(bytes);
      break;
    case CeremonyStep::verify:
      input.add_u64(complaints.size());
      for (const auto& dealer : complaints) input.add(dealer);
      break;
    case CeremonyStep::join:
    case CeremonyStep::roll_call:
      break;
  }
  return input.bytes();
}

void CeremonyMessage::sign(const crypto::SigningKey& key) { signature = key.sign(signed_bytes()); }

json CeremonyMessage::to_json() const {
  json out = {{"step", to_string(step)}, {"ceremony_id", ceremony_id}, {"member", member}};
  for (const auto field : step_fields(step)) {
    if (field == "sign_key") out["sign_key"] = crypto::to_hex(sign_key);
    if (field == "box_key") out["box_key"] = crypto::to_hex(box_key);
    if (field == "roster_hash") out["roster_hash"] = crypto::to_hex(roster_hash);
    if (field == "digest") out["digest"] = crypto::to_hex(digest);
    if (field == "reveal") out["reveal"] = crypto::to_hex(reveal);
    if (field == "shares") out["shares"] = hex_map(shares);
    if (field == "complaints") out["complaints"] = complaints;
  }
  out["signature"] = crypto::to_hex(signature);
  return out;
}

Result<CeremonyMessage> CeremonyMessage::from_json(const json& json, const std::string& where) {
  CeremonyMessage m;
  HALLVOTE_TRY(step, jf::text(json, "step", where));
  if (!parse_ceremony_step(*step, m.step)) {
    return fail(ProtocolErrc::malformed, where + ".step: unknown step \"" + *step + "\"");
  }
  HALLVOTE_TRY(id, jf::text(json, "ceremony_id", where));
  HALLVOTE_TRY(member, jf::text(json, "member", where));
  HALLVOTE_TRY(signature, jf::hex<64>(json, "signature", where));
  m.ceremony_id = std::move(*id);
  m.member = std::move(*member);
  m.signature = *signature;
  const auto fields = step_fields(m.step);
  for (const auto& [name, value] : json.items()) {
    const bool known = name == "step" || name == "ceremony_id" || name == "member" || name == "signature" ||
                       std::find(fields.begin(), fields.end(), name) != fields.end();
    if (!known) {
      return fail(ProtocolErrc::malformed, where + "." + name + ": not a field of a " + *step + " message");
    }
  }
  for (const auto field : fields) {
    if (field == "sign_key") {
      HALLVOTE_TRY(key, jf::hex<32>(json, "sign_key", where));
      m.sign_key = *key;
    } else if (field == "box_key") {
      HALLVOTE_TRY(key, jf::hex<32>(json, "box_key", where));
      m.box_key = *key;
    } else if (field == "roster_hash") {
      HALLVOTE_TRY(hash, jf::hex<32>(json, "roster_hash", where));
      m.roster_hash = *hash;
    } else if (field == "digest") {
      HALLVOTE_TRY(digest, jf::hex<32>(json, "digest", where));
      m.digest = *digest;
    } else if (field == "reveal") {
      HALLVOTE_TRY(reveal, jf::hex_bytes(json, "reveal", where));
      if (auto decoded = crypto::DealerReveal::decode(*reveal); !decoded) {
        return fail(ProtocolErrc::malformed, where + ".reveal: " + decoded.error().message());
      }
      m.reveal = std::move(*reveal);
    } else if (field == "shares") {
      HALLVOTE_TRY(shares,
                   read_hex_map(json, "shares", where, m.step == CeremonyStep::deal ? kSealedShareBytes : 32));
      m.shares = std::move(*shares);
    } else if (field == "complaints") {
      HALLVOTE_TRY(complaints, jf::texts(json, "complaints", where));
      m.complaints = std::move(*complaints);
    }
  }
  return m;
}

crypto::Sha256Digest ceremony_roster_hash(const CeremonyCall& call,
                                          const std::vector<const CeremonyMessage*>& joins) {
  crypto::HashInput input("ceremony-roster");
  input.add(call.ceremony_id).add(call.session_digest).add_u64(call.k).add_u64(call.committee.size());
  input.add_u64(joins.size());
  for (const auto* join : joins) input.add(join->member).add(join->sign_key).add(join->box_key);
  return input.sha256();
}

std::string spoken_fingerprint(const crypto::Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i > 0 && i % 2 == 0) out += ' ';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0F];
  }
  return out;
}

Status CeremonyTranscript::add(const CeremonyMessage& m) {
  const std::string who = m.member + " 的" + std::string(display_name_zh(m.step)) + "消息";
  const std::string who_en = m.member + "'s " + std::string(to_string(m.step)) + " message";
  if (m.ceremony_id != call_.ceremony_id) {
    return violation(who + "属于另一次仪式（" + m.ceremony_id + "）",
                     who_en + " belongs to another ceremony (" + m.ceremony_id + ")");
  }
  if (call_.index_of(m.member) == 0) {
    return fail(CeremonyErrc::not_member,
                m.member + " 不是本次仪式的成员 / " + m.member + " does not take part in this ceremony");
  }
  const CeremonyMessage* join = m.step == CeremonyStep::join ? &m : find(CeremonyStep::join, m.member);
  if (join == nullptr || (m.step != CeremonyStep::join && !roster_hash_)) {
    return violation(who + "早于全体成员报到", who_en + " came before every member joined");
  }
  if (m.step != CeremonyStep::join && m.roster_hash != *roster_hash_) {
    return violation(who + "所确认的名单与本次仪式不同（旧消息或他人名单）",
                     who_en + " names another roster (a replayed or foreign message)");
  }
  if (auto ok = crypto::VerifyKey(join->sign_key).verify(m.signed_bytes(), m.signature); !ok) {
    return fail(CeremonyErrc::bad_signature,
                who + "的签名不是该成员的 / " + who_en + ": the signature is not the member's");
  }
  // Only a message the member really signed can be a second one: a forgery must not blame the member.
  if (const CeremonyMessage* earlier = find(m.step, m.member)) {
    if (*earlier == m) return {};
    return fail(CeremonyErrc::equivocation,
                m.member + " 在同一步骤（" + std::string(display_name_zh(m.step)) + "）有两份不同的消息" +
                    (m.step == CeremonyStep::join ? "（其中一份是冒名的）" : "") + " / " + m.member +
                    " has two different " + std::string(to_string(m.step)) + " messages" +
                    (m.step == CeremonyStep::join ? " (one of them in someone else's hands)" : ""));
  }
  const std::vector<std::string> members = call_.participants();
  if (m.step == CeremonyStep::deal) {
    std::set<std::string> recipients;
    for (const auto& [id, sealed] : m.shares) recipients.insert(id);
    if (recipients != std::set<std::string>(members.begin(), members.end())) {
      return violation(who + "未向每位成员各发一份份额", who_en + " does not seal one share to every member");
    }
    auto reveal = crypto::DealerReveal::decode(m.reveal);
    if (!reveal || reveal->dealer != call_.index_of(m.member)) {
      return violation(who + "的系数承诺不是该成员编号的",
                       who_en + ": the reveal is not for this dealer's index");
    }
  }
  if (m.step == CeremonyStep::verify) {
    std::vector<std::string> in_order;
    for (const auto& id : members) {
      if (std::count(m.complaints.begin(), m.complaints.end(), id) > 0) in_order.push_back(id);
    }
    if (in_order != m.complaints || std::count(m.complaints.begin(), m.complaints.end(), m.member) > 0) {
      return violation(who + "的异议名单应为其他成员、不重复、按名单顺序",
                       who_en + ": complaints must name other members, once each, in committee order");
    }
  }
  if (m.step == CeremonyStep::resolve) {
    for (const auto& [complainer, share] : m.shares) {
      if (call_.index_of(complainer) == 0 || complainer == m.member) {
        return violation(who + "答复的异议人 " + complainer + " 不是其他成员",
                         who_en + " answers " + complainer + ", who is not another member");
      }
    }
  }
  messages_.emplace(std::make_pair(m.step, m.member), m);
  if (m.step == CeremonyStep::join && missing(CeremonyStep::join).empty()) {
    std::vector<const CeremonyMessage*> joins;
    for (const auto& id : members) joins.push_back(find(CeremonyStep::join, id));
    roster_hash_ = ceremony_roster_hash(call_, joins);
  }
  return {};
}

const CeremonyMessage* CeremonyTranscript::find(CeremonyStep step, std::string_view member) const {
  auto it = messages_.find(std::make_pair(step, std::string(member)));
  return it == messages_.end() ? nullptr : &it->second;
}

std::vector<std::string> CeremonyTranscript::missing(CeremonyStep step) const {
  std::vector<std::string> out;
  for (const auto& id : call_.participants()) {
    if (find(step, id) == nullptr) out.push_back(id);
  }
  return out;
}

std::vector<std::string> CeremonyTranscript::complaints_against(std::string_view dealer) const {
  std::vector<std::string> out;
  for (const auto& id : call_.participants()) {
    const CeremonyMessage* verify = find(CeremonyStep::verify, id);
    if (verify != nullptr && std::count(verify->complaints.begin(), verify->complaints.end(), dealer) > 0) {
      out.push_back(id);
    }
  }
  return out;
}

Result<CeremonyQualification> CeremonyTranscript::qualify() const {
  for (const auto step :
       {CeremonyStep::roll_call, CeremonyStep::commit, CeremonyStep::deal, CeremonyStep::verify}) {
    if (auto absent = missing(step); !absent.empty()) {
      return violation("尚缺 " + absent.front() + " 等成员的" + std::string(display_name_zh(step)) + "消息",
                       "no " + std::string(to_string(step)) + " message yet from " + absent.front() +
                           (absent.size() > 1 ? " and others" : ""));
    }
  }
  const crypto::ThresholdParams params = call_.params();
  CeremonyQualification result;
  std::vector<crypto::DealerReveal> reveals;
  for (const auto& dealer : call_.participants()) {
    const CeremonyMessage& deal = *find(CeremonyStep::deal, dealer);
    auto reveal = crypto::DealerReveal::decode(deal.reveal);  // decoded once already by add()
    const crypto::DealerCommitment commitment{call_.index_of(dealer),
                                              find(CeremonyStep::commit, dealer)->digest};
    if (auto ok = crypto::verify_reveal(params, commitment, *reveal); !ok) {
      result.excluded.emplace_back(dealer,
                                   "系数承诺与其承诺值或知识证明不符 / reveal does not match its commitment "
                                   "or proof: " +
                                       ok.error().message());
      continue;
    }
    std::string unanswered;
    const CeremonyMessage* resolve = find(CeremonyStep::resolve, dealer);
    for (const auto& complainer : complaints_against(dealer)) {
      if (resolve == nullptr || !resolve->shares.contains(complainer)) {
        unanswered = "未答复 " + complainer + " 的异议 / did not answer " + complainer + "'s complaint";
        break;
      }
      auto share = crypto::Scalar::decode(resolve->shares.at(complainer));
      if (!share || !crypto::check_share(params, call_.index_of(complainer), *reveal, *share)) {
        unanswered = "公开的发给 " + complainer + " 的份额与其承诺不符 / the share disclosed for " +
                     complainer + " does not match its commitments";
        break;
      }
    }
    if (!unanswered.empty()) {
      result.excluded.emplace_back(dealer, unanswered);
      continue;
    }
    result.qualified.push_back(dealer);
    reveals.push_back(std::move(*reveal));
  }
  auto key = crypto::ThresholdKey::from_reveals(params, reveals);
  if (!key) {
    return fail(key.error().code, "合格的分发者 " + std::to_string(reveals.size()) + " 名，少于门限 " +
                                      std::to_string(params.k) + "，须重新举行仪式 / " +
                                      std::to_string(reveals.size()) + " qualified dealers, fewer than k = " +
                                      std::to_string(params.k) + ": the ceremony must restart");
  }
  result.key = std::move(*key);
  result.fingerprint = key_fingerprint(call_, *roster_hash_, result.qualified, result.key);
  return result;
}

std::vector<CeremonyMessage> CeremonyTranscript::messages() const {
  std::vector<CeremonyMessage> out;
  const std::vector<std::string> members = call_.participants();
  for (const auto step : kCeremonySteps) {
    for (const auto& id : members) {
      if (const CeremonyMessage* m = find(step, id)) out.push_back(*m);
    }
  }
  return out;
}

json CeremonyRecord::to_json() const {
  json list = json::array();
  for (const auto& m : messages) list.push_back(m.to_json());
  return {{"call", call.to_json()}, {"messages", std::move(list)}};
}

Result<CeremonyRecord> verify_ceremony(const json& json) {
  HALLVOTE_TRY(call_json, jf::field(json, "call", "key_ceremony"));
  HALLVOTE_TRY(parsed_call, CeremonyCall::from_json(**call_json));
  CeremonyCall call = std::move(*parsed_call);
  HALLVOTE_TRY(list_field, jf::field(json, "messages", "key_ceremony"));
  const nlohmann::json& list = **list_field;
  if (!list.is_array()) return fail(ProtocolErrc::malformed, "key_ceremony.messages: expected an array");
  CeremonyTranscript transcript(call);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = "key_ceremony.messages[" + std::to_string(i) + "]";
    HALLVOTE_TRY(message, CeremonyMessage::from_json(list[i], where));
    if (auto ok = transcript.add(*message); !ok) {
      return fail(ok.error().code, where + ": " + ok.error().detail);
    }
  }
  HALLVOTE_TRY(qualified, transcript.qualify());
  CeremonyQualification qualification = std::move(*qualified);
  for (const auto& member : call.participants()) {
    const CeremonyMessage* final_key = transcript.find(CeremonyStep::final_key, member);
    if (final_key == nullptr) {
      return violation(member + " 未确认选举公钥指纹",
                       member + " did not sign the key fingerprint (final_key)");
    }
    if (final_key->digest != qualification.fingerprint) {
      return violation(member + " 确认的公钥指纹与记录推算的不同",
                       member + " signed a key fingerprint other than the one the transcript makes");
    }
  }
  CeremonyRecord record;
  for (const auto& member : call.participants()) {
    record.signing_keys[member] = crypto::to_hex(transcript.find(CeremonyStep::join, member)->sign_key);
  }
  record.messages = transcript.messages();
  record.call = std::move(call);
  record.qualification = std::move(qualification);
  return record;
}

}  // namespace hallvote::protocol
