// The built `hallvote-audit` (HALLVOTE_AUDIT_BIN) on a real session's bundle: `verify` runs the vote-level
// checks after the log-level ones (text and --json, exit 0/1, --log-only, --records), and `export-records`
// regenerates the records (docs/audit-log.md §11).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "hallvote/auditor/records_check.h"
#include "hallvote/records/regenerate.h"
#include "session_bundle.h"

namespace hallvote::vote_audit {
namespace {

using audit::EntryType;
using nlohmann::json;
using testing::find_entry;
using testing::payload_of;
using testing::resign;
using testing::session_bundle;
using testing::set_payload;

struct CliRun {
  int exit = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class VoteAuditCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hallvote-vote-audit-cli-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    write("session.hvbundle", session_bundle().bundle);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  void write(const std::string& name, const audit::Bundle& bundle) const {
    std::ofstream(dir_ / name, std::ios::binary | std::ios::trunc) << bundle.serialize();
  }

  CliRun audit(const std::vector<std::string>& args) const {
    std::string cmd = quote(HALLVOTE_AUDIT_BIN);
    for (const auto& a : args) cmd += " " + quote(a);
    cmd += " >" + quote(file("stdout")) + " 2>" + quote(file("stderr")) + " </dev/null";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(file("stdout")), slurp(file("stderr"))};
  }

  // The session with one decrypted count changed in V1's first result, re-signed by the server.
  std::string tampered() const {
    const auto bundle = resign(session_bundle(), [](std::vector<audit::Entry>& entries) {
      const std::size_t at = find_entry(entries, EntryType::result);
      json p = payload_of(entries[at]);
      p["outcome"]["totals"][0][0] = 1;
      set_payload(entries[at], p);
    });
    write("tampered.hvbundle", bundle);
    return file("tampered.hvbundle");
  }

  std::filesystem::path dir_;
};

TEST_F(VoteAuditCli, VerifyReportsEveryVoteAndPasses) {
  const CliRun r = audit({"verify", file("session.hvbundle")});
  ASSERT_EQ(r.exit, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("结果 / result: 通过 / PASSED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("表决核验结果 / vote-level result: 通过 / PASSED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("表决 / vote V1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("应到 49  实到 36  发出 36  收回 34  有效 34  无效 0  未按 2"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("签署 / certified by: C01, S01, S02, P01, P02, P03"), std::string::npos) << r.out;
}

TEST_F(VoteAuditCli, VerifyJsonKeepsTheLogFieldsAndAddsTheVotes) {
  const CliRun r = audit({"verify", "--json", file("session.hvbundle")});
  ASSERT_EQ(r.exit, 0) << r.out << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["entries"], session_bundle().bundle.entries.size());
  EXPECT_TRUE(j.contains("root"));
  EXPECT_EQ(j["cosigners"].size(), 6u);
  EXPECT_EQ(j["log_only"], false);
  ASSERT_EQ(j["votes"].size(), 2u);
  EXPECT_EQ(j["votes"][0]["rounds"].size(), 2u);
  EXPECT_EQ(j["verified"]["ballots"], 2 * testing::kV1Round1Casts + testing::kV2Casts + testing::kV2Changes);
  EXPECT_EQ(j["verified"]["certifications"], 18);
  EXPECT_EQ(j["votes"][1]["rounds"][0]["challenged"], 1);  // the session's 核验此票, verified, not counted
  EXPECT_FALSE(j.contains("failure"));
}

TEST_F(VoteAuditCli, ATamperedCountFailsNamingTheCheckAndLogOnlyPasses) {
  const std::string path = tampered();
  CliRun r = audit({"verify", "--json", path});
  ASSERT_EQ(r.exit, 1) << r.out << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["failure"]["check"], "round.decryption");
  EXPECT_EQ(j["failure"]["number"], "13.14");
  EXPECT_EQ(j["failure"]["vote_id"], "V1");
  EXPECT_EQ(j["failure"]["round"], 1);
  EXPECT_EQ(j["failure"]["field"], "payload.outcome.totals[0][0]");
  r = audit({"verify", path});
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.out.find("首个失败检查 / first failing check: round.decryption (§13.14"), std::string::npos)
      << r.out;
  r = audit({"verify", "--log-only", path});
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("--log-only"), std::string::npos) << r.out;
}

