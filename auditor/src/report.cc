#include "hallvote/auditor/report.h"

#include <array>

namespace hallvote::vote_audit {
namespace {

// docs/crypto.md §13 lists the same table; ids and numbers never change meaning.
constexpr std::array<CheckInfo, 20> kChecks{{
    {"session.definition", "13.1", "会议定义", "session definition"},
    {"deputy.sign_in", "13.2", "代表签到", "deputy sign-in"},
    {"state.transition", "13.3", "状态顺序", "state order"},
    {"ballot.definition", "13.4", "选票定义", "ballot definition"},
    {"ballot.approvals", "13.5", "选票批准签名", "ballot approvals"},
    {"ballot.issued", "13.6", "发放选票", "ballot issued"},
    {"ballot.proofs", "13.7", "选票证明", "ballot proofs"},
    {"ballot.signature", "13.8", "代表证签名", "card signature"},
    {"ballot.hash", "13.9", "选票哈希与确认码", "ballot hash"},
    {"ballot.one_per_credential", "13.10", "一人一票", "one counted ballot per credential"},
    {"round.reconciliation", "13.11", "发出/收回核对", "ballot reconciliation"},
    {"round.tally", "13.12", "同态计票", "homomorphic tally"},
    {"round.shares", "13.13", "解密份额", "decryption shares"},
    {"round.decryption", "13.14", "解密合成", "decryption"},
    {"round.result", "13.15", "计票规则结果", "result by the rules"},
    {"round.certification", "13.16", "计票结果签署", "certification"},
    {"records.match", "13.17", "决议文件一致", "records match"},
    {"session.final", "13.18", "表决全部完成", "every vote decided and certified"},
    {"ballot.challenge", "13.19", "核验选票", "challenged ballots"},
    {"round.decision", "13.20", "主席团决定", "presidium decisions"},
}};

// The text with every control character but newline shown as '?': names and reasons come from the bundle, which
// must not be able to drive the auditor's terminal.
std::string printable(std::string text) {
  for (char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n') || byte == 0x7f) c = '?';
  }
  return text;
}

std::string join(const std::vector<std::string>& items) {
  if (items.empty()) return "—";
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string totals_text(const std::vector<std::vector<std::uint32_t>>& totals) {
  std::string out;
  for (const auto& contest : totals) {
    out += out.empty() ? "[" : " [";
    for (std::size_t i = 0; i < contest.size(); ++i) out += (i ? " " : "") + std::to_string(contest[i]);
    out += "]";
  }
  return out;
}

nlohmann::json round_json(const RoundSummary& r) {
  return {{"round", r.number},
          {"state", r.state},
          {"approvals", r.approvals},
          {"in_office", r.in_office},
          {"present", r.present},
          {"issued", r.issued},
          {"returned", r.returned},
          {"valid", r.valid},
          {"invalid", r.invalid},
          {"no_ballot", r.no_ballot},
          {"ballots_verified", r.ballots_verified},
          {"rejected", r.rejected},
          {"challenged", r.challenged},
          {"tallied", r.tallied},
          {"shares", r.shares},
          {"decrypted_by", r.decrypted_by},
          {"totals", r.totals},
          {"result_checked", r.result_checked},
          {"certified_by", r.certified_by},
          {"certified", r.certified}};
}

}  // namespace

std::span<const CheckInfo> vote_checks() noexcept { return kChecks; }

const CheckInfo* find_check(std::string_view id) noexcept {
  for (const auto& check : kChecks) {
    if (check.id == id) return &check;
  }
  return nullptr;
}

std::string render_text(const VoteReport& report) {
  std::string out = "表决核验 / vote-level verification: 会议 / session " +
                    (report.session_id.empty() ? std::string("—") : report.session_id) + "\n";
  if (report.cards) {
    if (report.cards->demo) {
      out +=
          "代表证 / cards: 模拟代表证，仅供演示，不是真实会议 / SIMULATED cards (demo only, not a real "
          "session); 演示发卡密钥 / demo issuer " +
          report.cards->issuer + "\n";
    } else {
      out += "代表证 / cards: 发卡单位签发 / issued by " + report.cards->issuer +
             (report.cards->issuer_given ? "（与 --card-issuer 一致 / as given with --card-issuer）\n"
                                         : "（请与发卡单位公布的公钥核对 / compare with the office's published "
                                           "key）\n");
    }
  }
  if (report.ceremony) {
    const KeyCeremonySummary& c = *report.ceremony;
    if (c.ceremony_id.empty()) {
      out +=
          "密钥仪式 / key ceremony: 无仪式记录（单机演示仪式，选举公钥无从核对）/ no transcript (a one-process "
          "demo ceremony: the election key cannot be checked)\n";
    } else {
      out += "密钥仪式 / key ceremony: " + c.ceremony_id + "，合格分发者 / qualified dealers " +
             std::to_string(c.qualified.size()) +
             (c.excluded.empty() ? "" : "，排除 / excluded " + std::to_string(c.excluded.size())) +
             (c.absent.empty() ? "" : "，未参加 / absent " + std::to_string(c.absent.size())) +
             "；公钥指纹 / key fingerprint " + c.fingerprint + "\n";
    }
  }
  for (const auto& vote : report.votes) {
    out += "表决 / vote " + vote.vote_id + " " + vote.title + " (" + vote.kind + ")\n";
    for (const auto& r : vote.rounds) {
      out +=
          "  第" + std::to_string(r.number) + "轮 / round " + std::to_string(r.number) + " [" + r.state + "]";
      out += "  应到 " + std::to_string(r.in_office) + "  实到 " + std::to_string(r.present) + "  发出 " +
             std::to_string(r.issued) + "  收回 " + std::to_string(r.returned) + "  有效 " +
             std::to_string(r.valid) + "  无效 " + std::to_string(r.invalid) + "  未按 " +
             std::to_string(r.no_ballot) + "\n";
      out += "    选票已核验 / ballots verified " + std::to_string(r.ballots_verified) +
             "  拒收记录 / rejections logged " + std::to_string(r.rejected) + "  批准 / approvals " +
             std::to_string(r.approvals) + "\n";
      if (r.challenged > 0) {
        out +=
            "    核验选票（不计票）/ challenged ballots, not counted: " + std::to_string(r.challenged) + "\n";
      }
      out += "    解密份额 / shares: " + join(r.shares) + "  合成 / combined: " + join(r.decrypted_by) + "\n";
      if (!r.totals.empty()) out += "    重算票数 / recounted totals: " + totals_text(r.totals) + "\n";
      out += "    签署 / certified by: " + join(r.certified_by) +
             (r.certified ? "  (已确认 / certified)" : "") + "\n";
    }
  }
  out += "核验数量 / verified: 签到 / sign-ins " + std::to_string(report.sign_ins) +
         ", 选票定义 / definitions " + std::to_string(report.definitions) + ", 批准 / approvals " +
         std::to_string(report.approvals) + ", 选票 / ballots " + std::to_string(report.ballots) +
         ", 份额 / shares " + std::to_string(report.shares) + ", 结果 / results " +
         std::to_string(report.results) + ", 签署 / certifications " + std::to_string(report.certifications) +
         "\n";
  if (report.refusal_summaries > 0) {
    out += "汇总的拒收 / refused casts logged in summaries: " + std::to_string(report.refusals_summarised) +
           "（" + std::to_string(report.refusal_summaries) + " 条汇总 / summary entries）\n";
  }
  if (report.records) {
    out += "决议文件 / records in " + report.records->directory + ": " +
           std::to_string(report.records->matched.size()) +
           " 个文件逐字节一致 / files identical byte for byte\n";
  }
  if (report.ok()) return printable(out + "表决核验结果 / vote-level result: 通过 / PASSED\n");
  const VoteFailure& f = *report.failure;
  const CheckInfo* info = find_check(f.check);
  out += "表决核验结果 / vote-level result: 未通过 / FAILED\n";
  out += "首个失败检查 / first failing check: " + f.check + " (§" + f.number + " " +
         (info ? std::string(info->name_zh) + " / " + std::string(info->name_en) : std::string()) + ")\n";
  out += "位置 / location:";
  if (f.entry) out += " 条目 / entry " + std::to_string(*f.entry);
  if (!f.vote_id.empty()) out += " 表决 / vote " + f.vote_id;
  if (f.round) out += " 第" + std::to_string(*f.round) + "轮 / round " + std::to_string(*f.round);
  out += "    字段 / field: " + f.field + "\n";
  out += "原因 / reason: " + f.error.message() + "\n";
  return printable(std::move(out));
}

nlohmann::json to_json(const VoteReport& report) {
  nlohmann::json votes = nlohmann::json::array();
  for (const auto& vote : report.votes) {
    nlohmann::json rounds = nlohmann::json::array();
    for (const auto& r : vote.rounds) rounds.push_back(round_json(r));
    votes.push_back(
        {{"vote_id", vote.vote_id}, {"title", vote.title}, {"kind", vote.kind}, {"rounds", rounds}});
  }
  nlohmann::json j{{"ok", report.ok()},
                   {"session_id", report.session_id},
                   {"entries", report.entries},
                   {"sign_ins", report.sign_ins},
                   {"definitions", report.definitions},
                   {"approvals", report.approvals},
                   {"ballots", report.ballots},
                   {"shares", report.shares},
                   {"results", report.results},
                   {"certifications", report.certifications},
                   {"refusal_summaries", report.refusal_summaries},
                   {"refusals_summarised", report.refusals_summarised},
                   {"challenged", report.challenged},
                   {"votes", votes}};
  if (report.cards) {
    j["cards"] = {{"issuer", report.cards->issuer},
                  {"demo", report.cards->demo},
                  {"issuer_given", report.cards->issuer_given}};
  }
  if (report.ceremony) {
    j["key_ceremony"] = {{"ceremony_id", report.ceremony->ceremony_id},
                         {"absent", report.ceremony->absent},
                         {"qualified", report.ceremony->qualified},
                         {"excluded", report.ceremony->excluded},
                         {"fingerprint", report.ceremony->fingerprint}};
  }
  if (report.records)
    j["records"] = {{"directory", report.records->directory}, {"matched", report.records->matched}};
  if (!report.ok()) {
    const VoteFailure& f = *report.failure;
    j["failure"] = {{"check", f.check},
                    {"number", f.number},
                    {"entry", f.entry ? nlohmann::json(*f.entry) : nlohmann::json(nullptr)},
                    {"vote_id", f.vote_id},
                    {"round", f.round ? nlohmann::json(*f.round) : nlohmann::json(nullptr)},
                    {"field", f.field},
                    {"code", f.error.code.value()},
                    {"category", f.error.code.category().name()},
                    {"message", f.error.message()}};
  }
  return j;
}

}  // namespace hallvote::vote_audit
