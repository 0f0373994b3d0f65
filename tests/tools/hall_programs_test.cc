// The hall programs end to end on 127.0.0.1: set-up (cards, key ceremony, init, enrol), the server running in
// the background, sign-in by 20 simulated deputies, a 4选3 vote approved by the presidium quorum, a restart of
// the server that must rebuild the same state from its log, then decryption by the quorum and the certification
// of the tally report (scrutineers first, then the presidium), surviving another restart; the receipts the
// terminals saved check against the exported log, and the records the server wrote verify against it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "process.h"

namespace hallvote::tools_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::seconds;

class HallPrograms : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hallvote-tools-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ::setenv("HALLVOTE_PASSPHRASE", "tools-test-passphrase", 1);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string hall() const { return path("hall"); }

  Finished tool(const char* program, std::vector<std::string> args, const fs::path& input = {}) {
    args.insert(args.begin(), program);
    return run(args, dir_ / ("step-" + std::to_string(++steps_) + ".log"), seconds(60), input);
  }
  // A member command of hallvote-presidium: the member's key passphrase (the demo ceremony's prefix + id) from
  // a file only the owner may read, and --yes unless the test types the answer on stdin (`input`).
  Finished presidium(std::vector<std::string> args, const std::string& as, const fs::path& input = {}) {
    const fs::path file = dir_ / ("passphrase-" + as);
    if (!fs::exists(file)) {
      std::ofstream(file) << "hallvote-demo-" << as << "\n";
      fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    }
    args.insert(args.end(), {"--passphrase-file", file.string()});
    if (input.empty()) args.push_back("--yes");
    return tool(HALLVOTE_PRESIDIUM_BIN, std::move(args), input);
  }
  // A file holding `text`, for a program's stdin.
  fs::path typed(const std::string& text) {
    const fs::path file = dir_ / ("typed-" + std::to_string(++steps_));
    std::ofstream(file) << text;
    return file;
  }
  Finished server(std::vector<std::string> args) { return tool(HALLVOTE_SERVER_BIN, std::move(args)); }
  Finished ctl(const std::string& command, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"ctl", "--dir", hall(), "--as", "chair", command};
    args.insert(args.end(), extra.begin(), extra.end());
    return server(std::move(args));
  }
  json ctl_json(const std::string& command, std::vector<std::string> extra = {}) {
    extra.push_back("--json");
    const auto done = ctl(command, std::move(extra));
    EXPECT_EQ(done.exit_code, 0) << done.output;
    return json::parse(done.output, nullptr, false);
  }
  // The server in the background, or nullptr (with a test failure) when it did not report its port.
  std::unique_ptr<Background> start_server() {
    auto process =
        std::make_unique<Background>(std::vector<std::string>{HALLVOTE_SERVER_BIN, "run", "--dir", hall(),
                                                              "--port", "0", "--status-every", "2"},
                                     dir_ / ("server-" + std::to_string(++steps_) + ".log"));
    const auto port = process->wait_for("LISTENING ", seconds(20));
    if (!port) {
      ADD_FAILURE() << "the server did not start: " << process->output();
      return nullptr;
    }
    return process;
  }

  fs::path dir_;
  int steps_ = 0;
};

#define EXPECT_OK(finished)                        \
  do {                                             \
    const auto done_ = (finished);                 \
    ASSERT_EQ(done_.exit_code, 0) << done_.output; \
  } while (false)

