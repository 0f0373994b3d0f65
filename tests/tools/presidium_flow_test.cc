// The presidium member's flow before a signature (hallvote::presidium): the ballot's check against the session
// file, the text shown — titles not codes, the
// rule in words, no 通过票数 for a 满意度测评, the reconciliation, the fingerprint of what is signed —, the
// explicit confirmation, and where the key passphrase may come from (never the command line; a file only its
// owner reads). The end-to-end checks with a running server are in hall_programs_test.cc.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hallvote/presidium/ballot_check.h"
#include "hallvote/presidium/confirm.h"
#include "hallvote/presidium/passphrase.h"
#include "hallvote/presidium/review.h"
#include "hallvote/protocol/result_outcome.h"
#include "hallvote/session/loader.h"
#include "hallvote/session/round.h"

namespace hallvote::presidium {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Review : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = session::load_session(fs::path(HALLVOTE_SOURCE_DIR) / "examples/sessions/hanyin-county.toml");
    ASSERT_TRUE(loaded) << loaded.error().message();
    session_ = std::move(*loaded);
  }
  protocol::BallotDefinition definition(const std::string& vote_id) const {
    const session::VoteDefinition& vote = *session_.find_vote(vote_id);
    return protocol::make_ballot_definition(session_, vote, session::first_round(vote), key_);
  }

  session::SessionDefinition session_;
  std::array<std::uint8_t, 32> key_{7};
};

TEST_F(Review, ApprovalOfAChooseVoteShowsTitlesPlacesRuleAndTheFingerprint) {
  const auto d = definition("V1");
  const std::string text = approval_review(session_, d, session::RoundPurpose::initial);
  EXPECT_TRUE(contains(text, "差额票决")) << text;
  EXPECT_TRUE(contains(text, d.vote_title)) << text;
  for (const std::string& id : session_.find_vote("V1")->items) {
    EXPECT_TRUE(contains(text, std::string(session_.item_title(id)))) << id << "\n" << text;
    EXPECT_FALSE(contains(text, id)) << "a bare code on the review: " << id << "\n" << text;
  }
  EXPECT_TRUE(contains(text, "请从以下 13 个项目中选择，最多选 10 项")) << text;
  const std::uint32_t in_office = session_.deputies_in_office();
  EXPECT_TRUE(contains(text, "全体代表（实有 " + std::to_string(in_office) + " 名）过半数，即至少 " +
                                 std::to_string(in_office / 2 + 1) + " 票"))
      << text;
  EXPECT_TRUE(contains(text, "通过票数 / votes needed：" + std::to_string(in_office / 2 + 1) + " 票")) << text;
  EXPECT_TRUE(contains(text, "另行投票")) << text;
  EXPECT_TRUE(contains(text, fingerprint_words(d.base_hash()))) << text;
}

TEST_F(Review, ApprovalOfASatisfactionVoteShowsNoVotesNeeded) {
  const auto d = definition("V2");
  const std::string text = approval_review(session_, d, session::RoundPurpose::initial);
  EXPECT_TRUE(contains(text, "满意度测评")) << text;
  EXPECT_TRUE(contains(text, "满意、基本满意、不满意、弃权")) << text;
  EXPECT_FALSE(contains(text, "通过票数")) << text;
  EXPECT_FALSE(contains(text, "通过")) << "nothing passes in a 满意度测评\n" << text;
  for (const std::string& id : session_.find_vote("V2")->items) {
    EXPECT_TRUE(contains(text, std::string(session_.item_title(id)))) << id;
    EXPECT_FALSE(contains(text, id)) << id;
  }
  EXPECT_TRUE(contains(text, "允许，以最后一次投票为准")) << text;
}

TEST_F(Review, ApprovalOfAPerItemVoteShowsTheMotionAndTheChoices) {
  const std::string text = approval_review(session_, definition("V3"), session::RoundPurpose::initial);
  EXPECT_TRUE(contains(text, "逐项表决")) << text;
  EXPECT_TRUE(contains(text, std::string(session_.item_title("M-DECISION")))) << text;
  EXPECT_FALSE(contains(text, "M-DECISION")) << text;
  EXPECT_TRUE(contains(text, "赞成、反对、弃权")) << text;
  EXPECT_TRUE(contains(text, "赞成票达到全体代表")) << text;
}

