#include "hallvote/protocol/ballot_definition.h"

#include <set>

#include "hallvote/crypto/contest.h"
#include "hallvote/crypto/elgamal.h"
#include "hallvote/crypto/hash.h"
#include "hallvote/protocol/json_fields.h"

namespace hallvote::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

constexpr std::uint64_t kFormat = 1;
constexpr std::uint64_t kMaxSelections = 1024;
constexpr std::uint64_t kMaxContests = 1024;

json contest_json(const session::Contest& contest) {
  json selections = json::array();
  for (const auto& s : contest.selections) selections.push_back({{"id", s.id}, {"label", s.label}});
  return {{"id", contest.id},
          {"item_id", contest.item_id},
          {"title", contest.title},
          {"min", contest.min_selected},
          {"max", contest.max_selected},
          {"selections", selections}};
}

json definition_json(const BallotDefinition& d) {
  json contests = json::array();
  for (const auto& c : d.shape.contests) contests.push_back(contest_json(c));
  json aggregate = nullptr;
  if (d.shape.aggregate_limit) {
    aggregate = {{"selection_id", d.shape.aggregate_limit->selection_id},
                 {"max_total", d.shape.aggregate_limit->max_total}};
  }
  return {{"format", kFormat},
          {"session_id", d.session_id},
          {"session_body", d.session_body},
          {"vote_id", d.shape.vote_id},
          {"vote_title", d.vote_title},
          {"description", d.description},
          {"kind", std::string(session::to_string(d.kind))},
          {"round", d.shape.round},
          {"contests", contests},
          {"aggregate_limit", aggregate},
          {"election_key", crypto::to_hex(d.election_key)},
          {"replacement_allowed", d.replacement_allowed}};
}

// A text field of at most `max_bytes` bytes (the parser has already refused text that is not UTF-8).
Result<std::string> bounded_text(const json& object, const std::string& name, const std::string& where,
                                 std::size_t max_bytes, bool allow_empty = false) {
  auto value = jf::text(object, name, where, allow_empty);
  if (value && value->size() > max_bytes) {
    return fail(ProtocolErrc::malformed,
                where + "." + name + ": longer than " + std::to_string(max_bytes) + " bytes of UTF-8");
  }
  return value;
}

Result<session::Contest> contest_from_json(const json& value, const std::string& where) {
  session::Contest contest;
  if (auto ok = jf::only_fields(value, {"id", "item_id", "title", "min", "max", "selections"}, where); !ok)
    return forward(ok.error());
  auto id = jf::text(value, "id", where);
  auto item = jf::text(value, "item_id", where, /*allow_empty=*/true);
  auto title = bounded_text(value, "title", where, session::kMaxTitleBytes);
  auto min = jf::count(value, "min", where, kMaxSelections);
  auto max = jf::count(value, "max", where, kMaxSelections);
  auto selections = jf::field(value, "selections", where);
  for (const auto* r : {&id, &item, &title})
    if (!*r) return forward(r->error());
  for (const auto* r : {&min, &max})
    if (!*r) return forward(r->error());
  if (!selections) return forward(selections.error());
  if (!(*selections)->is_array() || (*selections)->empty() || (*selections)->size() > kMaxSelections) {
    return fail(ProtocolErrc::malformed, where + ".selections: expected 1 to 1024 selections");
  }
  contest.id = *id;
  contest.item_id = *item;
  contest.title = *title;
  contest.min_selected = static_cast<std::uint32_t>(*min);
  contest.max_selected = static_cast<std::uint32_t>(*max);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < (*selections)->size(); ++i) {
    const std::string at = where + ".selections[" + std::to_string(i) + "]";
    if (auto ok = jf::only_fields((**selections)[i], {"id", "label"}, at); !ok) return forward(ok.error());
    auto sid = jf::text((**selections)[i], "id", at);
    auto label = bounded_text((**selections)[i], "label", at, session::kMaxTitleBytes);
    if (!sid) return forward(sid.error());
    if (!label) return forward(label.error());
    if (!seen.insert(*sid).second) return fail(ProtocolErrc::malformed, at + ".id: duplicate '" + *sid + "'");
    contest.selections.push_back({*sid, *label});
  }
  const crypto::ContestShape shape{contest.selections.size(), contest.min_selected, contest.max_selected};
  if (auto ok = shape.validate(); !ok) return fail(ProtocolErrc::malformed, where + ": " + ok.error().detail);
  return contest;
}

}  // namespace

