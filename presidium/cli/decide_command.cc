// hallvote-presidium decide: a presidium member signs a decision of the presidium (主席团决定) about a vote's
// round — declare it invalid, hold the further vote for unfilled places now (naming the items that stand),
// defer it, accept fewer, or announce the certified result under a notice number — after reading the tally
// report it is made on and the decision in words (docs/protocol.md §4.5.9, docs/guide-presidium.md §9).
#include <algorithm>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/result_report.h"
#include "hallvote/protocol/presidium_decision.h"
#include "hallvote/protocol/result_outcome.h"
#include "member.h"
#include "report_check.h"

namespace hallvote::presidium_tool {
namespace {

using nlohmann::json;
using protocol::DecisionKind;

struct DecideCommand {
  MemberOptions member;
  std::string vote;
  std::optional<std::string> invalid;  // --invalid REASON
  std::optional<std::string> hold;     // --hold all | top:K | ID,ID…
  bool defer = false;
  bool accept_fewer = false;
  std::optional<std::uint32_t> announce;  // --announce N
  std::uint32_t sitting = 1;
};

// The items not adopted in the round, in ballot order, with their votes.
std::vector<const session::ItemResult*> not_adopted(const protocol::ResultOutcome& outcome) {
  std::vector<const session::ItemResult*> out;
  for (const auto& item : outcome.round.items) {
    if (item.verdict == session::Verdict::not_adopted) out.push_back(&item);
  }
  return out;
}

// --hold's items: "all" (every item not adopted), "top:K" (the K with most votes, refused when a tie straddles
// the cut: the presidium then names them), or a comma-separated list of item ids (put in ballot order).
Result<std::vector<std::string>> standing_items(const std::string& spec,
                                                const protocol::ResultOutcome& outcome) {
  const auto rest = not_adopted(outcome);
  std::vector<std::string> ids;
  if (spec == "all") {
    for (const auto* item : rest) ids.push_back(item->item_id);
    return ids;
  }
  if (spec.rfind("top:", 0) == 0) {
    std::size_t k = 0;
    try {
      k = std::stoul(spec.substr(4));
    } catch (const std::exception&) {
      k = 0;
    }
    if (k == 0 || k > rest.size()) {
      return fail(std::errc::invalid_argument, "--hold top:K：K 应为 1 到 " + std::to_string(rest.size()) +
                                                   " / K must be from 1 to the " + std::to_string(rest.size()) +
                                                   " items not adopted");
    }
    auto ranked = rest;
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto* a, const auto* b) { return a->totals[0] > b->totals[0]; });
    if (k < ranked.size() && ranked[k - 1]->totals[0] == ranked[k]->totals[0]) {
      return fail(std::errc::invalid_argument, "第 " + std::to_string(k) + " 名与第 " + std::to_string(k + 1) +
                                                   " 名票数相等，请用项目编号列出 / a tie straddles place " +
                                                   std::to_string(k) + ": name the items (--hold ID,ID…)");
    }
    for (const auto* item : rest) {  // ballot order
      if (std::find(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), item) !=
          ranked.begin() + static_cast<std::ptrdiff_t>(k)) {
        ids.push_back(item->item_id);
      }
    }
    return ids;
  }
  std::vector<std::string> named;
  std::size_t from = 0;
  while (from <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', from), spec.size());
    if (comma > from) named.push_back(spec.substr(from, comma - from));
    from = comma + 1;
  }
  for (const auto& item : outcome.round.items) {  // ballot order; anything else is refused by the server
    if (std::find(named.begin(), named.end(), item.item_id) != named.end()) ids.push_back(item.item_id);
  }
  for (const std::string& id : named) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      return fail(std::errc::invalid_argument,
                  "本轮选票上没有项目 " + id + " / no item " + id + " in the round");
    }
  }
  return ids;
}

// The decision the options name (exactly one of them: the option group requires it).
Result<protocol::PresidiumDecision> build_decision(const DecideCommand& o, const CheckedReport& report,
                                                   const protocol::ResultOutcome& outcome) {
  protocol::PresidiumDecision d;
  d.vote_id = o.vote;
  d.round = outcome.round.spec.number;
  d.result_sequence = report.sequence;
  d.result_hash = report.hash;
  d.sitting = o.sitting;
  if (o.invalid) {
    d.kind = DecisionKind::declare_invalid;
    d.reason = *o.invalid;
    if (d.reason.empty() || d.reason.size() > protocol::kMaxDecisionReasonBytes) {
      return fail(std::errc::invalid_argument,
                  "--invalid 的理由须为 1 到 200 字节 / the reason takes 1 to 200 bytes");
    }
  } else if (o.hold) {
    d.kind = DecisionKind::hold_further_vote;
    HALLVOTE_TRY(items, standing_items(*o.hold, outcome));
    d.items = std::move(*items);
  } else if (o.defer) {
    d.kind = DecisionKind::defer_further_vote;
  } else if (o.accept_fewer) {
    d.kind = DecisionKind::accept_fewer;
  } else {
    d.kind = DecisionKind::announce;
    d.notice_number = *o.announce;
  }
  return d;
}