TEST_F(Review, TheSessionFilesOwnBallotPassesItsCheck) {
  for (const char* vote : {"V1", "V2", "V3"}) {
    auto checked = check_against_session(session_, definition(vote));
    EXPECT_TRUE(checked) << vote << ": " << checked.error().detail;
  }
}

TEST_F(Review, ABallotThatDiffersFromTheSessionFileIsNamed) {
  auto relabelled = definition("V1");
  relabelled.shape.contests[0].selections[2].label = "另一个项目";
  auto checked = check_against_session(session_, relabelled);
  ASSERT_FALSE(checked);
  EXPECT_TRUE(contains(checked.error().detail, "选项“另一个项目”")) << checked.error().detail;

  auto more_places = definition("V1");
  more_places.shape.contests[0].max_selected += 1;
  EXPECT_FALSE(check_against_session(session_, more_places));

  auto retitled = definition("V2");
  retitled.shape.contests[1].title = "改过的名称";
  checked = check_against_session(session_, retitled);
  ASSERT_FALSE(checked);
  EXPECT_TRUE(contains(checked.error().detail, "第 2 项名称“改过的名称”")) << checked.error().detail;

  auto replacement = definition("V3");
  replacement.replacement_allowed = !replacement.replacement_allowed;
  checked = check_against_session(session_, replacement);
  ASSERT_FALSE(checked);
  EXPECT_TRUE(contains(checked.error().detail, "可否改投")) << checked.error().detail;

  auto fewer = definition("V1");
  fewer.shape.contests[0].selections.pop_back();
  checked = check_against_session(session_, fewer);
  ASSERT_FALSE(checked) << "round 1 holds every item";
}

TEST_F(Review, ALaterRoundHoldsOnlyTheVotesItemsAndPlaces) {
  const session::VoteDefinition& vote = *session_.find_vote("V1");
  session::RoundSpec run_off{2, 1, session::RoundPurpose::shortfall_run_off, {vote.items[3], vote.items[7]}, 1};
  const auto d = protocol::make_ballot_definition(session_, vote, run_off, key_);
  auto checked = check_against_session(session_, d);
  EXPECT_TRUE(checked) << checked.error().detail;
  const std::string text = approval_review(session_, d, session::RoundPurpose::shortfall_run_off);
  EXPECT_TRUE(contains(text, "第 2 轮，另行投票（不足名额）")) << text;
  EXPECT_TRUE(contains(text, "请从以下 2 个项目中选择，最多选 1 项")) << text;
  EXPECT_TRUE(contains(text, "过半数")) << text;
  EXPECT_TRUE(contains(text, "通过票数")) << text;
  // A tie run-off under the default rule (以得票多的当选): no majority, no 通过票数.
  const std::string tie = approval_review(session_, d, session::RoundPurpose::tie_run_off);
  EXPECT_TRUE(contains(tie, "第 2 轮，再次投票（票数相等）")) << tie;
  EXPECT_TRUE(contains(tie, "得票多的项目当选应选的 1 个名额，不再要求过半数")) << tie;
  EXPECT_FALSE(contains(tie, "通过票数")) << tie;
  EXPECT_EQ(purpose_from_words("再次投票（票数相等）"), session::RoundPurpose::tie_run_off);
  EXPECT_EQ(purpose_from_words("tie_run_off"), std::nullopt);

  session::RoundSpec foreign = run_off;
  foreign.items.push_back(session_.find_vote("V2")->items.front());
  EXPECT_FALSE(
      check_against_session(session_, protocol::make_ballot_definition(session_, vote, foreign, key_)));
  session::RoundSpec too_many = run_off;
  too_many.places = vote.places + 1;
  too_many.items = vote.items;
  EXPECT_FALSE(
      check_against_session(session_, protocol::make_ballot_definition(session_, vote, too_many, key_)));
}