TEST_F(HallPrograms, RunsAVoteFromTheShellAndSurvivesARestart) {
  const std::string session = std::string(HALLVOTE_TOOLS_DATA) + "/tools-hall.toml";
  EXPECT_OK(server({"cards", "--session", session, "--seed", "tools-seed", "--out", path("cards.json")}));
  // Issue 14: the key ceremony as three member processes, each with only its own keys, over a ceremony folder.
  EXPECT_OK(tool(HALLVOTE_PRESIDIUM_BIN, {"ceremony-call", "--session", session, "--board", path("ceremony")}));
  {
    std::vector<std::unique_ptr<Background>> members;
    for (const char* member : {"P01", "C01", "S01"}) {
      const fs::path file = dir_ / (std::string("passphrase-") + member);
      std::ofstream(file) << "hallvote-demo-" << member << "\n";
      fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
      members.push_back(std::make_unique<Background>(
          std::vector<std::string>{HALLVOTE_PRESIDIUM_BIN, "ceremony-member", "--session", session, "--board",
                                   path("ceremony"), "--as", member, "--keys", path("keys"),
                                   "--passphrase-file", file.string(), "--yes", "--deadline", "60",
                                   "--insecure-fast-kdf"},
          dir_ / (std::string("ceremony-") + member + ".log")));
    }
    for (auto& member : members) {
      EXPECT_EQ(member->wait_exit(seconds(90)), 0) << member->output();
      EXPECT_NE(member->output().find("密钥仪式完成 / ceremony complete"), std::string::npos)
          << member->output();
    }
  }
  // A member cannot run the ceremony a second time over their share.
  const auto second_run = presidium({"ceremony-member", "--session", session, "--board", path("ceremony"),
                                     "--as", "P01", "--keys", path("keys")},
                                    "P01");
  EXPECT_EQ(second_run.exit_code, 3) << second_run.output;
  EXPECT_NE(second_run.output.find("已存在"), std::string::npos) << second_run.output;
  const auto both = server({"init", "--dir", hall(), "--session", session, "--cards", path("cards.json"),
                            "--ceremony", path("ceremony"), "--election", path("ceremony/call.json")});
  EXPECT_EQ(both.exit_code, 2) << both.output;
  EXPECT_OK(server({"init", "--dir", hall(), "--session", session, "--cards", path("cards.json"), "--ceremony",
                    path("ceremony"), "--insecure-fast-kdf"}));
  {
    std::ifstream file(path("hall/hall.json"));
    const json record = json::parse(file, nullptr, false);
    ASSERT_TRUE(record.is_object() && record.contains("key_ceremony")) << record.dump();
    EXPECT_EQ(record["key_ceremony"].value("messages", json::array()).size(), 3u * 6u) << record.dump();
  }
  // A second init must not destroy the hall.
  const auto again = server({"init", "--dir", hall(), "--session", session});
  EXPECT_EQ(again.exit_code, 3) << again.output;
  EXPECT_NE(again.output.find("--force"), std::string::npos);
  EXPECT_EQ(fs::status(path("hall/server-signing.key")).permissions() & fs::perms::group_read, fs::perms::none);

  EXPECT_OK(server(
      {"enrol", "--dir", hall(), "--role", "chair", "--id", "chair", "--generate", path("hall/operators")}));
  for (const char* member : {"P01", "C01", "S01"}) {
    EXPECT_OK(server({"enrol", "--dir", hall(), "--role", "presidium", "--id", member, "--generate",
                      path("hall/operators")}));
  }
  EXPECT_OK(server({"enrol", "--dir", hall(), "--role", "terminal", "--count", "20", "--prefix", "T",
                    "--generate", path("hall/terminals")}));

  auto running = start_server();
  ASSERT_TRUE(running);
  EXPECT_OK(ctl("open-sign-in"));
  const auto refused = ctl("open-sign-in");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("wrong_state"), std::string::npos) << refused.output;

  Background deputies({HALLVOTE_TERMINAL_BIN, "--dir", hall(), "--simulate", "20", "--card-seed", "tools-seed",
                       "--votes", "1", "--threads", "8", "--receipt-dir", path("receipts")},
                      dir_ / "simulate.log");
  const auto deadline = std::chrono::steady_clock::now() + seconds(30);
  while (ctl_json("attendance").value("present", 0) < 20 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(ctl_json("attendance").value("present", 0), 20) << deputies.output();

  EXPECT_OK(ctl("start-session"));
  EXPECT_OK(ctl("prepare-vote", {"--vote", "V1"}));
  // Issue 12: the console says what is missing, what to type, and that an approval was already given.
  const auto unapproved = ctl("open-vote", {"--vote", "V1"});
  EXPECT_EQ(unapproved.exit_code, 1);
  EXPECT_NE(unapproved.output.find("选票尚缺 2 名主席团成员批准（已批准 0/2）"), std::string::npos)
      << unapproved.output;
  const auto typo = ctl("stauts");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.output.find("可用的命令：attendance, close-session, close-vote"), std::string::npos)
      << typo.output;
  const auto approve = [&](const char* member, const fs::path& input = {}) {
    return presidium({"approve", "--dir", hall(), "--as", member, "--keys", path("keys"), "--vote", "V1"},
                     member, input);
  };
  // Issue 12: the member reads the ballot before signing — titles, not codes — and anything but 是 signs
  // nothing.
  const auto declined = approve("P01", typed("否\n"));
  EXPECT_EQ(declined.exit_code, 1) << declined.output;
  EXPECT_NE(declined.output.find("未签署 / not signed"), std::string::npos) << declined.output;
  EXPECT_NE(declined.output.find("镇中心小学运动场改造"), std::string::npos) << declined.output;
  EXPECT_EQ(declined.output.find("TS2025-01"), std::string::npos) << declined.output;
  EXPECT_NE(declined.output.find("最多选 3 项"), std::string::npos) << declined.output;
  const auto unanswered = approve("P01", "/dev/null");
  EXPECT_EQ(unanswered.exit_code, 1) << unanswered.output;
  EXPECT_NE(unanswered.output.find("--yes"), std::string::npos) << unanswered.output;
  EXPECT_EQ(ctl_json("progress", {"--vote", "V1"}).value("approvals", -1), 0);
  // A passphrase on the command line is refused; so is a passphrase file others may read.
  const auto on_command_line = tool(
      HALLVOTE_PRESIDIUM_BIN,
      {"approve", "--dir", hall(), "--as", "P01", "--keys", path("keys"), "--vote", "V1", "--passphrase", "x"});
  EXPECT_EQ(on_command_line.exit_code, 2) << on_command_line.output;
  EXPECT_NE(on_command_line.output.find("--passphrase-file"), std::string::npos) << on_command_line.output;
  const auto misspelt = tool(HALLVOTE_PRESIDIUM_BIN, {"aprove", "--vote", "V1"});
  EXPECT_EQ(misspelt.exit_code, 2) << misspelt.output;
  EXPECT_NE(misspelt.output.find(
                "未知的子命令 / unknown subcommand 'aprove'。可用的子命令 / valid subcommands: "
                "ceremony-call, ceremony-member, ceremony, approve, decrypt, cosign, certify, decide"),
            std::string::npos)
      << misspelt.output;
  const auto help = tool(HALLVOTE_PRESIDIUM_BIN, {"approve", "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.output;
  for (const char* option : {"--passphrase-file", "--passphrase-fd", "--yes", "审核并批准选票"})
    EXPECT_NE(help.output.find(option), std::string::npos) << option << "\n" << help.output;
  const auto ctl_help = server({"ctl", "--help"});  // every command with what it does
  EXPECT_EQ(ctl_help.exit_code, 0) << ctl_help.output;
  for (const char* line : {"close-vote    --vote  截止表决并计票", "open-sign-in          开始签到", "console"})
    EXPECT_NE(ctl_help.output.find(line), std::string::npos) << line << "\n" << ctl_help.output;
  std::ofstream(path("open-passphrase")) << "hallvote-demo-P01\n";
  fs::permissions(path("open-passphrase"), fs::perms::others_read, fs::perm_options::add);
  const auto open_file =
      tool(HALLVOTE_PRESIDIUM_BIN, {"approve", "--dir", hall(), "--as", "P01", "--keys", path("keys"), "--vote",
                                    "V1", "--yes", "--passphrase-file", path("open-passphrase")});
  EXPECT_EQ(open_file.exit_code, 3) << open_file.output;
  EXPECT_NE(open_file.output.find("chmod 600"), std::string::npos) << open_file.output;
  EXPECT_EQ(ctl_json("progress", {"--vote", "V1"}).value("approvals", -1), 0);
  const auto yes = approve("P01", typed("是\n"));
  EXPECT_EQ(yes.exit_code, 0) << yes.output;
  EXPECT_NE(yes.output.find("批准 1/2"), std::string::npos) << yes.output;
  const auto twice = approve("P01");
  EXPECT_EQ(twice.exit_code, 1) << twice.output;
  EXPECT_NE(twice.output.find("您已批准过这张选票（已批准 1/2）"), std::string::npos) << twice.output;
  EXPECT_OK(approve("C01"));
  EXPECT_OK(ctl("open-vote", {"--vote", "V1"}));
  const auto simulated = deputies.wait_exit(seconds(40));
  ASSERT_TRUE(simulated) << deputies.output();
  EXPECT_EQ(*simulated, 0) << deputies.output();
  EXPECT_NE(deputies.output().find("SUMMARY signed_in=20 cast=20"), std::string::npos) << deputies.output();
  std::vector<fs::path> receipts;
  for (const auto& file : fs::directory_iterator(path("receipts"))) receipts.push_back(file.path());
  ASSERT_EQ(receipts.size(), 20u);
  EXPECT_NE(receipts.front().filename().string().find("-V1-r1.receipt"), std::string::npos) << receipts.front();

  EXPECT_OK(ctl("close-vote", {"--vote", "V1"}));
  const json progress = ctl_json("progress", {"--vote", "V1"});
  EXPECT_EQ(progress.value("returned", 0), 20) << progress.dump();
  EXPECT_EQ(progress.value("issued", 0), 20) << progress.dump();
  const std::string state = progress.value("state", "");
  EXPECT_TRUE(state == "closed" || state == "tallied") << state;

  // Killed without warning, the server rebuilds the same state from its log.
  running->kill_now(SIGKILL);
  ASSERT_TRUE(running->wait_exit(seconds(10)));
  running = start_server();
  ASSERT_TRUE(running);
  EXPECT_EQ(ctl_json("progress", {"--vote", "V1"}), progress);
  EXPECT_EQ(ctl_json("attendance").value("present", 0), 20);

  // Decryption by the quorum (2), then the certification: C01 and S01 (every scrutineer), then P01 (q = 1).
  auto member = [&](const char* command, const char* as, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{command, "--dir", hall(), "--as", as, "--keys", path("keys"), "--vote", "V1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return presidium(std::move(args), as);
  };
  const auto not_decrypted = presidium(
      {"decrypt", "--dir", hall(), "--as", "P01", "--keys", path("keys"), "--vote", "V1"}, "P01", typed("n\n"));
  EXPECT_EQ(not_decrypted.exit_code, 1) << not_decrypted.output;
  EXPECT_NE(not_decrypted.output.find("20 张选票之和"), std::string::npos) << not_decrypted.output;
  EXPECT_NE(not_decrypted.output.find("测试镇2025年度民生实事项目差额票决"), std::string::npos)
      << not_decrypted.output;
  EXPECT_OK(member("decrypt", "P01"));
  EXPECT_OK(member("decrypt", "C01"));
  const auto too_early = member("certify", "P01");
  EXPECT_EQ(too_early.exit_code, 1) << too_early.output;
  EXPECT_NE(too_early.output.find("invalid_certification"), std::string::npos) << too_early.output;
  const auto first = member("certify", "C01");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("计票结果报告单"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("已签名：钱代表；尚缺监票人：孙代表"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("相符 / consistent"), std::string::npos) << first.output;
  EXPECT_OK(member("certify", "S01", {"--round", "1"}));
  const auto wrong_round = member("certify", "P01", {"--round", "2"});
  EXPECT_EQ(wrong_round.exit_code, 1) << wrong_round.output;
  const auto last = member("certify", "P01");
  ASSERT_EQ(last.exit_code, 0) << last.output;
  EXPECT_NE(last.output.find("（已确认）"), std::string::npos) << last.output;
  const json certified = ctl_json("result", {"--vote", "V1"});
  EXPECT_EQ(certified["certification"]["signed"], json::array({"C01", "S01", "P01"}));
  // Decided → certified; a tie or a shortfall → round 2 drafted for the chair to prepare.
  const json now = certified["current_round"];
  if (certified["result"].value("decided", false)) {
    EXPECT_EQ(now.value("state", ""), "certified") << now.dump();
  } else {
    EXPECT_EQ(now.value("number", 0), 2) << now.dump();
    EXPECT_EQ(now.value("state", ""), "drafted") << now.dump();
  }
  const auto shown = ctl("result", {"--vote", "V1"});
  EXPECT_NE(shown.output.find("确认 / certification"), std::string::npos) << shown.output;
  // The presidium announces a decided result (主席团公告第 1 号, docs/protocol.md §4.5.9); a scrutineer signs
  // no decision; an undecided vote is not announced.
  const auto by_scrutineer = member("decide", "C01", {"--announce", "1"});
  EXPECT_EQ(by_scrutineer.exit_code, 3) << by_scrutineer.output;
  EXPECT_NE(by_scrutineer.output.find("不是主席团成员"), std::string::npos) << by_scrutineer.output;
  const auto announced = member("decide", "P01", {"--announce", "1"});
  if (certified["result"].value("decided", false)) {
    ASSERT_EQ(announced.exit_code, 0) << announced.output;
    EXPECT_NE(announced.output.find("主席团公告第 1 号"), std::string::npos) << announced.output;
    EXPECT_NE(announced.output.find("主席团决定已生效（1/1"), std::string::npos) << announced.output;
    EXPECT_EQ(ctl_json("progress", {"--vote", "V1"}).value("state", ""), "announced");
  } else {
    EXPECT_EQ(announced.exit_code, 1) << announced.output;
    EXPECT_NE(announced.output.find("不能公告"), std::string::npos) << announced.output;
  }
  const json after = ctl_json("progress", {"--vote", "V1"});
  running->kill_now(SIGKILL);
  ASSERT_TRUE(running->wait_exit(seconds(10)));
  running = start_server();
  ASSERT_TRUE(running);
  EXPECT_EQ(ctl_json("progress", {"--vote", "V1"}), after);
  // The key committee cosigns the log as it stands (the bundle's last checkpoint must carry every cosignature).
  for (const char* cosigner : {"P01", "C01", "S01"}) {
    EXPECT_OK(presidium({"cosign", "--dir", hall(), "--as", cosigner, "--keys", path("keys")}, cosigner));
  }
  // Each cosigner keeps what they cosigned; a log that does not extend it (here the kept checkpoint claims more
  // entries than the log has: a rollback) is refused with the alarm, and nothing is cosigned.
  ASSERT_TRUE(fs::exists(path("keys/P01.cosigned")));
  {
    std::ifstream in(path("keys/P01.cosigned"));
    std::string origin, size, root;
    std::getline(in, origin);
    std::getline(in, size);
    std::getline(in, root);
    std::ofstream(path("keys/P01.cosigned"), std::ios::trunc) << origin << "\n"
                                                              << std::stoull(size) + 1000 << "\n"
                                                              << root << "\n";
  }
  const auto rolled_back = presidium({"cosign", "--dir", hall(), "--as", "P01", "--keys", path("keys")}, "P01");
  EXPECT_EQ(rolled_back.exit_code, 1) << rolled_back.output;
  EXPECT_NE(rolled_back.output.find("ALARM: the log does not extend the checkpoint you cosigned last"),
            std::string::npos)
      << rolled_back.output;

  running->kill_now(SIGTERM);
  const auto stopped = running->wait_exit(seconds(15));
  ASSERT_TRUE(stopped);
  EXPECT_EQ(*stopped, 0) << running->output();

  // The auditor: every saved receipt is in the exported log; when the vote was decided, the server wrote the
  // records at certification and they are what the log regenerates.
  EXPECT_OK(tool(HALLVOTE_AUDIT_BIN, {"export", path("hall/session.db"), "-o", path("bundle.txt")}));
  for (const auto& receipt : receipts)
    EXPECT_OK(tool(HALLVOTE_AUDIT_BIN, {"receipt", receipt.string(), path("bundle.txt")}));
  std::vector<std::string> verify{"verify", path("bundle.txt")};
  if (certified["result"].value("decided", false)) {
    EXPECT_TRUE(fs::exists(path("hall/records/tally-report-V1.pdf")));
    verify.insert(verify.end(), {"--records", path("hall/records")});
  }
  const auto audited = tool(HALLVOTE_AUDIT_BIN, verify);
  EXPECT_EQ(audited.exit_code, 0) << audited.output;
  // The auditor re-checked the ceremony's transcript in entry 0, not just took the key.
  EXPECT_NE(audited.output.find("密钥仪式 / key ceremony: tools-test-1"), std::string::npos) << audited.output;
}

}  // namespace
}  // namespace hallvote::tools_test
