// Rendering a ReceiptReport (receipt_check.h) for people and as JSON (docs/audit-log.md §11).
#include <nlohmann/json.hpp>

#include "hallvote/auditor/receipt_check.h"

namespace hallvote::audit {
namespace {

std::string describe(const std::string& check) {
  if (check == "receipt.format") return "回执格式 / receipt format";
  if (check == "receipt.proof") return "回执证明 / receipt proof";
  if (check == "receipt.entry") return "回执条目与日志不符 / receipt entry differs from the log";
  if (check == "receipt.consistency")
    return "日志与回执检查点一致 / log consistent with the receipt's checkpoint";
  return check;
}

std::string names(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& name : list) out += " " + name;
  return out;
}

}  // namespace

std::string render_text(const ReceiptReport& report, const std::string& receipt_name,
                        const std::string& input_name) {
  std::string out = "hallvote-audit 回执核验 / receipt check: " + receipt_name + " ↔ " + input_name + "\n";
  if (!report.ok()) {
    const Failure& f = *report.failure;
    out += "结果 / result: 未通过 / FAILED\n";
    out += "首个失败检查 / first failing check: " + f.check + " (" + describe(f.check) + ")\n";
    if (f.entry) out += "位置 / location: 条目 / entry " + std::to_string(*f.entry) + "\n";
    out += "原因 / reason: " + f.error.message() + "\n";
    return out;
  }
  out += "结果 / result: 通过 / PASSED — 该条目已记入日志 / the entry is in the log\n";
  if (!report.deputy_id.empty()) out += "代表 / deputy: " + report.deputy_id + "\n";
  if (!report.vote_id.empty()) {
    out += "表决 / vote: " + report.vote_id + "    轮次 / round: " + std::to_string(report.round.value_or(0)) +
           "\n";
  }
  out += "条目 / entry: " + std::to_string(report.index.value_or(0)) +
         (report.entry_type.empty() ? "" : " (" + report.entry_type + ")") + "\n";
  if (!report.confirmation_code.empty())
    out += "确认码 / confirmation code: " + report.confirmation_code + "\n";
  out += "检查点 / checkpoint: 大小 / size " + std::to_string(report.checkpoint_size) +
         "，服务器签名有效 / signed by the server; 日志最新检查点 / the log's latest: 大小 / size " +
         std::to_string(report.latest_size) + "，与之一致 / consistent with it\n";
  const std::string k_of_n = std::to_string(report.cosigned_by.size()) + "/" + std::to_string(report.cosigners);
  if (report.cosigners == 0) {
    out += "联署 / cosigned: 日志未列联署人 / the log lists no cosigners\n";
  } else if (report.fully_cosigned()) {
    out += "联署 / cosigned: " + k_of_n + "（检查点 / checkpoint " + std::to_string(report.cosigned_size) +
           "）:" + names(report.cosigned_by) + "\n";
  } else {
    out += "尚未联署 " + k_of_n + " / not yet cosigned (" + std::to_string(report.cosigned_by.size()) + " of " +
           std::to_string(report.cosigners) + ", checkpoint " + std::to_string(report.cosigned_size) + ")" +
           (report.cosigned_by.empty() ? "" : ":" + names(report.cosigned_by)) +
           " — 回执有效；待成员联署后可再核对 / the receipt is valid; check again once the members have "
           "cosigned\n";
  }
  out +=
      "说明 / note: 只核验本回执及日志的哈希一致性；全部条目请用 verify 核验 / checks this receipt and the "
      "log's hashes only; run verify for every entry\n";
  return out;
}

std::string render_json(const ReceiptReport& report, const std::string& receipt_name,
                        const std::string& input_name) {
  auto optional_text = [](const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
  };
  nlohmann::json j{{"receipt", receipt_name},
                   {"input", input_name},
                   {"ok", report.ok()},
                   {"index", report.index ? nlohmann::json(*report.index) : nlohmann::json(nullptr)},
                   {"entry_type", optional_text(report.entry_type)},
                   {"deputy_id", optional_text(report.deputy_id)},
                   {"vote_id", optional_text(report.vote_id)},
                   {"round", report.round ? nlohmann::json(*report.round) : nlohmann::json(nullptr)},
                   {"terminal_id", optional_text(report.terminal_id)},
                   {"confirmation_code", optional_text(report.confirmation_code)},
                   {"checkpoint_size", report.checkpoint_size},
                   {"latest_size", report.latest_size},
                   {"cosigned", report.ok() && report.fully_cosigned()},
                   {"cosigned_size", report.cosigned_size},
                   {"cosigned_by", report.cosigned_by},
                   {"cosigners", report.cosigners}};
  if (!report.ok()) {
    const Failure& f = *report.failure;
    j["failure"] = {{"check", f.check},
                    {"entry", f.entry ? nlohmann::json(*f.entry) : nlohmann::json(nullptr)},
                    {"field", f.field},
                    {"code", f.error.code.value()},
                    {"category", f.error.code.category().name()},
                    {"message", f.error.message()}};
  }
  return j.dump(2) + "\n";
}

}  // namespace hallvote::audit
