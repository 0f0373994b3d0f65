#include "hallvote/hall/chair_console.h"

#include <gtest/gtest.h>

#include "hallvote/session/loader.h"

namespace hallvote::setup {
namespace {

using nlohmann::json;

const session::SessionDefinition& township() {
  static const auto session =
      session::load_session(std::string(HALLVOTE_SOURCE_DIR) + "/tests/browser/data/seat-session.toml").value();
  return session;
}

json vote_status(const std::string& id, const std::string& state) {
  return {{"vote_id", id}, {"round", 1}, {"purpose", "第一次投票"}, {"state", state}, {"state_zh", "x"}};
}

json progress(const std::string& id, const std::string& state, bool prepared = true,
              std::uint64_t approvals = 0) {
  return {{"vote_id", id},
          {"state", state},
          {"state_zh", "x"},
          {"round", 1},
          {"purpose", "第一次投票"},
          {"prepared", prepared},
          {"approvals", approvals},
          {"approved_by", approvals > 0 ? json::array({"P01"}) : json::array()},
          {"quorum", 2},
          {"issued", 5},
          {"returned", 3},
          {"present", 5},
          {"certification", nullptr}};
}

// A session in `session_state` with V1 in `v1_state` (V2, V3 drafted, not prepared).
ConsoleInput hall(const std::string& session_state, const std::string& v1_state, std::uint64_t present = 5,
                  bool prepared = true, std::uint64_t approvals = 0) {
  ConsoleInput input;
  input.status = {{"session", "示范镇"},
                  {"state", session_state},
                  {"state_zh", "x"},
                  {"in_office", 6},
                  {"present", present},
                  {"quorum_met", present >= 4},
                  {"votes", json::array({vote_status("V1", v1_state), vote_status("V2", "drafted"),
                                         vote_status("V3", "drafted")})}};
  input.attendance = {
      {"deputies",
       json::array({{{"id", "SD0001"}, {"name", "蒋小勇"}, {"seat", "1排1座"}, {"signed_in", true}},
                    {{"id", "SD0006"}, {"name", "姚光华"}, {"seat", "1排6座"}, {"signed_in", false}}})}};
  input.progress["V1"] = progress("V1", v1_state, prepared, approvals);
  input.progress["V2"] = progress("V2", "drafted", false);
  input.progress["V3"] = progress("V3", "drafted", false);
  return input;
}

const OfferedCommand* find(const std::vector<OfferedCommand>& offered, ConsoleCommand command,
                           const std::string& vote = "") {
  for (const auto& c : offered) {
    if (c.command == command && c.vote_id == vote) return &c;
  }
  return nullptr;
}

std::string intent(const std::string& command, const std::string& vote = "", const char* reason = nullptr) {
  json j{{"intent", "run"}, {"command", command}, {"vote", vote}};
  if (reason != nullptr) j["reason"] = reason;
  return j.dump();
}

TEST(ChairConsole, CommandNamesRoundTrip) {
  for (const auto c :
       {ConsoleCommand::open_sign_in, ConsoleCommand::start_session, ConsoleCommand::prepare_vote,
        ConsoleCommand::open_vote, ConsoleCommand::hold_vote, ConsoleCommand::resume_vote,
        ConsoleCommand::close_vote, ConsoleCommand::close_session}) {
    ConsoleCommand back{};
    ASSERT_TRUE(parse_command_name(command_name(c), back)) << command_name(c);
    EXPECT_EQ(back, c);
  }
  ConsoleCommand ignored{};
  EXPECT_FALSE(parse_command_name("status", ignored));  // a question, not a command
  EXPECT_FALSE(parse_command_name("", ignored));
}

TEST(ChairConsole, SessionCommandsFollowTheSessionAndTheQuorum) {
  auto offered = offered_commands(township(), hall("prepared", "drafted", 0));
  ASSERT_NE(find(offered, ConsoleCommand::open_sign_in), nullptr);
  EXPECT_EQ(find(offered, ConsoleCommand::start_session), nullptr);

  offered = offered_commands(township(), hall("sign_in_open", "drafted", 3));
  const auto* start = find(offered, ConsoleCommand::start_session);
  ASSERT_NE(start, nullptr);
  EXPECT_NE(start->blocked.find("未达到法定人数"), std::string::npos) << start->blocked;
  EXPECT_EQ(find(offered, ConsoleCommand::open_sign_in), nullptr);

  offered = offered_commands(township(), hall("sign_in_open", "drafted", 5));
  start = find(offered, ConsoleCommand::start_session);
  ASSERT_NE(start, nullptr);
  EXPECT_TRUE(start->blocked.empty());
  EXPECT_NE(start->confirm.find("应到 6 人，实到 5 人"), std::string::npos) << start->confirm;
}

TEST(ChairConsole, AVoteIsPreparedApprovedOpenedHeldResumedClosed) {
  auto offered = offered_commands(township(), hall("in_progress", "drafted", 5, false));
  const auto* prepare = find(offered, ConsoleCommand::prepare_vote, "V1");
  ASSERT_NE(prepare, nullptr);
  EXPECT_NE(prepare->confirm.find("《"), std::string::npos);  // the vote by its title, not its code
  EXPECT_EQ(find(offered, ConsoleCommand::open_vote, "V1"), nullptr);

  offered = offered_commands(township(), hall("in_progress", "drafted", 5, true, 1));
  const auto* open = find(offered, ConsoleCommand::open_vote, "V1");
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->blocked, "选票尚缺 1 名主席团成员批准（已批准 1/2）。");

