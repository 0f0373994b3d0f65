#include "hallvote/protocol/presidium_decision.h"

#include <algorithm>
#include <array>

#include "hallvote/crypto/hash.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/protocol/json_fields.h"

namespace hallvote::protocol {
namespace {

namespace jf = json_fields;
using nlohmann::json;

constexpr std::array<std::string_view, 5> kKindNames{"declare_invalid", "hold_further_vote",
                                                     "defer_further_vote", "accept_fewer", "announce"};

tl::unexpected<Error> malformed(const std::string& where, const std::string& field, const std::string& why) {
  return fail(ProtocolErrc::malformed, where + "." + field + ": " + why);
}

std::string num(std::uint64_t value) { return std::to_string(value); }

}  // namespace

std::string_view to_string(DecisionKind kind) noexcept { return kKindNames.at(static_cast<std::size_t>(kind)); }

bool parse_decision_kind(std::string_view text, DecisionKind& out) noexcept {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == text) {
      out = static_cast<DecisionKind>(i);
      return true;
    }
  }
  return false;
}

json PresidiumDecision::to_json() const {
  return {{"kind", std::string(to_string(kind))},
          {"vote_id", vote_id},
          {"round", round},
          {"result_sequence", result_sequence},
          {"result_hash", crypto::to_hex(result_hash)},
          {"sitting", sitting},
          {"items", items},
          {"reason", reason},
          {"notice_number", notice_number}};
}

Result<PresidiumDecision> PresidiumDecision::from_json(const json& j, const std::string& where) {
  if (!j.is_object()) return fail(ProtocolErrc::malformed, where + ": expected an object");
  if (auto ok = jf::only_fields(j,
                                {"items", "kind", "notice_number", "reason", "result_hash", "result_sequence",
                                 "round", "sitting", "vote_id"},
                                where);
      !ok) {
    return forward(ok.error());
  }
  PresidiumDecision out;
  HALLVOTE_TRY(kind, jf::text(j, "kind", where));
  if (!parse_decision_kind(*kind, out.kind)) {
    return malformed(where, "kind", "'" + *kind + "' is not a decision kind");
  }
  HALLVOTE_TRY(vote_id, jf::text(j, "vote_id", where));
  out.vote_id = std::move(*vote_id);
  HALLVOTE_TRY(round, jf::count32(j, "round", where));
  if (*round == 0) return malformed(where, "round", "rounds are numbered from 1");
  out.round = *round;
  HALLVOTE_TRY(sequence, jf::count(j, "result_sequence", where));
  out.result_sequence = *sequence;
  HALLVOTE_TRY(hash, jf::hex<32>(j, "result_hash", where));
  out.result_hash = *hash;
  HALLVOTE_TRY(sitting, jf::count32(j, "sitting", where));
  if (*sitting == 0) return malformed(where, "sitting", "sittings are numbered from 1");
  out.sitting = *sitting;
  HALLVOTE_TRY(items, jf::texts(j, "items", where));
  out.items = std::move(*items);
  HALLVOTE_TRY(reason, jf::text(j, "reason", where, true));
  out.reason = std::move(*reason);
  HALLVOTE_TRY(notice, jf::count32(j, "notice_number", where));
  out.notice_number = *notice;

  const bool holds = out.kind == DecisionKind::hold_further_vote;
  const bool invalidates = out.kind == DecisionKind::declare_invalid;
  const bool announces = out.kind == DecisionKind::announce;
  if (holds == out.items.empty()) {
    return malformed(
        where, "items",
        holds ? "a further vote names the items that stand" : "only hold_further_vote names items");
  }
  if (invalidates && (out.reason.empty() || out.reason.size() > kMaxDecisionReasonBytes)) {
    return malformed(where, "reason", "declare_invalid gives its reason in 1 to 200 bytes");
  }
  if (!invalidates && !out.reason.empty())
    return malformed(where, "reason", "only declare_invalid has a reason");
  if (announces == (out.notice_number == 0)) {
    return malformed(where, "notice_number",
                     announces ? "an announcement has a notice number from 1" : "only announce has a number");
  }
  return out;
}

std::optional<session::PresidiumDecision> PresidiumDecision::rules_decision() const {
  switch (kind) {
    case DecisionKind::declare_invalid:
      return session::PresidiumDecision{session::PresidiumAction::declare_invalid, round, {}};
    case DecisionKind::hold_further_vote:
      return session::PresidiumDecision{session::PresidiumAction::hold_further_vote, round, items};
    case DecisionKind::defer_further_vote:
      return session::PresidiumDecision{session::PresidiumAction::defer_further_vote, round, {}};
    case DecisionKind::accept_fewer:
      return session::PresidiumDecision{session::PresidiumAction::accept_fewer, round, {}};
    case DecisionKind::announce:
      return std::nullopt;
  }
  return std::nullopt;
}

crypto::Bytes decision_message(std::string_view session_id, const PresidiumDecision& decision,
                               std::string_view official_id) {
  return crypto::HashInput("presidium-decision")
      .add(session_id)
      .add(decision.to_json().dump())
      .add(official_id)
      .bytes();
}

std::uint32_t decision_signatures_needed(const session::KeyCommittee& committee) {
  const auto presidium = static_cast<std::uint32_t>(std::count_if(
      committee.members.begin(), committee.members.end(),
      [](const session::Official& o) { return o.role == session::OfficialRole::presidium_member; }));
  return std::min(committee.quorum, presidium);
}

Status verify_decision(const session::KeyCommittee& committee, std::string_view session_id,
                       const PresidiumDecision& decision, std::string_view official_id,
                       const crypto::Signature& signature) {
  const auto it = std::find_if(committee.members.begin(), committee.members.end(),
                               [&](const session::Official& o) { return o.id == official_id; });
  if (it == committee.members.end() || it->role != session::OfficialRole::presidium_member) {
    return fail(ProtocolErrc::invalid_approval, "'" + std::string(official_id) +
                                                    "' 不是主席团成员，不能签署主席团决定 / not a presidium "
                                                    "member: cannot sign a presidium decision");
  }
  auto key = crypto::VerifyKey::from_hex(it->public_key);
  if (!key || !key->verify(decision_message(session_id, decision, official_id), signature)) {
    return fail(
        ProtocolErrc::invalid_approval,
        it->name + " 对主席团决定的签名无效 / the decision signature of " + it->id + " does not verify");
  }
  return {};
}

std::string decision_text_zh(const session::SessionDefinition& session, const PresidiumDecision& d) {
  const session::VoteDefinition* vote = session.find_vote(d.vote_id);
  const std::string title = vote != nullptr ? "“" + vote->title + "”" : d.vote_id;
  const std::string round = title + "第" + num(d.round) + "轮";
  switch (d.kind) {
    case DecisionKind::declare_invalid:
      return "主席团决定：" + round + "投票无效，重新投票。理由：" + d.reason;
    case DecisionKind::hold_further_vote: {
      std::string names;
      for (const std::string& id : d.items)
        names += (names.empty() ? "" : "、") + std::string(session.item_title(id));
      return "主席团决定：对" + round + "未通过的项目中的 " + num(d.items.size()) + " 个另行投票：" + names;
    }
    case DecisionKind::defer_further_vote:
      return "主席团决定：" + round + "不足名额的另行投票延期，本次会议不再投票";
    case DecisionKind::accept_fewer:
      return "主席团决定：接受" + round + "已通过的项目，不足名额不再另行投票";
    case DecisionKind::announce:
      return "主席团决定：公告" + title + "的表决结果，为主席团公告第 " + num(d.notice_number) + " 号";
  }
  return {};
}

}  // namespace hallvote::protocol
