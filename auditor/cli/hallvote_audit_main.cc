// hallvote-audit: export a session's audit log as a bundle, verify a bundle or database (the log, then every
// vote: docs/audit-log.md §10, docs/crypto.md §13), check a receipt, regenerate the resolution records. Exit
// codes (docs/audit-log.md §11): 0 verified, 1 verification failed, 2 usage error, 3 input unreadable, 4
// internal error. Every error message is in Chinese and English and names the file and the cause.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "hallvote/audit/log.h"
#include "hallvote/auditor/errors.h"
#include "hallvote/auditor/log_report.h"
#include "hallvote/auditor/log_verifier.h"
#include "hallvote/auditor/receipt_check.h"
#include "hallvote/auditor/records_check.h"
#include "hallvote/auditor/verifier.h"
#include "hallvote/records/regenerate.h"
#include "hallvote/records/render.h"
#include "hallvote/tlog/bundle.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/errors.h"

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
    case ENOENT:
      return "文件或目录不存在 / no such file or directory";
    case EACCES:
      return "没有读取权限 / permission denied";
    case EISDIR:
      return "这是一个目录 / it is a directory";
    default:
      return "系统错误 / system error: " + std::string(std::strerror(err));
  }
}

Problem cannot_read(const std::string& path, const std::string& reason) {
  return "无法读取文件 / cannot read file " + path + ": " + reason;
}

// Why `path` is not a file to read: a directory, or a device, FIFO or socket (/dev/zero would never end, a FIFO
// would block the open); nullopt for a regular file or a missing one (the open names that).
std::optional<Problem> not_a_regular_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status) || std::filesystem::is_regular_file(status)) return std::nullopt;
  if (std::filesystem::is_directory(status)) return cannot_read(path, os_reason(EISDIR));
  return cannot_read(path, "不是普通文件（设备、管道或套接字）/ not a regular file (a device, FIFO or socket)");
}