TEST(Fingerprint, GroupsTheHashInFoursOnTwoLines) {
  std::array<std::uint8_t, 32> hash{};
  for (std::size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(fingerprint_words(hash),
            "0001 0203 0405 0607 0809 0a0b 0c0d 0e0f\n    1011 1213 1415 1617 1819 1a1b 1c1d 1e1f");
}

// A decrypted 差额 round of one project, with the accounting given.
nlohmann::json outcome(std::uint32_t issued, std::uint32_t returned, std::uint32_t valid,
                       std::uint32_t invalid) {
  protocol::ResultOutcome o;
  o.round.spec = {1, std::nullopt, session::RoundPurpose::initial, {"P1"}, 1};
  o.round.in_office = 30;
  o.round.present = 25;
  o.round.accounting = {issued, returned, valid, invalid};
  o.round.no_ballot = returned <= 25 ? 25 - returned : 0;
  o.round.quorum_met = true;
  o.round.quorum = {2, 3};
  o.round.quorum_minimum = 20;
  o.round.base = 30;
  o.round.threshold = 16;
  o.round.items = {{"P1", {20}, 0, 1, session::Verdict::adopted, {session::ReasonCode::within_places}}};
  o.titles = {"项目一"};
  o.totals = {{20}};
  o.adopted = {"P1"};
  o.decided = true;
  return o.to_json();
}

TEST_F(Review, CertificationShowsTheReconciliationTheSignerAndTheFingerprint) {
  const session::Official& signer = session_.key_committee.members.front();
  std::array<std::uint8_t, 32> hash{};
  hash[0] = 0xab;
  const std::string good = certification_review(session_, signer, "REPORT\n", outcome(25, 24, 23, 1), 71, hash);
  EXPECT_TRUE(contains(good, "REPORT\n")) << good;
  EXPECT_TRUE(contains(good, "实到 25 = 收回 24 + 未按 1；发出 25 ≤ 实到 25；收回 24 = 有效 23 + 无效 1——相符"))
      << good;
  // A present deputy a ballot never reached is 未按 too: 发出 24, 收回 24, 实到 25.
  const std::string unreached = certification_review(session_, signer, "", outcome(24, 24, 24, 0), 71, hash);
  EXPECT_TRUE(
      contains(unreached, "实到 25 = 收回 24 + 未按 1；发出 24 ≤ 实到 25；收回 24 = 有效 24 + 无效 0——相符"))
      << unreached;
  EXPECT_TRUE(contains(good, signer.name + "（")) << good;
  EXPECT_TRUE(contains(good, "日志第 71 条")) << good;
  EXPECT_TRUE(contains(good, fingerprint_words(hash))) << good;
  auto uncounted = outcome(25, 24, 23, 1);  // 未按 0 although one present deputy's ballot did not come back
  uncounted["no_ballot"] = 0u;
  const std::string mismatched = certification_review(session_, signer, "", uncounted, 71, hash);
  EXPECT_TRUE(contains(mismatched, "实到 25 ≠ 收回 24 + 未按 0；")) << mismatched;
  EXPECT_TRUE(contains(mismatched, "不相符，请勿签署")) << mismatched;
  uncounted["no_ballot"] = "0";  // not a count: the report cannot be read, and the member is told not to sign
  const std::string unreadable = certification_review(session_, signer, "", uncounted, 71, hash);
  EXPECT_TRUE(contains(unreadable, "无法解读本轮计票结果")) << unreadable;
  const std::string bad = certification_review(session_, signer, "REPORT\n", outcome(25, 24, 20, 1), 71, hash);
  EXPECT_TRUE(contains(bad, "收回 24 ≠ 有效 20 + 无效 1——不相符，请勿签署")) << bad;
}

TEST_F(Review, DecryptionSaysWhatIsSummedAndThatNoBallotIsDecrypted) {
  const session::Official& trustee = session_.key_committee.members.front();
  const nlohmann::json tally = {{"round", 2},
                                {"ballots", 211},
                                {"quorum", 5},
                                {"ciphertexts", nlohmann::json::array({"00", "01"})},
                                {"shares", {trustee.id}}};
  std::array<std::uint8_t, 32> hash{};
  const std::string text = decryption_review(session_, trustee, 1, "V1", tally, hash);
  EXPECT_TRUE(contains(text, session_.find_vote("V1")->title + "（差额票决，第 2 轮）")) << text;
  EXPECT_TRUE(contains(text, "本轮 211 张选票之和（2 个密文），不解密任何单张选票")) << text;
  EXPECT_TRUE(contains(text, "已接受的份额 / shares accepted：" + trustee.name + "（需要 5 份")) << text;
  EXPECT_FALSE(contains(text, "：" + trustee.id)) << text;
}

// ---- confirmation

TEST(Confirm, OnlyYesSigns) {
  for (const char* yes : {"是", "y", "Y", "yes", " 是 ", "YES\r"}) EXPECT_TRUE(is_yes(yes)) << yes;
  for (const char* no : {"否", "n", "", " ", "是的", "no", "确认", "yy"}) EXPECT_FALSE(is_yes(no)) << no;
}

TEST(Confirm, TypedNoCancelsAndSaysNotSigned) {
  std::istringstream in("否\n是\n");
  std::ostringstream out;
  EXPECT_FALSE(confirm(in, out, "批准？", false));
  EXPECT_TRUE(contains(out.str(), "批准？")) << out.str();
  EXPECT_TRUE(contains(out.str(), std::string(kNotSigned))) << out.str();
  EXPECT_FALSE(contains(out.str(), "--yes")) << "the member answered; no hint about --yes";
}

TEST(Confirm, TypedYesSigns) {
  std::istringstream in("是\n");
  std::ostringstream out;
  EXPECT_TRUE(confirm(in, out, "批准？", false));
  EXPECT_FALSE(contains(out.str(), std::string(kNotSigned)));
}

TEST(Confirm, NoAnswerCancelsAndPointsToYes) {
  std::istringstream in("");
  std::ostringstream out;
  EXPECT_FALSE(confirm(in, out, "批准？", false));
  EXPECT_TRUE(contains(out.str(), std::string(kNotSigned))) << out.str();
  EXPECT_TRUE(contains(out.str(), "--yes")) << out.str();
}

TEST(Confirm, PreconfirmedReadsNothing) {
  std::istringstream in("否\n");
  std::ostringstream out;
  EXPECT_TRUE(confirm(in, out, "批准？", true));
  EXPECT_TRUE(contains(out.str(), "批准？")) << "the question is printed with --yes too";
  std::string left;
  std::getline(in, left);
  EXPECT_EQ(left, "否");
}

// ---- passphrase

class Passphrase : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hallvote-passphrase-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ::unsetenv(kMemberPassphraseEnv);
  }
  void TearDown() override {
    fs::remove_all(dir_);
    ::unsetenv(kMemberPassphraseEnv);
  }
  fs::path file(const std::string& name, const std::string& text, fs::perms perms) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    fs::permissions(path, perms);
    return path;
  }
  static std::string text(const crypto::SecretBytes& secret) { return std::string(as_text(secret)); }

  fs::path dir_;
};

