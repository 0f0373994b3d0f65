#include "hallvote/presidium/review.h"

#include <sstream>

#include "hallvote/crypto/bytes.h"
#include "hallvote/protocol/result_outcome.h"
#include "hallvote/session/rules_config.h"

namespace hallvote::presidium {
namespace {

using nlohmann::json;

std::string num(std::uint64_t n) { return std::to_string(n); }

// "全体代表（实有 24 名）过半数，即至少 13 票" — the threshold as far as it is known before the vote.
std::string threshold_words(const session::SessionDefinition& session, const session::VoteDefinition& vote) {
  const std::string base(session::base_words_zh(vote.threshold_base));
  switch (vote.threshold_base) {
    case session::ThresholdBase::in_office: {
      const std::uint32_t in_office = session.deputies_in_office();
      return base + "（实有 " + num(in_office) + " 名）过半数，即至少 " +
             num(session::majority_threshold(in_office)) + " 票";
    }
    case session::ThresholdBase::present:
      return base + "过半数（票数按本轮实到人数计算）";
    case session::ThresholdBase::valid:
      return base + "过半数（票数按本轮有效票数计算）";
  }
  return base + "过半数";
}

// The line a threshold known in advance adds: "通过票数 / votes needed：13 票".
std::string votes_needed(const session::SessionDefinition& session, const session::VoteDefinition& vote) {
  if (vote.threshold_base != session::ThresholdBase::in_office) return {};
  return "  通过票数 / votes needed：" + num(session::majority_threshold(session.deputies_in_office())) +
         " 票\n";
}

std::string labels_of(const session::Contest& contest) {
  std::string out;
  for (const auto& selection : contest.selections) out += (out.empty() ? "" : "、") + selection.label;
  return out;
}

// The instruction line and the items, as the seat shows them (voter-terminal's ballot page).
void ballot_lines(std::ostringstream& out, const protocol::BallotDefinition& d) {
  const auto& contests = d.shape.contests;
  if (d.kind == session::VoteKind::choose) {
    const auto& contest = contests.front();
    out << "  请从以下 " << contest.selections.size() << " 个项目中选择，最多选 " << contest.max_selected
        << " 项";
    if (contest.min_selected > 0) out << "，至少选 " << contest.min_selected << " 项";
    out << "。/ choose at most " << contest.max_selected << " of " << contest.selections.size() << "\n";
    for (std::size_t s = 0; s < contest.selections.size(); ++s) {
      out << "    " << s + 1 << ". " << contest.selections[s].label << "\n";
    }
    return;
  }
  const bool satisfaction = d.kind == session::VoteKind::satisfaction;
  out << (satisfaction ? "  请对每个项目选择一项评价（" : "  请对每一项选择（") << labels_of(contests.front())
      << "）；不选的项目记为未表态。";
  if (const auto& limit = d.shape.aggregate_limit) {
    std::string label = limit->selection_id;
    for (const auto& selection : contests.front().selections) {
      if (selection.id == limit->selection_id) label = selection.label;
    }
    out << "评为“" << label << "”的最多 " << limit->max_total << " 项。";
  }
  out << " / one answer per item; an item left blank is counted as no answer\n";
  for (std::size_t c = 0; c < contests.size(); ++c) out << "    " << c + 1 << ". " << contests[c].title << "\n";
}

// The counting rule in words, from the session file's vote and the round's purpose.
void rule_lines(std::ostringstream& out, const session::SessionDefinition& session,
                const session::VoteDefinition& vote, const protocol::BallotDefinition& d,
                std::optional<session::RoundPurpose> purpose) {
  const std::string threshold = threshold_words(session, vote);
  out << "计票规则 / counting rule:\n";
  switch (d.kind) {
    case session::VoteKind::choose: {
      const auto places = d.shape.contests.front().max_selected;
      if (purpose == session::RoundPurpose::tie_run_off &&
          vote.tie_revote == session::TieRevoteRule::plurality) {
        // 以得票多的当选: the tied projects each passed the threshold already; no 通过票数 here.
        out << "  本轮为票数相等的再次投票：得票多的项目当选应选的 " << places
            << " 个名额，不再要求过半数 / a tie run-off: the most votes take the " << places
            << " place(s), no majority needed\n";
        break;
      }
      out << "  得票达到" << threshold << "，并按得票多少排在应选 " << places
          << " 个名额内的项目当选 / a project needs more than half and a rank within the " << places
          << " place(s)\n";
      out << (vote.shortfall == session::ShortfallPolicy::run_off
                  ? "  达到过半数的项目少于名额时，对未当选的项目另行投票 / a shortfall is filled by a "
                    "run-off\n"
                  : "  达到过半数的项目少于名额时，由主席团决定接受 / a shortfall is accepted by the "
                    "presidium\n");
      out << votes_needed(session, vote);
      break;
    }
    case session::VoteKind::per_item:
      out << "  赞成票达到" << threshold << "的，该项通过 / an item passes with more than half voting for it\n"
          << votes_needed(session, vote);
      break;
    case session::VoteKind::satisfaction:
      // Nothing passes in a 满意度测评: no 通过票数.
      out << "  满意票达到" << threshold << "的评为满意；满意票与基本满意票合计达到该票数的评为基本满意；"
          << "其余评为不满意 / satisfied, basically satisfied or dissatisfied by the same threshold\n";
      break;
  }
}

}  // namespace

std::string fingerprint_words(std::span<const std::uint8_t, 32> hash) {
  const std::string hex = crypto::to_hex(crypto::ByteView(hash.data(), hash.size()));
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 4) {
    if (i == 32)
      out += "\n    ";
    else if (i > 0)
      out += " ";
    out += hex.substr(i, 4);
  }
  return out;
}

