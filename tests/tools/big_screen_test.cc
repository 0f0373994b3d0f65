#include "hallvote/hall/big_screen.h"

#include <gtest/gtest.h>

#include "hallvote/protocol/result_outcome.h"
#include "hallvote/session/loader.h"
#include "hallvote/session/rules.h"

namespace hallvote::setup {
namespace {

using nlohmann::json;

const session::SessionDefinition& township() {
  static const auto session =
      session::load_session(std::string(HALLVOTE_SOURCE_DIR) + "/tests/browser/data/seat-session.toml").value();
  return session;
}

json status(const std::string& v3_state, std::uint64_t present = 5) {
  return {{"session", "示范镇"},
          {"state_zh", "会议进行中"},
          {"in_office", 6},
          {"present", present},
          {"quorum_met", present >= 4},
          {"votes", json::array({{{"vote_id", "V1"}, {"round", 1}, {"state", "certified"}},
                                 {{"vote_id", "V2"}, {"round", 1}, {"state", "drafted"}},
                                 {{"vote_id", "V3"}, {"round", 1}, {"state", v3_state}}})}};
}

json progress(const std::string& state, std::uint64_t returned = 3) {
  return {{"vote_id", "V3"},         {"state", state},       {"state_zh", "x"}, {"round", 1},
          {"purpose", "第一次投票"}, {"returned", returned}, {"issued", 5},     {"present", 5}};
}

// The result answer of V3 (赞成/反对/弃权 on 2 items): item 1 passes 4-1-0, item 2 fails 1-3-1.
json result(bool certified) {
  const session::RoundTally tally{5, {5, 5, 5, 0}, {{4, 1, 0}, {1, 3, 1}}};
  const std::vector<session::RoundTally> rounds{tally};
  auto vote = session::compute_vote_result(township(), "V3", rounds).value();
  const std::vector<std::string> by{"P01", "P02"};
  const auto outcome = protocol::result_outcome(township(), tally, vote, by);
  return {{"vote_id", "V3"}, {"result", outcome.to_json()}, {"certification", {{"complete", certified}}}};
}

TEST(BigScreen, ShowsTheRunningVoteElseTheLastFinished) {
  EXPECT_EQ(big_screen_vote(status("open")), "V3");
  EXPECT_EQ(big_screen_vote(status("held")), "V3");
  EXPECT_EQ(big_screen_vote(status("drafted")), "V1");
  EXPECT_FALSE(big_screen_vote(json{{"votes", json::array()}}));
}

TEST(BigScreen, AttendanceAndTheQuorumLight) {
  auto view = big_screen_view(township(), {status("drafted", 5), {}, {}, true});
  EXPECT_EQ(view["attendance"]["in_office"], 6);
  EXPECT_EQ(view["attendance"]["present"], 5);
  EXPECT_EQ(view["attendance"]["absent"], 1);
  EXPECT_TRUE(view["attendance"]["quorum_met"]);
  EXPECT_EQ(view["attendance"]["quorum_text"], "已达到法定人数");
  view = big_screen_view(township(), {status("drafted", 3), {}, {}, true});
  EXPECT_FALSE(view["attendance"]["quorum_met"]);
  EXPECT_EQ(view["attendance"]["quorum_text"], "未达到法定人数");
}

TEST(BigScreen, NoCountBeforeDecryptionEvenIfAResultIsHandedIn) {
  for (const char* state : {"open", "held", "closed", "tallied"}) {
    const auto view = big_screen_view(township(), {status(state), progress(state), result(false), true});
    EXPECT_TRUE(view["result"].is_null()) << state;
    EXPECT_FALSE(view["vote"].is_null()) << state;
  }
  const auto open = big_screen_view(township(), {status("open"), progress("open", 3), {}, true});
  EXPECT_EQ(open["vote"]["headline"], "表决进行中，已表决 3 人");
  EXPECT_EQ(big_screen_view(township(), {status("held"), progress("held", 4), {}, true})["vote"]["headline"],
            "表决暂停，已表决 4 人");
  EXPECT_EQ(big_screen_view(township(), {status("closed"), progress("closed"), {}, true})["vote"]["headline"],
            "表决已结束，正在计票");
}

TEST(BigScreen, ResultsAfterDecryptionConfirmedOnlyAfterCertification) {
  auto view = big_screen_view(township(), {status("decrypted"), progress("decrypted"), result(false), true});
  ASSERT_TRUE(view["result"].is_object());
  EXPECT_EQ(view["result"]["badge"], "待确认");
  EXPECT_FALSE(view["result"]["certified"]);
  const auto& rows = view["result"]["rows"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["title"], "镇中心小学运动场改造");
  EXPECT_EQ(rows[0]["counts"][0]["label"], "赞成");
  EXPECT_EQ(rows[0]["counts"][0]["value"], 4);
  EXPECT_EQ(rows[0]["counts"][0]["tone"], "for");
  EXPECT_EQ(rows[0]["counts"][1]["tone"], "against");
  EXPECT_EQ(rows[0]["counts"][2]["tone"], "abstain");
  EXPECT_EQ(rows[0]["verdict"], "通过");
  EXPECT_EQ(rows[1]["verdict"], "未通过");
  EXPECT_EQ(view["result"]["scale"], 5);
  view = big_screen_view(township(), {status("certified"), progress("certified"), result(true), true});
  EXPECT_EQ(view["result"]["badge"], "已确认");
}

// A shortfall left to the presidium says so in words and is not offered as awaiting certification; an announced
// vote says 已公告.
TEST(BigScreen, AShortfallAwaitingThePresidiumAndAnAnnouncedVoteAreNamed) {
  session::SessionDefinition session = township();
  session.votes[0].shortfall = session::ShortfallPolicy::presidium;  // V1: choose 2 of 4
  const session::RoundTally tally{5, {5, 5, 5, 0}, {{5, 1, 1, 1}}};  // only SF2026-01 reaches 4
  const std::vector<session::RoundTally> rounds{tally};
  const auto vote = session::compute_vote_result(session, "V1", rounds).value();
  const std::vector<std::string> by{"P01", "P02"};
  json answer = {{"vote_id", "V1"},
                 {"result", protocol::result_outcome(session, tally, vote, by).to_json()},
                 {"certification", {{"complete", false}}},
                 {"current_round", {{"state", "decrypted"}}}};
  json v1_status = status("drafted");
  v1_status["votes"][0]["state"] = "decrypted";
  json v1_progress = progress("decrypted");
  v1_progress["vote_id"] = "V1";
  auto view = big_screen_view(session, {v1_status, v1_progress, answer, true});
  ASSERT_TRUE(view["result"].is_object());
  EXPECT_EQ(view["result"]["badge"], "待主席团决定");
  ASSERT_EQ(view["result"]["decisions"].size(), 1u);
  EXPECT_EQ(view["result"]["decisions"][0],
            "第1轮达到过半数的项目 1 个，少于应选 2 个；是否对未通过的 3 个项目另行投票，待主席团决定");
  answer["certification"]["complete"] = true;
  answer["current_round"]["state"] = "announced";
  view = big_screen_view(session, {v1_status, v1_progress, answer, true});
  EXPECT_EQ(view["result"]["badge"], "已公告");
}

TEST(BigScreen, ALostServerIsShown) {
  const auto view = big_screen_view(township(), {status("open"), progress("open"), {}, false});
  EXPECT_FALSE(view["connected"]);
  EXPECT_EQ(view["connection_text"], "正在连接会场服务器…");
}

}  // namespace
}  // namespace hallvote::setup
