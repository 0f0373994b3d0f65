// Builds session definitions in code for the rules-engine and state-machine tests.
#pragma once

#include <string>

#include "hallvote/session/definition.h"

namespace hallvote::session::testing {

// A session with `in_office` deputies in office plus `not_in_office` who are not, projects "P1".."P<projects>",
// motion "M1" and a committee of 3 with quorum 2. No votes; add them with add_vote().
inline SessionDefinition make_session(std::uint32_t in_office, std::uint32_t not_in_office = 0,
                                      std::uint32_t projects = 5) {
  SessionDefinition def;
  def.info = {"t-1-1", "测试县第一届人民代表大会第一次会议", Level::county, "2025-01-08", "会堂"};
  for (std::uint32_t i = 1; i <= in_office + not_in_office; ++i) {
    const std::string key = std::string(60, '0') + std::to_string(1000 + i);
    def.roster.push_back({"D" + std::to_string(i), "代表" + std::to_string(i), "", "", key, i <= in_office});
  }
  for (std::uint32_t i = 1; i <= projects; ++i) {
    def.projects.push_back(
        {"P" + std::to_string(i), "项目" + std::to_string(i), "教育", 1000000, "县教育局", ""});
  }
  def.motions.push_back({"M1", "关于民生实事项目的决定（草案）", ""});
  for (const char* id : {"K1", "K2", "K3"}) {
    def.key_committee.members.push_back(
        {id, std::string("成员") + id, OfficialRole::presidium_member, std::string(64, id[1]), ""});
  }
  def.key_committee.quorum = 2;
  return def;
}

// Adds vote "V" of `kind` over `items` and returns a reference to it.
inline VoteDefinition& add_vote(SessionDefinition& def, VoteKind kind, std::vector<std::string> items,
                                std::uint32_t places = 0) {
  VoteDefinition vote;
  vote.id = "V" + std::to_string(def.votes.size() + 1);
  vote.title = "测试表决";
  vote.kind = kind;
  vote.items = std::move(items);
  vote.places = places;
  def.votes.push_back(std::move(vote));
  return def.votes.back();
}

inline std::vector<std::string> projects(std::uint32_t count) {
  std::vector<std::string> ids;
  for (std::uint32_t i = 1; i <= count; ++i) ids.push_back("P" + std::to_string(i));
  return ids;
}

}  // namespace hallvote::session::testing