constexpr fs::perms kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;

TEST_F(Passphrase, FileReadableOnlyByItsOwnerGivesItsFirstLine) {
  auto read = read_passphrase_file(file("ok", "geheim 口令\r\nsecond line\n", kOwnerOnly));
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(text(*read), "geheim 口令");
  auto bare = read_passphrase_file(file("bare", "no-newline", fs::perms::owner_read));
  ASSERT_TRUE(bare) << bare.error().message();
  EXPECT_EQ(text(*bare), "no-newline");
}

TEST_F(Passphrase, FileOthersMayReadIsRefused) {
  for (const auto extra : {fs::perms::others_read, fs::perms::group_read, fs::perms::group_write}) {
    const fs::path path = file("open", "secret\n", kOwnerOnly | extra);
    auto read = read_passphrase_file(path);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, std::make_error_code(std::errc::permission_denied));
    EXPECT_TRUE(contains(read.error().detail, "chmod 600 " + path.string())) << read.error().detail;
  }
}

TEST_F(Passphrase, EmptyMissingOrLinkedFileIsRefused) {
  EXPECT_FALSE(read_passphrase_file(file("empty", "\n", kOwnerOnly)));
  EXPECT_FALSE(read_passphrase_file(dir_ / "missing"));
  const fs::path target = file("target", "secret\n", kOwnerOnly);
  fs::create_symlink(target, dir_ / "link");
  EXPECT_FALSE(read_passphrase_file(dir_ / "link")) << "a symbolic link is not followed";
  EXPECT_FALSE(read_passphrase_file(dir_)) << "a folder is not a passphrase file";
}

