#include "hallvote/session/lifecycle.h"

#include <algorithm>
#include <set>

namespace hallvote::session {
namespace {

tl::unexpected<Error> illegal(std::string_view what, std::string_view from_zh, std::string_view to_zh,
                              std::string_view from, std::string_view to) {
  return fail(SessionErrc::illegal_transition, std::string(what) + "：不能从“" + std::string(from_zh) +
                                                   "”转为“" + std::string(to_zh) + "” / cannot go from " +
                                                   std::string(from) + " to " + std::string(to));
}

}  // namespace

std::string_view display_name_zh(SessionState state) noexcept {
  switch (state) {
    case SessionState::prepared:
      return "准备中";
    case SessionState::sign_in_open:
      return "签到中";
    case SessionState::in_progress:
      return "会议进行中";
    case SessionState::closed:
      return "已闭会";
  }
  return "准备中";
}

std::string_view display_name_zh(VoteState state) noexcept {
  switch (state) {
    case VoteState::drafted:
      return "已起草";
    case VoteState::approved:
      return "已批准";
    case VoteState::open:
      return "投票中";
    case VoteState::held:
      return "暂停";
    case VoteState::closed:
      return "已截止";
    case VoteState::tallied:
      return "已计票";
    case VoteState::decrypted:
      return "已解密";
    case VoteState::certified:
      return "已确认";
    case VoteState::announced:
      return "已公告";
  }
  return "已起草";
}

std::string_view to_string(SessionState state) noexcept {
  switch (state) {
    case SessionState::prepared:
      return "prepared";
    case SessionState::sign_in_open:
      return "sign_in_open";
    case SessionState::in_progress:
      return "in_progress";
    case SessionState::closed:
      return "closed";
  }
  return "prepared";
}

std::string_view to_string(VoteState state) noexcept {
  switch (state) {
    case VoteState::drafted:
      return "drafted";
    case VoteState::approved:
      return "approved";
    case VoteState::open:
      return "open";
    case VoteState::held:
      return "held";
    case VoteState::closed:
      return "closed";
    case VoteState::tallied:
      return "tallied";
    case VoteState::decrypted:
      return "decrypted";
    case VoteState::certified:
      return "certified";
    case VoteState::announced:
      return "announced";
  }
  return "drafted";
}

Status SessionLifecycle::open_sign_in() {
  if (state_ != SessionState::prepared) {
    return illegal("会议 / session", display_name_zh(state_), display_name_zh(SessionState::sign_in_open),
                   to_string(state_), to_string(SessionState::sign_in_open));
  }
  state_ = SessionState::sign_in_open;
  return {};
}

Status SessionLifecycle::start(std::uint32_t present, std::uint32_t in_office, Fraction quorum) {
  if (state_ != SessionState::sign_in_open) {
    return illegal("会议 / session", display_name_zh(state_), display_name_zh(SessionState::in_progress),
                   to_string(state_), to_string(SessionState::in_progress));
  }
  if (!quorum_met(present, in_office, quorum)) {
    return fail(SessionErrc::quorum_not_met, "实到 " + std::to_string(present) + " 人，至少需要 " +
                                                 std::to_string(quorum_minimum(in_office, quorum)) + " 人 / " +
                                                 std::to_string(present) + " present, " +
                                                 std::to_string(quorum_minimum(in_office, quorum)) + " needed");
  }
  state_ = SessionState::in_progress;
  return {};
}

Status SessionLifecycle::close() {
  if (state_ != SessionState::in_progress) {
    return illegal("会议 / session", display_name_zh(state_), display_name_zh(SessionState::closed),
                   to_string(state_), to_string(SessionState::closed));
  }
  state_ = SessionState::closed;
  return {};
}

VoteLifecycle::VoteLifecycle(const VoteDefinition& vote)
    : vote_id_(vote.id), rounds_{RoundRecord{first_round(vote), VoteState::drafted, {}}} {}

Status VoteLifecycle::step(std::initializer_list<VoteState> from, VoteState to) {
  RoundRecord& round = rounds_.back();
  if (std::find(from.begin(), from.end(), round.state) == from.end()) {
    const std::string what = "表决“" + vote_id_ + "”第" + std::to_string(round.spec.number) + "轮 / vote '" +
                             vote_id_ + "' round " + std::to_string(round.spec.number);
    return illegal(what, display_name_zh(round.state), display_name_zh(to), to_string(round.state),
                   to_string(to));
  }
  round.state = to;
  return {};
}

Status VoteLifecycle::approve(const KeyCommittee& committee, std::span<const std::string> signer_ids) {
  if (current().state != VoteState::drafted) return step({VoteState::drafted}, VoteState::approved);
  std::set<std::string> distinct;
  for (const std::string& id : signer_ids) {
    const bool member = std::any_of(committee.members.begin(), committee.members.end(),
                                    [&](const Official& o) { return o.id == id; });
    if (!member) return fail(SessionErrc::unknown_signer, id);
    distinct.insert(id);
  }
  if (distinct.size() < committee.quorum) {
    return fail(SessionErrc::not_enough_approvals,
                std::to_string(distinct.size()) + " / " + std::to_string(committee.quorum));
  }
  rounds_.back().approvals.assign(distinct.begin(), distinct.end());
  return step({VoteState::drafted}, VoteState::approved);
}

Status VoteLifecycle::open(SessionState session) {
  if (session != SessionState::in_progress) {
    return fail(SessionErrc::illegal_transition,
                "会议未在进行中，不能开始投票 / the session is not in progress");
  }
  return step({VoteState::approved, VoteState::held}, VoteState::open);
}

Status VoteLifecycle::hold() { return step({VoteState::open}, VoteState::held); }
Status VoteLifecycle::close() { return step({VoteState::open, VoteState::held}, VoteState::closed); }
Status VoteLifecycle::mark_tallied() { return step({VoteState::closed}, VoteState::tallied); }
Status VoteLifecycle::mark_decrypted() { return step({VoteState::tallied}, VoteState::decrypted); }
Status VoteLifecycle::certify() { return step({VoteState::decrypted}, VoteState::certified); }
Status VoteLifecycle::announce() { return step({VoteState::certified}, VoteState::announced); }

Status VoteLifecycle::start_round(RoundSpec next) {
  const RoundRecord& round = current();
  if (round.state != VoteState::certified && round.state != VoteState::announced) {
    return fail(SessionErrc::illegal_transition,
                "第" + std::to_string(round.spec.number) + "轮尚未确认，不能开始新一轮 / round " +
                    std::to_string(round.spec.number) + " is not certified yet");
  }
  if (next.number != round.spec.number + 1 || next.parent != round.spec.number) {
    return fail(SessionErrc::illegal_transition,
                "新一轮应为第" + std::to_string(round.spec.number + 1) + "轮并链接到第" +
                    std::to_string(round.spec.number) + "轮 / the next round must be " +
                    std::to_string(round.spec.number + 1) + ", linked to " + std::to_string(round.spec.number));
  }
  rounds_.push_back(RoundRecord{std::move(next), VoteState::drafted, {}});
  return {};
}

}  // namespace hallvote::session