TEST_F(VoteAuditCli, ExportRecordsThenVerifyAgainstThem) {
  const std::string out = file("records");
  CliRun r = audit({"export-records", file("session.hvbundle"), "-o", out});
  ASSERT_EQ(r.exit, 0) << r.err;
  const auto expected = records::regenerate_records(session_bundle().bundle).value();
  for (const auto& f : expected) EXPECT_EQ(slurp(std::filesystem::path(out) / f.name), f.bytes) << f.name;
  r = audit({"verify", "--records", out, file("session.hvbundle")});
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("files identical byte for byte"), std::string::npos) << r.out;

  std::string bytes = expected.front().bytes;
  bytes[bytes.size() / 3] = static_cast<char>(bytes[bytes.size() / 3] ^ 0x20);
  std::ofstream(std::filesystem::path(out) / expected.front().name, std::ios::binary | std::ios::trunc)
      << bytes;
  r = audit({"verify", "--json", "--records", out, file("session.hvbundle")});
  ASSERT_EQ(r.exit, 1) << r.out;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["failure"]["check"], "records.match");
  EXPECT_EQ(j["failure"]["field"], expected.front().name);
}

TEST_F(VoteAuditCli, ExportRecordsRefusesALogThatDoesNotVerifyAndUnreadableInput) {
  auto bundle = session_bundle().bundle;
  bundle.entries[3][50] ^= 1;
  write("broken.hvbundle", bundle);
  CliRun r = audit({"export-records", file("broken.hvbundle"), "-o", file("out")});
  EXPECT_EQ(r.exit, 1) << r.out << r.err;
  EXPECT_FALSE(std::filesystem::exists(file("out")));
  r = audit({"export-records", file("missing.hvbundle"), "-o", file("out")});
  EXPECT_EQ(r.exit, 3);
  r = audit({"verify", "--records", file("no-such-dir"), file("session.hvbundle")});
  EXPECT_EQ(r.exit, 3) << r.out;
  EXPECT_NE(r.err.find("no-such-dir"), std::string::npos) << r.err;
}

// A hand-made bundle whose recorded session file has a dotted key of 30,000 parts (40,000 overflowed the TOML
// library's stack: exit 139), re-signed so that the log-level checks pass: verify and export-records refuse it
// cleanly, naming the limit (docs/session-format.md "Limits").
TEST_F(VoteAuditCli, AHostileSessionFileInTheBundleFailsCleanly) {
  std::string key = "a";
  for (int i = 1; i < 30'000; ++i) key += ".a";
  const std::vector<std::pair<std::string, std::string>> cases{
      {key + " = 1\n", "a dotted key of more than 32 parts"},
      {"[" + key + "]\n", "a dotted key of more than 32 parts"},
      {"x = " + std::string(1'000, '['), "nested more than 64 levels deep"},
      {"x = " + std::string(100'000, '['), "line longer than the limit of 65536 bytes"}};
  for (const auto& [hostile, limit] : cases) {
    const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
      json p = payload_of(entries[0]);
      p["session"]["files"][p["session"]["session_file"].get<std::string>()] = hostile;
      set_payload(entries[0], p);
    });
    write("hostile.hvbundle", bundle);
    CliRun r = audit({"verify", "--json", file("hostile.hvbundle")});
    ASSERT_EQ(r.exit, 1) << r.out << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["failure"]["check"], "session.definition");
    EXPECT_NE(r.out.find(limit), std::string::npos) << r.out;
    r = audit({"export-records", file("hostile.hvbundle"), "-o", file("records")});
    EXPECT_EQ(r.exit, 1) << r.out << r.err;
    EXPECT_FALSE(std::filesystem::exists(file("records")));
  }
}

TEST_F(VoteAuditCli, HelpListsTheExitCodesAndTheNewCommands) {
  const CliRun r = audit({"--help"});
  EXPECT_EQ(r.exit, 0);
  EXPECT_NE(r.out.find("退出码 / exit codes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("export-records"), std::string::npos) << r.out;
  const CliRun v = audit({"verify", "--help"});
  EXPECT_NE(v.out.find("--log-only"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("--records"), std::string::npos) << v.out;
}

}  // namespace
}  // namespace hallvote::vote_audit