int run_decide(const DecideCommand& o) {
  auto hall = setup::load_hall(o.member.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  auto member = find_member(*hall, o.member);
  if (!member) return setup::report_error(member.error().message(), setup::kExitSetup);
  const session::Official& official = **member;
  if (official.role != session::OfficialRole::presidium_member) {
    return setup::report_error(setup::official_words(hall->session, official.id) +
                                   "不是主席团成员，不能签署主席团决定 / only presidium members sign decisions",
                               setup::kExitSetup);
  }
  network::ClientContext context(1);
  auto client = connect_member(*hall, o.member, context);
  if (!client) return setup::report_error(client.error().message(), setup::kExitNetwork);
  auto report = fetch_checked_report(*client, *hall, o.vote);
  if (!report) return setup::report_error(report.error().message, report.error().exit_code);
  auto outcome = protocol::ResultOutcome::from_json(report->outcome);
  if (!outcome) return setup::report_error(outcome.error().message(), setup::kExitFailed);
  auto decision = build_decision(o, *report, *outcome);
  if (!decision) return setup::report_error(decision.error().message(), setup::kExitUsage);
  const std::string table = setup::result_table(hall->session, o.vote, report->answer.value("title", ""),
                                                report->answer.value("kind", ""), report->outcome);
  const std::string review = table + "\n将签署的决定 / the decision to sign:\n  " +
                             protocol::decision_text_zh(hall->session, *decision) + "\n  （第 " +
                             std::to_string(decision->sitting) + " 次全体会议；依据计票结果条目 " +
                             std::to_string(report->sequence) + "，指纹 " +
                             crypto::to_hex(report->hash).substr(0, 16) + "）\n";
  if (!member_confirms(o.member, review,
                       setup::official_words(hall->session, official.id) +
                           "：是否签署此主席团决定？/ sign this decision of the presidium?")) {
    return setup::kExitFailed;
  }
  auto key = load_signing_key(*hall, o.member);
  if (!key) return setup::report_error(key.error().message(), setup::kExitSetup);
  const auto signature = key->sign(protocol::decision_message(hall->session.info.id, *decision, official.id));
  auto signed_answer = request(*client, protocol::MessageType::decide,
                               {{"decision", decision->to_json()},
                                {"official_id", official.id},
                                {"signature", crypto::to_hex(signature)}});
  if (!signed_answer)
    return setup::report_error(signed_answer.error().message, signed_answer.error().exit_code);
  const json names = signed_answer->value("signed_names", json::array());
  std::string who;
  for (const auto& name : names) who += (who.empty() ? "" : "、") + name.get<std::string>();
  const std::string count =
      std::to_string(names.size()) + "/" + std::to_string(signed_answer->value("needed", 0));
  if (signed_answer->value("already_signed", false)) {
    std::cout << "您已签署过此决定（已签 " << count << "：" << who << "）/ you already signed this decision\n";
  } else if (signed_answer->value("complete", false)) {
    std::cout << "主席团决定已生效（" << count << "：" << who << "）/ the decision is in effect\n";
    if (decision->kind != DecisionKind::announce) {
      std::cout << "  本轮计票结果已按决定重新生成，请监票人和主席团成员重新确认 / the round's result was "
                   "re-read under the decision: certify it again (hallvote-presidium certify)\n";
    }
  } else {
    std::cout << "已签署，尚待其他主席团成员签署（已签 " << count << "：" << who << "）/ signed; more "
              << "presidium members must sign the same decision\n";
  }
  return setup::kExitOk;
}

}  // namespace

void add_decide_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DecideCommand>();
  auto* cmd =
      app.add_subcommand("decide",
                         "签署主席团决定：宣布某轮无效、不足名额另行投票/延期/接受、公告结果 / sign a decision "
                         "of the presidium about a vote's round");
  cmd->footer(
      "步骤 / steps: 1 显示计票结果报告单和决定的内容 shows the tally report and the decision in words; 2 "
      "输入“是” "
      "type 是; 3 输入密钥口令 type your key passphrase; 4 签署并提交 signs and submits. 同一决定须有过半数"
      "（密钥委员会法定人数）的主席团成员签署后生效 / a decision takes effect when q presidium members signed "
      "the identical decision. 例 / e.g. decide --as P01 --vote V1 --hold top:2; decide --as P01 --vote V1 "
      "--announce 3");
  add_member_options(*cmd, options->member);
  cmd->add_option("--vote", options->vote, "表决编号 / vote id (e.g. V1)")->required();
  auto* decisions = cmd->add_option_group("决定 / decision", "只选一项 / exactly one");
  decisions->add_option(
      "--invalid", options->invalid,
      "宣布本轮投票无效并重新投票，附理由（选举法第46条）/ declare the round invalid, with the reason");
  decisions->add_option(
      "--hold", options->hold,
      "不足名额：现在另行投票，参加的项目：all（全部未通过项目）、top:K（得票最多的K个）或项目编号列表 "
      "/ hold the further vote now among: all, top:K, or ID,ID…");
  decisions->add_flag("--defer", options->defer, "不足名额：另行投票延期举行 / defer the further vote");
  decisions->add_flag("--accept-fewer", options->accept_fewer,
                      "不足名额：接受已通过的项目，不再另行投票 / accept the items adopted");
  decisions
      ->add_option("--announce", options->announce,
                   "公告已确认的结果，公告编号 N / announce under notice number N")
      ->check(CLI::Range(1u, 0xFFFFFFFFu));
  decisions->require_option(1);
  cmd->add_option("--sitting", options->sitting, "本决定所属的全体会议次数（默认 1）/ the sitting (default 1)")
      ->check(CLI::Range(1u, 0xFFFFFFFFu));
  cmd->callback([options, &exit_code] { exit_code = run_decide(*options); });
}

}  // namespace hallvote::presidium_tool