// The whole file, or why it cannot be read (missing, a directory, not a regular file, no permission, an I/O
// error).
Loaded<std::string> read_file(const std::string& path) {
  if (auto problem = not_a_regular_file(path)) return tl::unexpected(*problem);
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
  if (auto problem = not_a_regular_file(path)) return tl::unexpected(*problem);
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

Loaded<StoredBundle> load_database(const std::string& path) {
  auto stored = read_stored_bundle(path);
  if (!stored) return tl::unexpected(database_problem(path, stored.error()));
  return std::move(*stored);
}

// An input as bundle text; for a session database, exported on the fly, with the leaf hashes it stores.
struct Input {
  std::string text;
  std::optional<std::vector<crypto::Bytes>> stored_leaf_hashes;  // a session database's (check entry.leaf_hash)
};

// A bundle file, or a session database. The kind is told by the first bytes: the bundle header line, or
// SQLite's file header.
Loaded<Input> load_input(const std::string& path) {
  auto head = read_head(path, kSqliteMagic.size());
  if (!head) return tl::unexpected(head.error());
  if (*head == kSqliteMagic) {
    auto stored = load_database(path);
    if (!stored) return tl::unexpected(stored.error());
    return Input{stored->bundle.serialize(), std::move(stored->leaf_hashes)};
  }
  // Anything that starts like a bundle is parsed as one, so a damaged bundle is reported by the verifier
  // (check bundle.format with its line) rather than refused here.
  if (std::string_view("hallvote-audit-bundle").substr(0, head->size()) == *head && !head->empty()) {
    auto text = read_file(path);
    if (!text) return tl::unexpected(text.error());
    return Input{std::move(*text), std::nullopt};
  }
  if (head->empty()) return tl::unexpected(cannot_read(path, "文件为空 / the file is empty"));
  return tl::unexpected(
      "无法识别的输入 / unrecognised input " + path +
      ": 既不是审计包（首行 hallvote-audit-bundle/v2）也不是会话数据库 / neither an audit bundle "
      "(first line hallvote-audit-bundle/v2) nor a session database (SQLite)");
}

int unreadable(const Problem& problem, const std::string& input, bool json) {
  std::cerr << "hallvote-audit: " << problem << "\n";
  if (json) {
    nlohmann::json j{
        {"input", input}, {"ok", false}, {"error", {{"exit_code", int{kUnreadable}}, {"message", problem}}}};
    std::cout << j.dump(2) << "\n";
  }
  return kUnreadable;
}

int print(const Report& report, const std::string& name, bool json) {
  std::cout << (json ? render_json(report, name) : render_text(report, name));
  return report.ok() ? kVerified : kFailed;
}

// Check entry.leaf_hash for a session database's input (nothing for a bundle file): a failed report, or
// nullopt.
std::optional<Report> stored_leaf_hash_failure(const Input& input, const Bundle& bundle) {
  if (!input.stored_leaf_hashes) return std::nullopt;
  auto failure = check_stored_leaf_hashes(bundle, *input.stored_leaf_hashes);
  if (!failure) return std::nullopt;
  Report report;
  report.entries = *failure->entry;
  report.failure = std::move(failure);
  return report;
}

// The log-level report's JSON (docs/audit-log.md §11) extended with the vote level: "log_only", "votes" (one
// summary per vote), "verified" (counts) and "records"; a vote-level failure is "failure", with its number,
// vote and round.
std::string session_json(const vote_audit::SessionReport& report, const std::string& name, bool log_only) {
  nlohmann::json j = nlohmann::json::parse(render_json(report.log, name));
  j["ok"] = report.ok();
  j["log_only"] = log_only;
  j["votes"] = nlohmann::json::array();
  j["verified"] = nullptr;
  if (report.votes) {
    const nlohmann::json votes = vote_audit::to_json(*report.votes);
    j["votes"] = votes["votes"];
    j["session_id"] = votes["session_id"];
    j["verified"] = {{"sign_ins", votes["sign_ins"]},
                     {"definitions", votes["definitions"]},
                     {"approvals", votes["approvals"]},
                     {"ballots", votes["ballots"]},
                     {"shares", votes["shares"]},
                     {"results", votes["results"]},
                     {"certifications", votes["certifications"]}};
    if (votes.contains("records")) j["records"] = votes["records"];
    if (votes.contains("failure")) {
      nlohmann::json failure = votes["failure"];
      failure["checkpoint"] = nullptr;
      failure["line"] = nullptr;
      j["failure"] = failure;
    }
  }
  return j.dump(2) + "\n";
}

struct VerifyArgs {
  std::string input;
  bool json = false;
  bool progress = false;
  bool log_only = false;
  bool final = false;
  std::vector<std::string> trusted;
  std::string records_dir;
  std::string card_issuer;
};

int run_verify(const VerifyArgs& args) {
  auto input = load_input(args.input);
  if (!input) return unreadable(input.error(), args.input, args.json);
  const std::string* text = &input->text;
  if (!args.records_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(args.records_dir, ec)) {
      return unreadable(cannot_read(args.records_dir, "不是目录或不存在 / not a directory, or missing"),
                        args.records_dir, args.json);
    }
  }
  std::optional<crypto::VerifyKey> card_issuer;
  if (!args.card_issuer.empty()) {
    auto key = crypto::VerifyKey::from_hex(args.card_issuer);
    if (!key) {
      std::cerr
          << "--card-issuer 应为64位十六进制公钥 / --card-issuer: expected a public key in 64 hex digits\n";
      return kUsage;
    }
    card_issuer = *key;
  }
  auto bundle = parse_bundle(*text);
  if (!bundle) return print(verify_bundle_text(*text), args.input, args.json);  // bundle.format, with its line
  if (auto failed = stored_leaf_hash_failure(*input, *bundle)) return print(*failed, args.input, args.json);
  vote_audit::SessionVerifyOptions options;
  options.log.trusted_vkeys = args.trusted;
  options.log_only = args.log_only;
  options.votes.final = args.final;
  options.votes.card_issuer = card_issuer;
  if (!args.records_dir.empty()) options.votes.records_dir = args.records_dir;
  if (args.progress) {
    options.log.progress = [](std::uint64_t done, std::uint64_t total) {
      std::fprintf(stderr, "\r核验条目 / verifying entries %llu/%llu", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
      if (done == total) std::fputc('\n', stderr);
    };
    options.votes.progress = [](std::string_view stage, std::uint64_t done, std::uint64_t total) {
      const char* zh = stage == "ballots" ? "核验选票" : "核验签到";
      std::fprintf(stderr, "\r%s / verifying %.*s %llu/%llu", zh, static_cast<int>(stage.size()), stage.data(),
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
      if (done == total) std::fputc('\n', stderr);
    };
  }
  const vote_audit::SessionReport report = vote_audit::verify_session(*bundle, options);
  if (args.json) {
    std::cout << session_json(report, args.input, args.log_only);
  } else {
    std::cout << render_text(report.log, args.input);
    if (report.votes) {
      std::cout << vote_audit::render_text(*report.votes);
    } else if (args.log_only) {
      std::cout << "表决层核验已跳过 / vote-level checks skipped (--log-only)\n";
    } else {
      std::cout << "日志层未通过，未进行表决层核验 / the log did not verify: vote-level checks not run\n";
    }
  }
  return report.ok() ? kVerified : kFailed;
}

// Regenerates the resolution records from a bundle or database into `dir`: exit 0; 1 when the bundle does not
// verify (log and vote level: official records are never made from counts or certifications that do not check)
// or yields no records; 3 when the input is unreadable or the directory cannot be written; 4 when the records
// cannot be typeset (fonts, Cairo).
int run_export_records(const std::string& input, const std::string& dir) {
  auto loaded = load_input(input);
  if (!loaded) return unreadable(loaded.error(), input, false);
  Report report = verify_bundle_text(loaded->text);
  if (!report.ok()) return print(report, input, false);
  const Bundle bundle = *parse_bundle(loaded->text);
  if (auto failed = stored_leaf_hash_failure(*loaded, bundle)) return print(*failed, input, false);
  const vote_audit::VoteReport votes = vote_audit::verify_votes(bundle);
  if (!votes.ok()) {
    std::cout << vote_audit::render_text(votes);
    std::cerr << "hallvote-audit: 表决层核验未通过，不生成决议文件 / the vote-level checks failed: no records "
                 "written\n";
    return kFailed;
  }
  auto files = records::regenerate_records(bundle);
  if (!files) {
    const auto& e = files.error();
    const bool typesetting =
        e.code == records::RecordsErrc::font_unavailable || e.code == records::RecordsErrc::render_failed;
    std::cerr << "hallvote-audit: 无法从日志生成决议文件 / cannot regenerate the records from " << input << ": "
              << e.message() << "\n";
    return typesetting ? kInternal : kFailed;
  }
  if (auto written = records::write_records(*files, dir); !written) {
    return unreadable(
        "无法写入决议文件 / cannot write the records to " + dir + ": " + written.error().message(), input,
        false);
  }
  std::cerr << "已生成 / wrote " << files->size() << " 个决议文件 / record files → " << dir << ":";
  for (const auto& file : *files) std::cerr << " " << file.name;
  std::cerr << "\n";
  return kVerified;
}

// Checks a receipt in O(log n) signature and proof work (auditor/receipt_check.h): exit 0 when the entry is in
// the log, cosigned or not yet (the output says which); 1 when a check fails.
int run_receipt(const std::string& receipt_path, const std::string& input_path, bool json) {
  auto receipt_text = read_file(receipt_path);
  if (!receipt_text) return unreadable(receipt_text.error(), receipt_path, json);
  auto input = load_input(input_path);
  if (!input) return unreadable(input.error(), input_path, json);
  auto bundle = parse_bundle(input->text);
  if (!bundle) return print(verify_bundle_text(input->text), input_path, json);  // bundle.format
  if (auto failed = stored_leaf_hash_failure(*input, *bundle)) return print(*failed, input_path, json);
  const ReceiptReport report = check_receipt(*receipt_text, *bundle);
  std::cout << (json ? render_json(report, receipt_path, input_path)
                     : render_text(report, receipt_path, input_path));
  return report.ok() ? kVerified : kFailed;
}

int run_export(const std::string& db, const std::string& out_path) {
  auto head = read_head(db, kSqliteMagic.size());
  if (!head) return unreadable(head.error(), db, false);
  if (*head != kSqliteMagic) {
    return unreadable(
        "不是会话数据库 / not a session database: " + db +
            " 不是 SQLite 文件（审计包无需再导出）/ is not an SQLite file (a bundle needs no export)",
        db, false);
  }
  auto stored = load_database(db);
  if (!stored) return unreadable(stored.error(), db, false);
  // A database whose stored leaf hashes differ from its entries was altered outside the log: the server refuses
  // to open it, and a bundle (which carries no leaf hashes) would hide that.
  if (auto failure = check_stored_leaf_hashes(stored->bundle, stored->leaf_hashes)) {
    Report report;
    report.entries = *failure->entry;
    report.failure = std::move(failure);
    std::cerr << "hallvote-audit: 数据库已被改动，不导出 / the database was altered, nothing exported: " << db
              << "\n";
    return print(report, db, false);
  }
  const Bundle* bundle = &stored->bundle;
  errno = 0;
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return unreadable(
        "无法写入文件 / cannot write file " + out_path + ": " + os_reason(errno != 0 ? errno : EACCES), db,
        false);
  }
  out << bundle->serialize();
  out.close();
  if (!out)
    return unreadable("无法写入文件 / cannot write file " + out_path + ": 写入出错 / write error (disk full?)",
                      db, false);
  std::cerr << "已导出 / exported " << bundle->entries.size() << " 条目 / entries, "
            << bundle->checkpoints.size() << " 检查点 / checkpoints → " << out_path << "\n";
  return kVerified;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hallvote-audit — 审计日志导出与核验 / audit log export and verification"};
  app.require_subcommand(1);
  app.footer(
      "退出码 / exit codes: 0 核验通过 / verified (export: written); 1 核验未通过 / verification failed (the "
      "report names "
      "the check); 2 用法错误 / usage error; 3 输入无法读取 / input unreadable (missing file, not a bundle or "
      "session "
      "database, no checkpoint yet, an output that cannot be written); 4 内部错误 / internal error.\n"
      "详见 / see docs/audit-log.md §10–§11 (log checks, this program) and docs/crypto.md §13 (vote checks).");
  bool json = false;
  std::string input, output, receipt_path;
  VerifyArgs verify;

  auto* exp = app.add_subcommand("export",
                                 "导出自包含的审计包 / write a self-contained bundle from a session database");
  exp->add_option("db", input, "会话数据库 / session database")->required();
  exp->add_option("-o,--out", output, "输出文件 / output bundle file")->required();

  auto* ver = app.add_subcommand("verify",
                                 "核验审计包或数据库：日志与每一次表决 / verify a bundle or a session "
                                 "database: the log, then every vote");
  ver->add_option("input", verify.input, "审计包或数据库 / bundle or database")->required();
  ver->add_flag("--json", verify.json, "JSON 输出 / machine-readable output");
  ver->add_flag("--progress", verify.progress,
                "显示进度 / show progress on stderr (default when stderr is a terminal)");
  ver->add_option("--trust", verify.trusted,
                  "可信公钥 vkey（日志与全部联署人）/ trusted vkeys: the log's and every cosigner's");
  ver->add_option(
      "--records", verify.records_dir,
      "决议文件目录，与从日志重新生成的逐字节比较 / directory of records to compare byte for byte with those "
      "regenerated from the log");
  ver->add_option("--card-issuer", verify.card_issuer,
                  "发卡单位公布的公钥：首条目的代表证清单须由它签发 / the card-issuing office's published key: "
                  "entry 0's card list must be signed by it");
  ver->add_flag("--log-only", verify.log_only,
                "只核验日志层 / only the log-level checks (docs/audit-log.md §10)");
  ver->add_flag(
      "--final", verify.final,
      "会议已结束：每项表决都须已决定并签署 / a finished session: every vote must be decided and certified "
      "(check session.final)");

  auto* rec =
      app.add_subcommand("receipt", "核验回执 / check a receipt (tlog-proof) against a bundle or database");
  rec->add_option("receipt", receipt_path, "回执文件 / receipt file")->required();
  rec->add_option("input", input, "审计包或数据库 / bundle or database")->required();
  rec->add_flag("--json", json, "JSON 输出 / machine-readable output");

  auto* records = app.add_subcommand("export-records",
                                     "从日志重新生成决议文件 / regenerate the resolution records "
                                     "from a bundle or database (after the log-level and vote-level checks)");
  records->add_option("input", input, "审计包或数据库 / bundle or database")->required();
  records->add_option("-o,--out", output, "输出目录 / output directory")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr
        << "hallvote-audit: 用法错误 / usage error: " << e.what() << "\n"
        << "用法 / usage: hallvote-audit export <db> -o <file> | verify <bundle|db> [--json] [--progress] "
           "[--trust <vkey>]... [--records <dir>] [--log-only] [--final] | receipt <receipt> <bundle|db> "
           "[--json] | "
           "export-records <bundle|db> -o <dir>\n"
        << "详见 / see: hallvote-audit --help\n";
    return kUsage;
  }
  try {
    if (*exp) return run_export(input, output);
    if (*ver) {
      verify.progress = verify.progress || isatty(STDERR_FILENO) != 0;
      return run_verify(verify);
    }
    if (*records) return run_export_records(input, output);
    return run_receipt(receipt_path, input, json);
  } catch (const std::exception& e) {
    std::cerr << "hallvote-audit: 内部错误 / internal error: " << e.what() << "\n";
    return kInternal;
  }
}