std::optional<session::RoundPurpose> purpose_from_words(std::string_view words) noexcept {
  for (const auto purpose : {session::RoundPurpose::initial, session::RoundPurpose::tie_run_off,
                             session::RoundPurpose::shortfall_run_off, session::RoundPurpose::re_vote}) {
    if (session::display_name_zh(purpose) == words) return purpose;
  }
  return std::nullopt;
}

std::string approval_review(const session::SessionDefinition& session, const protocol::BallotDefinition& d,
                            std::optional<session::RoundPurpose> purpose) {
  std::ostringstream out;
  const session::VoteDefinition* vote = session.find_vote(d.shape.vote_id);
  out << "== 请核对您将批准的选票 / the ballot you are asked to approve ==\n"
      << "会议 / session：" << d.session_body << "\n"
      << "表决 / vote：" << d.vote_title << "（" << session::display_name_zh(d.kind) << "，第 " << d.shape.round
      << " 轮" << (purpose && d.shape.round > 1 ? "，" + std::string(session::display_name_zh(*purpose)) : "")
      << "）/ vote " << d.shape.vote_id << ", round " << d.shape.round << "\n";
  if (!d.description.empty()) out << "说明 / description：" << d.description << "\n";
  out << "代表将看到的选票 / the ballot as deputies will see it:\n";
  ballot_lines(out, d);
  if (vote != nullptr) rule_lines(out, session, *vote, d, purpose);
  out << "可否改投 / replacement："
      << (d.replacement_allowed ? "允许，以最后一次投票为准 / allowed" : "不允许 / not allowed") << "\n"
      << "您签署的是这张选票的基准哈希 / you sign this ballot's base hash (SHA-256):\n"
      << "  指纹 / fingerprint：" << fingerprint_words(d.base_hash()) << "\n";
  return out.str();
}