  offered = offered_commands(township(), hall("in_progress", "approved"));
  open = find(offered, ConsoleCommand::open_vote, "V1");
  ASSERT_NE(open, nullptr);
  EXPECT_TRUE(open->blocked.empty());
  EXPECT_NE(open->confirm.find("已签到的 5 位代表"), std::string::npos) << open->confirm;

  offered = offered_commands(township(), hall("in_progress", "open"));
  ASSERT_NE(find(offered, ConsoleCommand::hold_vote, "V1"), nullptr);
  EXPECT_TRUE(find(offered, ConsoleCommand::hold_vote, "V1")->needs_reason);
  const auto* close = find(offered, ConsoleCommand::close_vote, "V1");
  ASSERT_NE(close, nullptr);
  EXPECT_NE(close->confirm.find("实到 5 人，已收回 3 张（发出 5 张）；尚未投出的 2 位代表记为未按。"),
            std::string::npos)
      << close->confirm;
  EXPECT_EQ(find(offered, ConsoleCommand::resume_vote, "V1"), nullptr);

  offered = offered_commands(township(), hall("in_progress", "held"));
  EXPECT_NE(find(offered, ConsoleCommand::resume_vote, "V1"), nullptr);
  EXPECT_NE(find(offered, ConsoleCommand::close_vote, "V1"), nullptr);
  EXPECT_EQ(find(offered, ConsoleCommand::hold_vote, "V1"), nullptr);

