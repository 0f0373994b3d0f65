#include "hallvote/auditor/log_report.h"

#include <map>
#include <nlohmann/json.hpp>

#include "hallvote/crypto/bytes.h"

namespace hallvote::audit {
namespace {

// Chinese / English names of the check ids (docs/audit-log.md §10).
std::string describe(const std::string& check) {
  static const std::map<std::string, std::string> kNames{
      {"bundle.format", "导出包格式 / bundle format"},
      {"bundle.keys", "公钥与可信公钥不符 / keys differ from the trusted keys"},
      {"entry.encoding", "条目编码 / entry encoding"},
      {"entry.payload", "条目内容格式 / entry payload schema"},
      {"entry.signature", "条目签名 / entry signature"},
      {"entry.chain", "哈希链 / hash chain"},
      {"entry.actor", "签名者登记 / actor enrolment"},
      {"checkpoint.format", "检查点格式 / checkpoint format"},
      {"checkpoint.signature", "检查点签名 / checkpoint signature"},
      {"checkpoint.order", "检查点顺序 / checkpoint order"},
      {"checkpoint.size", "检查点大小 / checkpoint size"},
      {"checkpoint.root", "默克尔根 / Merkle root"},
      {"checkpoint.consistency", "检查点一致性 / checkpoint consistency"},
      {"checkpoint.coverage", "检查点覆盖全部条目 / checkpoint covers every entry"},
      {"checkpoint.cosignatures", "联署签名 / cosignatures"},
      {"receipt.format", "回执格式 / receipt format"},
      {"receipt.proof", "回执证明 / receipt proof"},
      {"receipt.entry", "回执条目与日志不符 / receipt entry differs from the log"},
      {"entry.leaf_hash", "数据库存储的叶哈希 / leaf hash stored in the database"},
  };
  const auto it = kNames.find(check);
  return it == kNames.end() ? check : it->second;
}

}  // namespace

std::string render_text(const Report& report, const std::string& input_name) {
  std::string out = "hallvote-audit 核验报告 / verification report: " + input_name + "\n";
  if (report.ok()) {
    if (report.keys_trusted) {
      out += "结果 / result: 通过 / PASSED（公钥与 --trust 给出的可信公钥一致 / keys match the trusted keys)\n";
    } else {
      out +=
          "警告 / WARNING: 未给出 "
          "--trust，只核验了审计包的内部一致性；任何人都能做出内部一致的审计包。请用会前独立取得的"
          "公钥（--trust）核验 / no --trust given: only the bundle's internal consistency was checked, and "
          "anyone "
          "can make a consistent bundle; verify with the keys obtained independently before the session "
          "(--trust)\n";
      out +=
          "结果 / result: 通过 / PASSED — 仅内部一致 / internally consistent only; 未与可信公钥或检查点比对 / "
          "not "
          "checked against a trusted log key or checkpoint\n";
    }
    out += "条目 / entries: " + std::to_string(report.entries) +
           "    检查点 / checkpoints: " + std::to_string(report.checkpoints) +
           "    树大小 / tree size: " + std::to_string(report.tree_size) + "\n";
    out += "根哈希 / root (hex): " + crypto::to_hex(report.root) + "\n";
    out += "联署 / cosigned by:";
    for (const auto& c : report.cosigners) out += " " + c;
    return out + (report.cosigners.empty() ? " —\n" : "\n");
  }
  const Failure& f = *report.failure;
  out += "结果 / result: 未通过 / FAILED\n";
  out += "首个失败检查 / first failing check: " + f.check + " (" + describe(f.check) + ")\n";
  out += "位置 / location:";
  if (f.entry) out += " 条目 / entry " + std::to_string(*f.entry);
  if (f.checkpoint) out += " 检查点 / checkpoint " + std::to_string(*f.checkpoint);
  if (f.line) out += " 行 / line " + std::to_string(*f.line);
  out += "    字段 / field: " + f.field + "\n";
  out += "原因 / reason: " + f.error.message() + "\n";
  out += "已通过条目 / entries checked before the failure: " + std::to_string(report.entries) + "\n";
  return out;
}

std::string render_json(const Report& report, const std::string& input_name) {
  nlohmann::json j{{"input", input_name},           {"ok", report.ok()},
                   {"entries", report.entries},     {"checkpoints", report.checkpoints},
                   {"tree_size", report.tree_size}, {"root", crypto::to_hex(report.root)},
                   {"cosigners", report.cosigners}, {"keys_trusted", report.keys_trusted}};
  if (!report.ok()) {
    const Failure& f = *report.failure;
    nlohmann::json failure{{"check", f.check},
                           {"field", f.field},
                           {"code", f.error.code.value()},
                           {"category", f.error.code.category().name()},
                           {"message", f.error.message()}};
    failure["entry"] = f.entry ? nlohmann::json(*f.entry) : nlohmann::json(nullptr);
    failure["checkpoint"] = f.checkpoint ? nlohmann::json(*f.checkpoint) : nlohmann::json(nullptr);
    failure["line"] = f.line ? nlohmann::json(*f.line) : nlohmann::json(nullptr);
    j["failure"] = failure;
  }
  return j.dump(2) + "\n";
}

}  // namespace hallvote::audit