TEST_F(Passphrase, DescriptorGivesItsFirstLine) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const std::string sent = "from-a-pipe\nrest";
  ASSERT_EQ(::write(pipe_fds[1], sent.data(), sent.size()), static_cast<ssize_t>(sent.size()));
  ::close(pipe_fds[1]);
  auto read = read_passphrase_fd(pipe_fds[0]);
  ::close(pipe_fds[0]);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(text(*read), "from-a-pipe");
}

TEST_F(Passphrase, FileComesBeforeTheEnvironment) {
  ::setenv(kMemberPassphraseEnv, "from-env", 1);
  auto from_file = member_passphrase({file("ok", "from-file\n", kOwnerOnly), std::nullopt}, "");
  ASSERT_TRUE(from_file);
  EXPECT_EQ(text(*from_file), "from-file");
  auto from_env = member_passphrase({}, "");
  ASSERT_TRUE(from_env);
  EXPECT_EQ(text(*from_env), "from-env");
}

TEST_F(Passphrase, WithoutATerminalOrASourceItSaysWhatToUse) {
  // In a child without a controlling terminal, so that the test never stops to ask.
  const fs::path report = dir_ / "report";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setsid();
    auto asked = member_passphrase({}, "prompt: ");
    std::ofstream(report) << (asked ? std::string("read") : asked.error().detail);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  std::ifstream in(report);
  const std::string said((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(contains(said, "没有终端")) << said;
  EXPECT_TRUE(contains(said, "--passphrase-file")) << said;
}

// Everything readable from the pseudo-terminal's master until `text` has appeared (blocking reads, no timing).
std::string read_until(int master, const std::string& text) {
  std::string seen;
  char buffer[256];
  while (seen.find(text) == std::string::npos) {
    const ssize_t got = ::read(master, buffer, sizeof buffer);
    if (got <= 0) break;
    seen.append(buffer, static_cast<std::size_t>(got));
  }
  return seen;
}

TEST_F(Passphrase, OnTheTerminalItIsAskedWithEchoOff) {
  int master = -1;
  int slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  const fs::path report = dir_ / "report";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The pseudo-terminal becomes the child's controlling terminal, i.e. its /dev/tty.
    ::close(master);
    ::setsid();
    ::ioctl(slave, TIOCSCTTY, 0);
    auto typed = member_passphrase({}, "口令 / passphrase: ");
    std::ofstream(report) << (typed ? std::string(as_text(*typed)) : "error: " + typed.error().message());
    ::_exit(0);
  }
  ::close(slave);
  const std::string before = read_until(master, "passphrase: ");
  EXPECT_TRUE(contains(before, "口令 / passphrase: ")) << before;
  const std::string typed = "typed-secret\n";
  ASSERT_EQ(::write(master, typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  std::string after;
  char buffer[256];
  for (ssize_t got = 0; (got = ::read(master, buffer, sizeof buffer)) > 0;)
    after.append(buffer, static_cast<std::size_t>(got));
  ::close(master);
  EXPECT_FALSE(contains(after, "typed-secret")) << "the passphrase was echoed: " << after;
  std::ifstream in(report);
  const std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(got, "typed-secret");
}

TEST(CommandLine, APassphraseOptionIsFoundAndRefused) {
  using Args = std::vector<std::string_view>;
  EXPECT_EQ(passphrase_argument(Args{"approve", "--passphrase", "x"}), "--passphrase");
  EXPECT_EQ(passphrase_argument(Args{"approve", "--passphrase=x"}), "--passphrase");
  EXPECT_EQ(passphrase_argument(Args{"certify", "--passphrase-prefix=demo-"}), "--passphrase-prefix");
  EXPECT_EQ(passphrase_argument(Args{"approve", "--passphrase-file", "f", "--passphrase-fd", "3"}), "");
  EXPECT_EQ(passphrase_argument(Args{"approve", "--passphrasex"}), "");
  const std::string refusal = command_line_refusal("--passphrase");
  EXPECT_TRUE(contains(refusal, "口令不能写在命令行上")) << refusal;
  EXPECT_TRUE(contains(refusal, "--passphrase-file")) << refusal;
}

}  // namespace
}  // namespace hallvote::presidium