  offered = offered_commands(township(), hall("in_progress", "closed"));
  for (const auto& c : offered) EXPECT_NE(c.vote_id, "V1") << command_name(c.command);
}

TEST(ChairConsole, OpeningIsBlockedBeforeTheSessionAndWhileAnotherVoteRuns) {
  auto offered = offered_commands(township(), hall("sign_in_open", "approved"));
  EXPECT_EQ(find(offered, ConsoleCommand::open_vote, "V1")->blocked, "会议尚未开始，请先宣布开会。");
  auto input = hall("in_progress", "open");
  input.progress["V2"] = progress("V2", "approved");
  offered = offered_commands(township(), input);
  EXPECT_EQ(find(offered, ConsoleCommand::open_vote, "V2")->blocked, "另一项表决正在进行，请先截止该表决。");
}

TEST(ChairConsole, NothingIsOfferedWhileTheServerIsLost) {
  auto input = hall("in_progress", "open");
  input.connected = false;
  EXPECT_TRUE(offered_commands(township(), input).empty());
  auto refused = parse_console_intent(township(), input, intent("close-vote", "V1"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, std::errc::operation_not_permitted);
  const auto view = console_view(township(), input, std::nullopt);
  EXPECT_FALSE(view["connected"]);
  EXPECT_NE(view["connection_text"].get<std::string>().find("正在连接会场服务器"), std::string::npos);
}

TEST(ChairConsole, TheViewSaysWhenTheServerCannotWriteItsLog) {
  auto input = hall("in_progress", "open");
  EXPECT_TRUE(console_view(township(), input, std::nullopt)["writing_text"].is_null());
  input.status["writing"] = true;
  EXPECT_TRUE(console_view(township(), input, std::nullopt)["writing_text"].is_null());
  input.status["writing"] = false;
  input.status["writing_text"] = "写入已停止 / writing has stopped: disk full";
  const auto view = console_view(township(), input, std::nullopt);
  const std::string text = view["writing_text"].get<std::string>();
  EXPECT_EQ(text.find("写入已停止 / writing has stopped: disk full"), 0u) << text;
  EXPECT_NE(text.find("请通知技术人员检查磁盘"), std::string::npos) << text;
}

TEST(ChairConsole, AnIntentIsRunOnlyWhenOfferedNowAndNotBlocked) {
  const auto input = hall("in_progress", "open");
  auto request = parse_console_intent(township(), input, intent("close-vote", "V1"));
  ASSERT_TRUE(request) << request.error().detail;
  EXPECT_EQ(request->command, ConsoleCommand::close_vote);
  EXPECT_EQ(request->vote_id, "V1");

  // Not offered in this state, for another vote, or malformed.
  for (const std::string& text :
       {intent("open-vote", "V1"), intent("close-vote", "V2"), intent("close-vote", "V9"),
        intent("open-sign-in"), intent("status"), std::string("{}"), std::string("[1]"),
        std::string("not json"), std::string(2000, 'x'), json{{"intent", "run"}, {"command", 7}}.dump()}) {
    EXPECT_FALSE(parse_console_intent(township(), input, text)) << text;
  }
  // Blocked: refused with its reason.
  auto blocked = parse_console_intent(township(), hall("sign_in_open", "drafted", 3), intent("start-session"));
  ASSERT_FALSE(blocked);
  EXPECT_NE(blocked.error().detail.find("未达到法定人数"), std::string::npos);
}

TEST(ChairConsole, HoldingNeedsAReasonOfOneToAHundredCharactersWithoutControlCharacters) {
  const auto input = hall("in_progress", "open");
  auto held = parse_console_intent(township(), input, intent("hold-vote", "V1", "代表提出疑问，暂停核实"));
  ASSERT_TRUE(held) << held.error().detail;
  EXPECT_EQ(held->reason, "代表提出疑问，暂停核实");
  EXPECT_TRUE(
      parse_console_intent(township(), input, intent("hold-vote", "V1", std::string(100, 'a').c_str())));
  for (const char* bad : {"", "line\nbreak", "tab\there"}) {
    EXPECT_FALSE(parse_console_intent(township(), input, intent("hold-vote", "V1", bad))) << bad;
  }
  EXPECT_FALSE(
      parse_console_intent(township(), input, intent("hold-vote", "V1", std::string(101, 'a').c_str())));
  EXPECT_FALSE(parse_console_intent(township(), input, intent("hold-vote", "V1")));  // no reason at all
}

TEST(ChairConsole, TheViewNamesTheAbsentAndNeverShowsACountBeforeDecryption) {
  auto input = hall("in_progress", "open");
  input.result = json{{"vote_id", "V1"}, {"result", json::object()}};  // must be ignored: V1 is still open
  const auto view = console_view(township(), input, std::nullopt);
  ASSERT_EQ(view["attendance"]["absent_names"].size(), 1u);
  EXPECT_EQ(view["attendance"]["absent_names"][0]["name"], "姚光华");
  EXPECT_EQ(view["attendance"]["absent"], 1);
  EXPECT_EQ(view["attendance"]["quorum_text"], "已达到法定人数");
  ASSERT_EQ(view["votes"].size(), 3u);
  EXPECT_EQ(view["votes"][0]["detail"], "发出 5 张，已收回 3 张");
  EXPECT_NE(view["votes"][0]["title"], "V1");  // the vote's title
  EXPECT_EQ(view["focus"]["vote_id"], "V1");
  EXPECT_TRUE(view["focus"]["result"].is_null());
  EXPECT_TRUE(view["notice"].is_null());
}

TEST(ChairConsole, AnOpenVoteHasATimerFromItsOpeningEntry) {
  auto input = hall("in_progress", "open");
  input.progress["V1"]["opened_ms"] = 1736384400000;  // 2025-01-09 01:00:00 UTC = 09:00 in Beijing
  input.now_ms = 1736384400000 + 125'000;
  auto view = console_view(township(), input, std::nullopt);
  EXPECT_EQ(view["votes"][0]["timer"], "09:00 开始，已进行 2 分 05 秒");
  input.now_ms = 1736384400000 + 3'725'000;
  view = console_view(township(), input, std::nullopt);
  EXPECT_EQ(view["votes"][0]["timer"], "09:00 开始，已进行 1 小时 2 分 05 秒");
  input.now_ms = 1736384400000 - 5000;  // the console's clock behind the server's
  view = console_view(township(), input, std::nullopt);
  EXPECT_EQ(view["votes"][0]["timer"], "09:00 开始，已进行 0 秒");
  input.progress["V1"]["state"] = "closed";
  view = console_view(township(), input, std::nullopt);
  EXPECT_EQ(view["votes"][0]["timer"], "");
  input.progress["V1"]["state"] = "open";
  input.progress["V1"]["opened_ms"] = nullptr;
  view = console_view(township(), input, std::nullopt);
  EXPECT_EQ(view["votes"][0]["timer"], "");
}

// 实到 − 发出 by name: a present deputy whose seat has not fetched the ballot is named, and counted in 未按.
TEST(ChairConsole, PresentDeputiesWithoutTheBallotAreNamed) {
  auto input = hall("in_progress", "open");
  input.progress["V1"]["issued"] = 4;
  input.progress["V1"]["present_without_ballot"] = json::array({"SD0001"});
  const auto view = console_view(township(), input, std::nullopt);
  EXPECT_EQ(view["votes"][0]["detail"], "发出 4 张，已收回 3 张；实到未领票 1 人：蒋小勇（1排1座）");
  const auto offered = offered_commands(township(), input);
  const auto* close = find(offered, ConsoleCommand::close_vote, "V1");
  ASSERT_NE(close, nullptr);
  EXPECT_NE(close->confirm.find("尚未投出的 2 位代表记为未按；实到未领票 1 人：蒋小勇（1排1座）。"),
            std::string::npos)
      << close->confirm;
}

TEST(ChairConsole, ClosingTheSessionNamesTheUnfinishedVotesAndWaitsForTheOpenOne) {
  EXPECT_EQ(find(offered_commands(township(), hall("sign_in_open", "drafted")), ConsoleCommand::close_session),
            nullptr);
  auto input = hall("in_progress", "open");
  const auto while_open = offered_commands(township(), input);
  const auto* closing = find(while_open, ConsoleCommand::close_session);
  ASSERT_NE(closing, nullptr);
  EXPECT_EQ(closing->blocked, "表决进行中，请先截止表决再闭会。");
  input = hall("in_progress", "closed");
  input.status["votes"][0]["state_zh"] = "已截止";
  const auto offered = offered_commands(township(), input);
  closing = find(offered, ConsoleCommand::close_session);
  ASSERT_NE(closing, nullptr);
  EXPECT_TRUE(closing->blocked.empty());
  EXPECT_NE(closing->confirm.find("尚有 3 项表决未完成：《"), std::string::npos) << closing->confirm;
  EXPECT_NE(closing->confirm.find("（已截止）"), std::string::npos) << closing->confirm;
  EXPECT_TRUE(parse_console_intent(township(), input, intent("close-session")));
  input.status["state"] = "closed";
  EXPECT_TRUE(offered_commands(township(), input).empty());  // nothing is offered after 闭会
}

TEST(ChairConsole, ApprovalsAreShownByName) {
  const auto view = console_view(township(), hall("in_progress", "drafted", 5, true, 1), std::nullopt);
  const std::string detail = view["votes"][0]["detail"];
  EXPECT_EQ(detail.find("P01"), std::string::npos) << detail;
  EXPECT_NE(detail.find("主席团批准 1/2（"), std::string::npos) << detail;
}

TEST(ChairConsole, OutcomesSayWhatHappenedOrWhatToDoNext) {
  const ConsoleRequest close{ConsoleCommand::close_vote, "V1", ""};
  const auto done = command_succeeded(township(), close, {{"round", 1}, {"issued", 5}, {"ballots", 4}});
  EXPECT_TRUE(done.ok);
  EXPECT_NE(done.text.find("发出 5 张，收回 4 张"), std::string::npos) << done.text;
  EXPECT_NE(done.text.find("解密"), std::string::npos) << done.text;

  const auto refused = command_refused(close, "wrong_state", "表决已截止 / the vote is closed");
  EXPECT_FALSE(refused.ok);
  EXPECT_NE(refused.text.find("表决已截止"), std::string::npos);
  EXPECT_EQ(refused.text.find("the vote is closed"), std::string::npos) << refused.text;  // Chinese only
  EXPECT_NE(refused.text.find("请按页面上的当前状态操作"), std::string::npos);
  EXPECT_EQ(refused.text.find("“截止表决”未执行："), 0u)
      << refused.text;  // the button's words, not "close-vote"

  const auto lost = command_refused(close, "", "timed out");
  EXPECT_NE(lost.text.find("没有应答"), std::string::npos);
  EXPECT_NE(lost.text.find("查看状态再决定是否重试"), std::string::npos);

  const auto storage = command_refused(close, "internal", "写入失败 / write failed");
  EXPECT_NE(storage.text.find("什么也没有改变"), std::string::npos);

  const auto view = console_view(township(), hall("in_progress", "closed"), refused);
  EXPECT_FALSE(view["notice"]["ok"]);
}

}  // namespace
}  // namespace hallvote::setup
