// hallvote-audit: export a session's audit log as a bundle, verify a bundle or database, check a receipt.
// Exit codes (docs/audit-log.md §11): 0 verified, 1 verification failed, 2 usage error, 3 input unreadable,
// 4 internal error. Every error message is in Chinese and English and names the file and the cause.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "hallvote/audit/bundle.h"
#include "hallvote/audit/checkpoint.h"
#include "hallvote/audit/errors.h"
#include "hallvote/audit/report.h"
#include "hallvote/audit/verifier.h"

namespace {

using namespace hallvote;
using namespace hallvote::audit;

enum Exit { kVerified = 0, kFailed = 1, kUsage = 2, kUnreadable = 3, kInternal = 4 };

// An input that cannot be used, in words (Chinese / English), for exit code 3.
using Problem = std::string;
template <class T>
using Loaded = tl::expected<T, Problem>;

constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};

std::string os_reason(int err) {
  switch (err) {
    case ENOENT: return "文件或目录不存在 / no such file or directory";
    case EACCES: return "没有读取权限 / permission denied";
    case EISDIR: return "这是一个目录 / it is a directory";
    default: return "系统错误 / system error: " + std::string(std::strerror(err));
  }
}

Problem cannot_read(const std::string& path, const std::string& reason) {
  return "无法读取文件 / cannot read file " + path + ": " + reason;
}

// The whole file, or why it cannot be read (missing, a directory, no permission, an I/O error).
Loaded<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return tl::unexpected(cannot_read(path, os_reason(EISDIR)));
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected(cannot_read(path, os_reason(errno != 0 ? errno : ENOENT)));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return tl::unexpected(cannot_read(path, "读取出错 / read error"));
  return s.str();
}

// The first bytes of a file, to tell a bundle from a session database without reading all of it.
Loaded<std::string> read_head(const std::string& path, std::size_t n) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return tl::unexpected(cannot_read(path, os_reason(EISDIR)));
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected(cannot_read(path, os_reason(errno != 0 ? errno : ENOENT)));
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

// Why a session database could not be exported (AuditErrc from export_bundle_from_db).
Problem database_problem(const std::string& path, const Error& e) {
  if (e.code == AuditErrc::not_found) {
    return "会话数据库尚无已签名的检查点，没有可导出或核验的内容 / the session database " + path +
           " holds no signed checkpoint yet, so there is nothing to export or verify (" + e.detail + ")";
  }
  if (e.code == AuditErrc::malformed) {
    return "不是 hallvote 会话数据库 / not a hallvote session database: " + e.detail;
  }
  if (e.code == AuditErrc::unsupported_version) {
    return "会话数据库格式版本不受支持 / unsupported session database format in " + path + ": " + e.detail;
  }
  return "无法读取会话数据库 / cannot read session database " + path + ": " + e.message();
}

Loaded<Bundle> load_database(const std::string& path) {
  auto bundle = export_bundle_from_db(path);
  if (!bundle) return tl::unexpected(database_problem(path, bundle.error()));
  return std::move(*bundle);
}

// A bundle file as text, or a session database exported on the fly. The kind is told by the first bytes: the
// bundle header line, or SQLite's file header.
Loaded<std::string> load_bundle_text(const std::string& path) {
  auto head = read_head(path, kSqliteMagic.size());
  if (!head) return tl::unexpected(head.error());
  if (*head == kSqliteMagic) {
    auto bundle = load_database(path);
    if (!bundle) return tl::unexpected(bundle.error());
    return bundle->serialize();
  }
  // Anything that starts like a bundle is parsed as one, so a damaged bundle is reported by the verifier
  // (check bundle.format with its line) rather than refused here.
  if (std::string_view("hallvote-audit-bundle").substr(0, head->size()) == *head && !head->empty()) {
    return read_file(path);
  }
  if (head->empty()) return tl::unexpected(cannot_read(path, "文件为空 / the file is empty"));
  return tl::unexpected("无法识别的输入 / unrecognised input " + path +
                        ": 既不是审计包（首行 hallvote-audit-bundle/v1）也不是会话数据库 / neither an audit bundle "
                        "(first line hallvote-audit-bundle/v1) nor a session database (SQLite)");
}

int unreadable(const Problem& problem, const std::string& input, bool json) {
  std::cerr << "hallvote-audit: " << problem << "\n";
  if (json) {
    nlohmann::json j{{"input", input}, {"ok", false}, {"error", {{"exit_code", int{kUnreadable}}, {"message", problem}}}};
    std::cout << j.dump(2) << "\n";
  }
  return kUnreadable;
}

int print(const Report& report, const std::string& name, bool json) {
  std::cout << (json ? render_json(report, name) : render_text(report, name));
  return report.ok() ? kVerified : kFailed;
}

int run_verify(const std::string& input, bool json, bool progress, const std::vector<std::string>& trusted) {
  auto text = load_bundle_text(input);
  if (!text) return unreadable(text.error(), input, json);
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
  if (!receipt_text) return unreadable(receipt_text.error(), receipt_path, json);
  auto text = load_bundle_text(input);
  if (!text) return unreadable(text.error(), input, json);
  Report report = verify_bundle_text(*text);
  if (!report.ok()) return print(report, input, json);
  const Bundle bundle = *parse_bundle(*text);
  std::optional<std::uint64_t> index;
  auto receipt_failure = [&](std::string check, Error e) {
    report.failure = Failure{std::move(check), index, std::nullopt, std::nullopt, "receipt", std::move(e)};
    return print(report, receipt_path, json);
  };
  auto receipt = Receipt::parse(*receipt_text);
  if (!receipt) return receipt_failure("receipt.format", receipt.error());
  index = receipt->index;
  auto verified = verify_receipt(*receipt, bundle.log_key, bundle.cosigners);
  if (!verified) return receipt_failure("receipt.proof", verified.error());
  if (receipt->index >= bundle.entries.size()) {
    return receipt_failure("receipt.entry", Error{make_error_code(AuditErrc::chain_broken), "the log holds only " + std::to_string(bundle.entries.size()) + " entries"});
  }
  if (bundle.entries[receipt->index] != receipt->entry) {
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
  auto head = read_head(db, kSqliteMagic.size());
  if (!head) return unreadable(head.error(), db, false);
  if (*head != kSqliteMagic) {
    return unreadable("不是会话数据库 / not a session database: " + db +
                          " 不是 SQLite 文件（审计包无需再导出）/ is not an SQLite file (a bundle needs no export)",
                      db, false);
  }
  auto bundle = load_database(db);
  if (!bundle) return unreadable(bundle.error(), db, false);
  errno = 0;
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return unreadable("无法写入文件 / cannot write file " + out_path + ": " + os_reason(errno != 0 ? errno : EACCES), db, false);
  }
  out << bundle->serialize();
  out.close();
  if (!out) return unreadable("无法写入文件 / cannot write file " + out_path + ": 写入出错 / write error (disk full?)", db, false);
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
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "hallvote-audit: 用法错误 / usage error: " << e.what() << "\n"
              << "用法 / usage: hallvote-audit export <db> -o <file> | verify <bundle|db> [--json] [--progress] "
                 "[--trust <vkey>]... | receipt <receipt> <bundle|db> [--json]\n"
              << "详见 / see: hallvote-audit --help\n";
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
