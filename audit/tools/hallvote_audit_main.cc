// hallvote-audit: export a session's audit log as a bundle, verify a bundle or database, check a receipt.
// Exit codes (docs/audit-log.md §11): 0 verified, 1 verification failed, 2 usage error, 3 input unreadable,
// 4 internal error.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "hallvote/audit/bundle.h"
#include "hallvote/audit/checkpoint.h"
#include "hallvote/audit/errors.h"
#include "hallvote/audit/report.h"
#include "hallvote/audit/verifier.h"

namespace {

using namespace hallvote;
using namespace hallvote::audit;

enum Exit { kVerified = 0, kFailed = 1, kUsage = 2, kUnreadable = 3, kInternal = 4 };

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A bundle file as text, or a session database exported on the fly.
Result<std::string> load_bundle_text(const std::string& path) {
  auto text = read_file(path);
  if (!text) return fail(AuditErrc::not_found, "cannot read " + path);
  if (text->rfind(std::string(kBundleHeader) + "\n", 0) == 0) return *text;
  auto bundle = export_bundle_from_db(path);
  if (!bundle) return forward(bundle.error());
  return bundle->serialize();
}

int unreadable(const Error& e) {
  std::cerr << "hallvote-audit: 无法读取输入 / cannot read input: " << e.message() << "\n";
  return kUnreadable;
}

int print(const Report& report, const std::string& name, bool json) {
  std::cout << (json ? render_json(report, name) : render_text(report, name));
  return report.ok() ? kVerified : kFailed;
}

int run_verify(const std::string& input, bool json, bool progress, const std::vector<std::string>& trusted) {
  auto text = load_bundle_text(input);
  if (!text) return unreadable(text.error());
  VerifyOptions options;
  options.trusted_vkeys = trusted;
  if (progress) {
    options.progress = [](std::uint64_t done, std::uint64_t total) {
      std::fprintf(stderr, "\r核验条目 / verifying entries %llu/%llu", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
      if (done == total) std::fputc('\n', stderr);
    };
  }
  return print(verify_bundle_text(*text, options), input, json);
}

int run_receipt(const std::string& receipt_path, const std::string& input, bool json) {
  auto receipt_text = read_file(receipt_path);
  if (!receipt_text) return unreadable(Error{make_error_code(AuditErrc::not_found), "cannot read " + receipt_path});
  auto text = load_bundle_text(input);
  if (!text) return unreadable(text.error());
  Report report = verify_bundle_text(*text);
  if (!report.ok()) return print(report, input, json);
  const Bundle bundle = *parse_bundle(*text);
  auto receipt_failure = [&](std::string check, Error e) {
    report.failure = Failure{std::move(check), std::nullopt, std::nullopt, std::nullopt, "receipt", std::move(e)};
    return print(report, receipt_path, json);
  };
  auto receipt = Receipt::parse(*receipt_text);
  if (!receipt) return receipt_failure("receipt.format", receipt.error());
  auto verified = verify_receipt(*receipt, bundle.log_key, bundle.cosigners);
  if (!verified) return receipt_failure("receipt.proof", verified.error());
  if (receipt->index >= bundle.entries.size() || bundle.entries[receipt->index] != receipt->entry) {
    return receipt_failure("receipt.entry", Error{make_error_code(AuditErrc::chain_broken), "entry " + std::to_string(receipt->index) + " in the log differs from the receipt's"});
  }
  // The receipt's checkpoint must be one the log's history agrees with.
  MerkleTree tree;
  for (std::uint64_t i = 0; i < verified->checkpoint.size && i < bundle.entries.size(); ++i) tree.append(leaf_hash(bundle.entries[i]));
  auto root = tree.root(verified->checkpoint.size);
  if (!root || *root != verified->checkpoint.root) {
    return receipt_failure("receipt.proof", Error{make_error_code(AuditErrc::inconsistent_checkpoint), "the receipt's checkpoint is not on the log's history"});
  }
  return print(report, receipt_path, json);
}

int run_export(const std::string& db, const std::string& out_path) {
  auto bundle = export_bundle_from_db(db);
  if (!bundle) return unreadable(bundle.error());
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  out << bundle->serialize();
  out.close();
  if (!out) return unreadable(Error{make_error_code(AuditErrc::storage_failed), "cannot write " + out_path});
  std::cerr << "已导出 / exported " << bundle->entries.size() << " 条目 / entries, " << bundle->checkpoints.size()
            << " 检查点 / checkpoints → " << out_path << "\n";
  return kVerified;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hallvote-audit — 审计日志导出与核验 / audit log export and verification"};
  app.require_subcommand(1);
  bool json = false;
  bool progress = false;
  std::string input, output, receipt_path;
  std::vector<std::string> trusted;

  auto* exp = app.add_subcommand("export", "导出自包含的审计包 / write a self-contained bundle from a session database");
  exp->add_option("db", input, "会话数据库 / session database")->required();
  exp->add_option("-o,--out", output, "输出文件 / output bundle file")->required();

  auto* ver = app.add_subcommand("verify", "核验审计包或数据库 / verify a bundle or a session database");
  ver->add_option("input", input, "审计包或数据库 / bundle or database")->required();
  ver->add_flag("--json", json, "JSON 输出 / machine-readable output");
  ver->add_flag("--progress", progress, "显示进度 / show progress on stderr (default when stderr is a terminal)");
  ver->add_option("--trust", trusted, "可信公钥 vkey（日志与全部联署人）/ trusted vkeys: the log's and every cosigner's");

  auto* rec = app.add_subcommand("receipt", "核验回执 / check a receipt (tlog-proof) against a bundle or database");
  rec->add_option("receipt", receipt_path, "回执文件 / receipt file")->required();
  rec->add_option("input", input, "审计包或数据库 / bundle or database")->required();
  rec->add_flag("--json", json, "JSON 输出 / machine-readable output");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsage;
  }
  try {
    if (*exp) return run_export(input, output);
    if (*ver) return run_verify(input, json, progress || isatty(STDERR_FILENO) != 0, trusted);
    return run_receipt(receipt_path, input, json);
  } catch (const std::exception& e) {
    std::cerr << "hallvote-audit: 内部错误 / internal error: " << e.what() << "\n";
    return kInternal;
  }
}