std::string BallotDefinition::canonical_json() const { return definition_json(*this).dump(); }

BaseHash BallotDefinition::base_hash() const {
  return crypto::HashInput("ballot-definition").add(canonical_json()).sha256();
}

Result<BallotDefinition> BallotDefinition::from_json(std::string_view text) {
  auto parsed = jf::parse(text, "ballot definition");
  if (!parsed) return forward(parsed.error());
  const json& v = *parsed;
  const std::string where = "definition";
  auto format = jf::count(v, "format", where);
  if (!format) return forward(format.error());
  if (*format != kFormat) {
    return fail(ProtocolErrc::unsupported_version, "ballot definition format " + std::to_string(*format));
  }
  BallotDefinition d;
  auto session_id = jf::text(v, "session_id", where);
  auto body = bounded_text(v, "session_body", where, session::kMaxTitleBytes);
  auto vote_id = jf::text(v, "vote_id", where);
  auto title = bounded_text(v, "vote_title", where, session::kMaxTitleBytes);
  auto description = bounded_text(v, "description", where, session::kMaxDescriptionBytes, /*allow_empty=*/true);
  auto kind = jf::text(v, "kind", where);
  for (const auto* r : {&session_id, &body, &vote_id, &title, &description, &kind})
    if (!*r) return forward(r->error());
  auto round = jf::count(v, "round", where, 1000);
  if (!round) return forward(round.error());
  auto key = jf::hex<32>(v, "election_key", where);
  if (!key) return forward(key.error());
  auto replacement = jf::boolean(v, "replacement_allowed", where);
  if (!replacement) return forward(replacement.error());
  if (!session::parse_vote_kind(*kind, d.kind))
    return fail(ProtocolErrc::malformed, where + ".kind: unknown '" + *kind + "'");
  if (*round < 1) return fail(ProtocolErrc::malformed, where + ".round: rounds start at 1");
  if (!crypto::ElectionKey::decode(*key)) {
    return fail(ProtocolErrc::malformed, where + ".election_key: not a valid non-identity group element");
  }
  d.session_id = *session_id;
  d.session_body = *body;
  d.vote_title = *title;
  d.description = *description;
  d.shape.vote_id = *vote_id;
  d.shape.round = static_cast<std::uint32_t>(*round);
  d.election_key = *key;
  d.replacement_allowed = *replacement;
  auto contests = jf::field(v, "contests", where);
  if (!contests) return forward(contests.error());
  if (!(*contests)->is_array() || (*contests)->empty() || (*contests)->size() > kMaxContests) {
    return fail(ProtocolErrc::malformed, where + ".contests: expected 1 to 1024 contests");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < (*contests)->size(); ++i) {
    auto contest = contest_from_json((**contests)[i], where + ".contests[" + std::to_string(i) + "]");
    if (!contest) return forward(contest.error());
    if (!seen.insert(contest->id).second) {
      return fail(ProtocolErrc::malformed, where + ".contests[" + std::to_string(i) + "].id: duplicate");
    }
    d.shape.contests.push_back(std::move(*contest));
  }
  auto aggregate = jf::field(v, "aggregate_limit", where);
  if (!aggregate) return forward(aggregate.error());
  if (!(*aggregate)->is_null()) {
    auto sid = jf::text(**aggregate, "selection_id", where + ".aggregate_limit");
    auto max = jf::count(**aggregate, "max_total", where + ".aggregate_limit", 63);
    if (!sid) return forward(sid.error());
    if (!max) return forward(max.error());
    d.shape.aggregate_limit = session::AggregateLimit{*sid, static_cast<std::uint32_t>(*max)};
  }
  if (v.size() != 12) return fail(ProtocolErrc::malformed, where + ": unexpected fields");
  return d;
}