std::string certification_review(const session::SessionDefinition& session, const session::Official& signer,
                                 const std::string& report, const json& outcome, std::uint64_t sequence,
                                 std::span<const std::uint8_t, 32> result_hash) {
  std::ostringstream out;
  out << "== 请核对您将签署的计票结果报告单 / the tally report you are asked to certify ==\n"
      << "会议 / session：" << session.info.body << "\n"
      << report;
  auto parsed = protocol::ResultOutcome::from_json(outcome);
  if (!parsed) {
    out << "核对 / reconciliation：无法解读本轮计票结果（" << parsed.error().detail
        << "），请勿签署 / the round's result cannot be read: do not sign\n";
  } else {
    const session::RoundResult& round = parsed->round;
    const session::BallotAccounting& a = round.accounting;
    // docs/rules.md §6: 未按 = 实到 − 收回 (0 when 收回 > 实到), 发出 ≤ 实到, 收回 = 有效 + 无效. (收回 > 发出
    // is a void round, which the report states; it is certified as such, not refused here.)
    const std::uint32_t expected_no_ballot = a.returned <= round.present ? round.present - a.returned : 0;
    const bool present_ok = round.no_ballot == expected_no_ballot;
    const bool issued_ok = a.issued <= round.present;
    const bool returned_ok = a.returned == a.valid + a.invalid;
    out << "核对 / reconciliation：实到 " << round.present << (present_ok ? " = " : " ≠ ") << "收回 "
        << a.returned << " + 未按 " << round.no_ballot << "；发出 " << a.issued << (issued_ok ? " ≤ " : " > ")
        << "实到 " << round.present << "；收回 " << a.returned << (returned_ok ? " = " : " ≠ ") << "有效 "
        << a.valid << " + 无效 " << a.invalid << "——"
        << (present_ok && issued_ok && returned_ok ? "相符 / consistent"
                                                   : "不相符，请勿签署 / INCONSISTENT: do not sign")
        << "\n";
  }
  out << "签署人 / signer：" << signer.name << "（" << session::display_name_zh(signer.role) << "）\n"
      << "您签署的是日志第 " << sequence << " 条（本轮计票结果）的哈希 / you sign the hash of log entry "
      << sequence << " (this round's result):\n"
      << "  指纹 / fingerprint：" << fingerprint_words(result_hash) << "\n";
  return out.str();
}

std::string decryption_review(const session::SessionDefinition& session, const session::Official& trustee,
                              std::uint32_t trustee_index, const std::string& vote_id, const json& tally,
                              std::span<const std::uint8_t, 32> base_hash) {
  std::ostringstream out;
  const session::VoteDefinition* vote = session.find_vote(vote_id);
  const auto ballots = tally.value("ballots", std::uint64_t{0});
  const auto ciphertexts =
      tally.contains("ciphertexts") && tally["ciphertexts"].is_array() ? tally["ciphertexts"].size() : 0;
  std::string shares;
  for (const auto& id : tally.value("shares", json::array())) {
    const std::string text = id.is_string() ? id.get<std::string>() : id.dump();
    const auto* official = session.find_official(text);
    shares += (shares.empty() ? "" : "、") + (official != nullptr ? official->name : text);
  }
  out << "== 请核对您将解密的内容 / what you are asked to decrypt ==\n"
      << "会议 / session：" << session.info.body << "\n"
      << "表决 / vote：" << (vote != nullptr ? vote->title : vote_id) << "（"
      << (vote != nullptr ? std::string(session::display_name_zh(vote->kind)) + "，" : "") << "第 "
      << tally.value("round", std::uint64_t{0}) << " 轮）/ vote " << vote_id << ", round "
      << tally.value("round", std::uint64_t{0}) << "\n"
      << "受托人 / trustee：" << trustee.name << "（" << session::display_name_zh(trustee.role) << "，第 "
      << trustee_index << " 号受托人）\n"
      << "解密内容 / what is decrypted：本轮 " << ballots << " 张选票之和（" << ciphertexts
      << " 个密文），不解密任何单张选票 / the sum of " << ballots << " ballots (" << ciphertexts
      << " ciphertexts), never a single ballot\n"
      << "已接受的份额 / shares accepted：" << (shares.empty() ? "无" : shares) << "（需要 "
      << tally.value("quorum", std::uint64_t{0}) << " 份 / " << tally.value("quorum", std::uint64_t{0})
      << " needed）\n"
      << "解密证明绑定的选票基准哈希 / the proofs are bound to the ballot's base hash:\n"
      << "  指纹 / fingerprint：" << fingerprint_words(base_hash) << "\n";
  return out.str();
}

std::string cosign_review(const std::string& origin, std::uint64_t size,
                          std::span<const std::uint8_t, 32> root) {
  std::ostringstream out;
  out << "== 请核对您将联署的日志检查点 / the log checkpoint you are asked to cosign ==\n"
      << "日志 / log：" << origin << "\n"
      << "条目数 / entries：" << size << "\n"
      << "您签署的是日志在此刻的根哈希 / you sign the log's root hash as it stands:\n"
      << "  指纹 / fingerprint：" << fingerprint_words(root) << "\n";
  return out.str();
}

}  // namespace hallvote::presidium
