// Checks ballot.definition, ballot.approvals, ballot.issued, ballot.one_per_credential and the entry-order part
// of the ballot checks (docs/crypto.md §13.4–13.10), and the vote's state machine (state.transition). The
// ballots' decoding, proofs and card signatures are queued as CastJobs (ballot_checks.cc).
#include "hallvote/crypto/hash.h"
#include "hallvote/protocol/cast_ballot.h"
#include "json_diff.h"
#include "walk.h"

namespace hallvote::vote_audit::internal {

Got<VoteState*> vote_of(Walk& walk, const std::string& id, At& at) {
  auto it = walk.votes.find(id);
  if (it == walk.votes.end()) {
    return tl::unexpected(at("state.transition", "payload.vote_id", VoteAuditErrc::unknown_name,
                             "会议中没有表决“" + id + "” / the session has no vote '" + id + "'"));
  }
  at.vote_id = id;
  at.round = it->second.number();
  return &it->second;
}

Check same_round(const VoteState& vote, std::uint32_t round, const At& at) {
  if (round != vote.number()) {
    return at("state.transition", "payload.round", VoteAuditErrc::out_of_order,
              "条目属于第" + std::to_string(round) + "轮，当前为第" + std::to_string(vote.number()) +
                  "轮 / the entry names round " + std::to_string(round) + ", the current round is " +
                  std::to_string(vote.number()));
  }
  return std::nullopt;
}

Check transition(const Status& status, const At& at) {
  if (status) return std::nullopt;
  return at("state.transition", "type", VoteAuditErrc::out_of_order,
            "状态机不允许此条目 / the state machine refuses this entry: " + status.error().message());
}

void begin_round(Walk& walk, VoteState& vote) {
  vote.rounds.emplace_back();
  RoundSummary summary;
  summary.number = vote.number();
  summary.state = std::string(session::to_string(vote.lifecycle.current().state));
  summary.in_office = walk.session().deputies_in_office();
  walk.report.votes[vote.summary].rounds.push_back(std::move(summary));
}

Check require_open(const VoteState& vote, const At& at) {
  const auto state = vote.lifecycle.current().state;
  if (state == session::VoteState::open) return std::nullopt;
  return at("state.transition", "type", VoteAuditErrc::out_of_order,
            "表决" + std::string(session::display_name_zh(state)) + "，不能发放或接收选票 / the round is " +
                std::string(session::to_string(state)) + ": no ballot may be issued or cast");
}

namespace {

void note_state(Walk& walk, VoteState& vote) {
  walk.summary(vote).state = std::string(session::to_string(vote.lifecycle.current().state));
}

}  // namespace

namespace {

// One vote at a time: opening or resuming `v` while another is open or held is refused.
Check only_vote_open(Walk& walk, const VoteState& v, const At& at) {
  for (const auto& [id, other] : walk.votes) {
    const auto state = other.lifecycle.current().state;
    if (&other != &v && (state == session::VoteState::open || state == session::VoteState::held)) {
      return at("state.transition", "payload.vote_id", VoteAuditErrc::out_of_order,
                "表决“" + id + "”尚未截止 / vote '" + id + "' is still open or held: one vote at a time");
    }
  }
  return std::nullopt;
}

}  // namespace

Check check_vote_opened(Walk& walk, const protocol::VoteOpened& e, At& at) {
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  if (auto c = same_round(v, e.round, at)) return c;
  if (e.base_hash != v.current().base_hash) {
    return at("state.transition", "payload.base_hash", VoteAuditErrc::mismatch,
              "开启的不是已批准的选票定义 / the ballot opened is not the approved definition");
  }
  if (e.title != v.definition->title || e.kind != session::to_string(v.definition->kind)) {
    return at("state.transition", "payload.title", VoteAuditErrc::mismatch,
              "表决名称或类型与会议定义不符 / title or kind differ from the session definition");
  }
  if (auto c = transition(v.lifecycle.open(walk.session_state.state()), at)) return c;
  if (auto c = only_vote_open(walk, v, at)) return c;
  note_state(walk, v);
  return std::nullopt;
}

Check check_vote_held_or_resumed(Walk& walk, const std::string& vote_id, bool resumed, At& at) {
  auto vote = vote_of(walk, vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  if (auto c = transition(resumed ? v.lifecycle.open(walk.session_state.state()) : v.lifecycle.hold(), at))
    return c;
  if (resumed) {
    if (auto c = only_vote_open(walk, v, at)) return c;
  }
  note_state(walk, v);
  return std::nullopt;
}

Check check_prepared(Walk& walk, const protocol::BallotPrepared& e, At& at) {
  constexpr std::string_view kCheck = "ballot.definition";
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  if (v.lifecycle.current().state != session::VoteState::drafted) {
    return transition(
        fail(VoteAuditErrc::out_of_order, "只能在起草状态生成选票 / a ballot is prepared only while drafted"),
        at);
  }
  const protocol::BallotDefinition expected = protocol::make_ballot_definition(
      walk.session(), *v.definition, v.lifecycle.current().spec, walk.opened.election_key);
  if (e.round != expected.shape.round) {
    return at(kCheck, "payload.round", VoteAuditErrc::mismatch,
              "选票定义为第" + std::to_string(e.round) + "轮，应为第" + std::to_string(expected.shape.round) +
                  "轮 / prepared for round " + std::to_string(e.round) + ", expected " +
                  std::to_string(expected.shape.round));
  }
  const std::string canonical = expected.canonical_json();
  if (e.definition != canonical) {
    const json logged = json::parse(e.definition, nullptr, false);
    if (logged.is_discarded()) {
      return at(kCheck, "payload.definition", VoteAuditErrc::malformed, "不是 JSON / not JSON");
    }
    auto difference = first_difference(json::parse(canonical), logged, "payload.definition");
    return at(kCheck, difference ? difference->path : "payload.definition", VoteAuditErrc::mismatch,
              "选票定义与会议定义重建的不符 / the definition differs from the one rebuilt from the session: " +
                  (difference ? difference->describe() : std::string("不是规范形式 / not in canonical form")));
  }
  if (auto readable = protocol::BallotDefinition::from_json(canonical); !readable) {
    return at(kCheck, "payload.definition", readable.error());
  }
  if (e.base_hash != expected.base_hash()) {
    return at(kCheck, "payload.base_hash", VoteAuditErrc::mismatch,
              "base_hash 不是选票定义的哈希 / base_hash is not the hash of the definition");
  }
  auto key = crypto::ElectionKey::decode(expected.election_key);
  if (!key) return at(kCheck, "payload.definition", key.error());
  RoundState& r = v.current();
  r.definition = expected;
  r.key = std::move(*key);
  r.base_hash = e.base_hash;
  r.approvals.clear();
  walk.summary(v).approvals = 0;
  ++walk.report.definitions;
  return std::nullopt;
}

Check check_approved(Walk& walk, const protocol::BallotApproved& e, At& at) {
  constexpr std::string_view kCheck = "ballot.approvals";
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  RoundState& r = v.current();
  if (v.lifecycle.current().state != session::VoteState::drafted || !r.definition) {
    return transition(fail(VoteAuditErrc::out_of_order,
                           "批准只能针对已生成、尚未批准的选票 / approval of a ballot not "
                           "prepared or already approved"),
                      at);
  }
  if (auto c = same_round(v, e.round, at)) return c;
  if (e.base_hash != r.base_hash) {
    return at(kCheck, "payload.base_hash", VoteAuditErrc::mismatch,
              "批准的不是本轮选票定义 / the approval names another ballot definition");
  }
  if (auto ok =
          protocol::verify_approval(walk.session().key_committee, r.base_hash, {e.official_id, e.signature});
      !ok) {
    const bool member = walk.session().find_official(e.official_id) != nullptr;
    return at(kCheck, member ? "payload.signature" : "payload.official_id",
              member ? VoteAuditErrc::invalid_signature : VoteAuditErrc::unknown_name, ok.error().detail);
  }
  r.approvals.insert(e.official_id);
  ++walk.report.approvals;
  walk.summary(v).approvals = static_cast<std::uint32_t>(r.approvals.size());
  if (r.approvals.size() >= walk.session().key_committee.quorum) {
    const std::vector<std::string> ids(r.approvals.begin(), r.approvals.end());
    if (auto c = transition(v.lifecycle.approve(walk.session().key_committee, ids), at)) return c;
    note_state(walk, v);
  }
  return std::nullopt;
}

Check check_issued(Walk& walk, const protocol::BallotIssued& e, At& at) {
  constexpr std::string_view kCheck = "ballot.issued";
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  if (auto c = require_open(v, at)) return c;
  if (auto c = same_round(v, e.round, at)) return c;
  auto where = walk.signed_in.find(e.deputy_id);
  if (where == walk.signed_in.end() || where->second != e.terminal_id) {
    return at(
        kCheck, "payload.terminal_id", VoteAuditErrc::out_of_order,
        "代表 " + e.deputy_id + " 未在席位 " + e.terminal_id + " 签到 / deputy not signed in at this terminal");
  }
  RoundState& r = v.current();
  if (!r.issued.emplace(e.deputy_id, e.terminal_id).second) {
    return at(kCheck, "payload.deputy_id", VoteAuditErrc::duplicate,
              "本轮已向 " + e.deputy_id + " 发放选票 / the ballot of this round was already issued to " +
                  e.deputy_id);
  }
  walk.summary(v).issued = static_cast<std::uint32_t>(r.issued.size());
  return std::nullopt;
}

Check check_cast(Walk& walk, const audit::Entry& entry, const protocol::BallotCast& e, At& at) {
  auto vote = vote_of(walk, e.vote_id, at);
  if (!vote) return vote.error();
  VoteState& v = **vote;
  if (auto c = require_open(v, at)) return c;
  if (auto c = same_round(v, e.round, at)) return c;
  RoundState& r = v.current();
  const session::Deputy* deputy = walk.session().find_deputy(e.deputy_id);
  if (deputy == nullptr || !deputy->in_office) {
    return at("ballot.signature", "payload.deputy_id", VoteAuditErrc::unknown_name,
              "'" + e.deputy_id + "' 不是在任代表，没有代表证 / not a deputy in office: no card key");
  }
  auto credential = crypto::VerifyKey::from_hex(deputy->credential_key);
  if (!credential) {
    return at("ballot.signature", "payload.deputy_id", VoteAuditErrc::malformed,
              e.deputy_id + ": 代表证公钥无效 / invalid card key");
  }
  const std::size_t job = walk.casts.size();
  walk.casts.push_back(CastJob{entry.sequence,
                               v.definition->id,
                               v.number(),
                               &*r.definition,
                               &*r.key,
                               e.deputy_id,
                               *credential,
                               e.ballot,
                               e.signature,
                               e.ballot_hash,
                               {},
                               std::nullopt});
  RoundSummary& summary = walk.summary(v);
  ++summary.ballots_verified;

  // ballot.issued: issued this round to this deputy at the terminal the deputy signed in at, which cast it.
  auto seat = walk.signed_in.find(e.deputy_id);
  auto issued = r.issued.find(e.deputy_id);
  if (seat == walk.signed_in.end() || seat->second != e.terminal_id) {
    return at("ballot.issued", "payload.terminal_id", VoteAuditErrc::out_of_order,
              "代表 " + e.deputy_id + " 未在席位 " + e.terminal_id +
                  " 签到 / the deputy is not signed in at the casting terminal");
  }
  if (issued == r.issued.end() || issued->second != e.terminal_id) {
    return at("ballot.issued", "payload.deputy_id", VoteAuditErrc::out_of_order,
              "本轮未在该席位向 " + e.deputy_id +
                  " 发放选票 / no ballot of this round was issued to the deputy at this terminal");
  }
  // ballot.one_per_credential: a ballot is recorded once, and one counts per deputy.
  const std::string hash_hex = crypto::to_hex(e.ballot_hash);
  if (v.challenged_hashes.count(hash_hex) != 0) {
    return at("ballot.challenge", "payload.ballot_hash", VoteAuditErrc::duplicate,
              "已核验公开的选票被投出 / a challenged ballot is recorded as cast (" + hash_hex + ")");
  }
  if (!v.ballot_hashes.insert(hash_hex).second) {
    return at("ballot.one_per_credential", "payload.ballot_hash", VoteAuditErrc::duplicate,
              "同一张选票记录了两次 / the same ballot is recorded twice (" + hash_hex + ")");
  }
  if (r.counted.count(e.deputy_id) != 0 && !r.definition->replacement_allowed) {
    return at("ballot.one_per_credential", "payload.deputy_id", VoteAuditErrc::duplicate,
              "本表决不允许更改，" + e.deputy_id + " 却有第二张被接受的选票 / a second accepted ballot of " +
                  e.deputy_id + " where replacement is not allowed");
  }
  r.counted[e.deputy_id] = job;
  summary.returned = static_cast<std::uint32_t>(r.counted.size());
  return std::nullopt;
}

void count_rejected(Walk& walk, const protocol::CastRejected& e) {
  // Informative only: a refusal changes nothing. Counted for the current round of a vote the session has.
  auto it = walk.votes.find(e.vote_id);
  if (it != walk.votes.end()) ++walk.summary(it->second).rejected;
}

}  // namespace hallvote::vote_audit::internal