BallotDefinition make_ballot_definition(const session::SessionDefinition& session,
                                        const session::VoteDefinition& vote, const session::RoundSpec& round,
                                        const std::array<std::uint8_t, 32>& election_key) {
  BallotDefinition d;
  d.session_id = session.info.id;
  d.session_body = session.info.body;
  d.vote_title = vote.title;
  d.description = vote.description;
  d.kind = vote.kind;
  d.shape = session::ballot_shape(session, vote, round);
  d.election_key = election_key;
  d.replacement_allowed = vote.replacement_allowed;
  return d;
}

crypto::Bytes approval_message(const BaseHash& base_hash) {
  return crypto::HashInput("ballot-approval").add(base_hash).bytes();
}

crypto::Bytes issue_message(const BaseHash& base_hash) {
  return crypto::HashInput("ballot-issue").add(base_hash).bytes();
}

std::string SignedBallot::to_json() const {
  json approvals_json = json::array();
  for (const auto& a : approvals) {
    approvals_json.push_back({{"official_id", a.official_id}, {"signature", crypto::to_hex(a.signature)}});
  }
  return json{{"definition", definition_json(definition)},
              {"approvals", approvals_json},
              {"server_signature", crypto::to_hex(server_signature)}}
      .dump();
}

Result<SignedBallot> SignedBallot::from_json(std::string_view text) {
  auto parsed = jf::parse(text, "signed ballot");
  if (!parsed) return forward(parsed.error());
  auto definition_field = jf::field(*parsed, "definition", "ballot");
  if (!definition_field) return forward(definition_field.error());
  SignedBallot out;
  auto definition = BallotDefinition::from_json((*definition_field)->dump());
  if (!definition) return forward(definition.error());
  out.definition = std::move(*definition);
  auto signature = jf::hex<64>(*parsed, "server_signature", "ballot");
  if (!signature) return forward(signature.error());
  out.server_signature = *signature;
  auto approvals = jf::field(*parsed, "approvals", "ballot");
  if (!approvals) return forward(approvals.error());
  if (!(*approvals)->is_array() || (*approvals)->size() > 255) {
    return fail(ProtocolErrc::malformed, "ballot.approvals: expected at most 255 approvals");
  }
  for (std::size_t i = 0; i < (*approvals)->size(); ++i) {
    const std::string at = "ballot.approvals[" + std::to_string(i) + "]";
    auto id = jf::text((**approvals)[i], "official_id", at);
    auto sig = jf::hex<64>((**approvals)[i], "signature", at);
    if (!id) return forward(id.error());
    if (!sig) return forward(sig.error());
    out.approvals.push_back({*id, *sig});
  }
  return out;
}

Status verify_approval(const session::KeyCommittee& committee, const BaseHash& base_hash,
                       const Approval& approval) {
  const session::Official* official = nullptr;
  for (const auto& member : committee.members) {
    if (member.id == approval.official_id) official = &member;
  }
  if (official == nullptr) {
    return fail(ProtocolErrc::invalid_approval,
                "'" + approval.official_id + "' 不是主席团/监票人成员 / not a key committee member");
  }
  auto key = crypto::VerifyKey::from_hex(official->public_key);
  if (!key || !key->verify(approval_message(base_hash), approval.signature)) {
    return fail(ProtocolErrc::invalid_approval, official->name + " 的批准签名无效 / approval signature of " +
                                                    approval.official_id + " does not verify");
  }
  return {};
}

Status verify_signed_ballot(const SignedBallot& ballot, const crypto::VerifyKey& server_key,
                            const session::KeyCommittee& committee) {
  const BaseHash base_hash = ballot.definition.base_hash();
  if (!server_key.verify(issue_message(base_hash), ballot.server_signature)) {
    return fail(ProtocolErrc::wrong_credential,
                "选票的服务器签名无效 / the server's signature on the ballot does not verify");
  }
  std::set<std::string> approved;
  for (const auto& approval : ballot.approvals) {
    if (auto ok = verify_approval(committee, base_hash, approval); !ok) return ok;
    approved.insert(approval.official_id);
  }
  if (approved.size() < committee.quorum) {
    return fail(ProtocolErrc::invalid_approval, "选票只有 " + std::to_string(approved.size()) +
                                                    " 名成员批准，需要 " + std::to_string(committee.quorum) +
                                                    " 名 / " + std::to_string(approved.size()) +
                                                    " approvals, need " + std::to_string(committee.quorum));
  }
  return {};
}

}  // namespace hallvote::protocol
