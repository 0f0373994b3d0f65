#include "ctl_format.h"

#include <sstream>

#include "hallvote/hall/result_report.h"

namespace hallvote::server_tool {
namespace {

using nlohmann::json;

std::string text(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string quorum(const json& body) {
  return body.value("quorum_met", false) ? "已达法定人数 / quorum met" : "未达法定人数 / quorum not met";
}

std::string attendance(const json& body) {
  std::ostringstream out;
  out << "应到 " << text(body, "in_office") << " 人，实到 " << text(body, "present") << " 人，" << quorum(body)
      << "\n";
  std::size_t absent = 0;
  std::ostringstream names;
  for (const auto& deputy : body.value("deputies", json::array())) {
    if (deputy.value("signed_in", false)) continue;
    names << "  " << text(deputy, "id") << " " << text(deputy, "name") << " " << text(deputy, "seat") << "\n";
    ++absent;
  }
  out << "未签到 " << absent << " 人 / not signed in: " << absent << "\n" << names.str();
  return out.str();
}

// The round a vote is at: "第 2 轮（再次投票（票数相等））已起草".
std::string round_line(const std::string& number, const json& round) {
  return "第 " + number + " 轮（" + text(round, "purpose") + "）" + text(round, "state_zh");
}

std::string status(const json& body) {
  std::ostringstream out;
  out << text(body, "session") << "（" << text(body, "state_zh") << "）\n"
      << "应到 " << text(body, "in_office") << " 人，实到 " << text(body, "present") << " 人，" << quorum(body)
      << "\n";
  const auto& vote = body.value("open_vote", json());
  if (vote.is_object()) {
    out << "正在表决 / open vote: " << text(vote, "vote_id") << "《" << text(vote, "title") << "》第 "
        << text(vote, "round") << " 轮\n";
  } else {
    out << "当前无表决 / no vote open\n";
  }
  for (const auto& v : body.value("votes", json::array()))
    out << "  " << text(v, "vote_id") << " " << round_line(text(v, "round"), v) << "\n";
  if (!body.value("writing", true)) out << text(body, "writing_text") << "\n";
  return out.str();
}

// The 计票结果报告单 of the vote's latest decrypted round, its certification, and the round the vote is at now.
std::string result(const session::SessionDefinition& session, const json& body) {
  std::string out = setup::result_table(session, text(body, "vote_id"), text(body, "title"), text(body, "kind"),
                                        body.at("result"));
  if (body.contains("certification"))
    out += "  确认 / certification: " + setup::certification_line(session, body["certification"]) + "\n";
  if (body.contains("result_hash")) {
    out += "  报告哈希 / report hash: " + text(body, "result_hash") + "（日志第 " +
           text(body, "result_sequence") + " 条）\n";
  }
  if (body.contains("current_round"))
    out += "  当前 / now: " + round_line(text(body["current_round"], "number"), body["current_round"]) + "\n";
  return out;
}

}  // namespace

std::string format_answer(const session::SessionDefinition& session, const std::string& command,
                          const json& body) {
  std::ostringstream out;
  if (command == "open-sign-in") {
    out << "签到已开始 / sign-in is open\n";
  } else if (command == "start-session") {
    out << "会议开始 / session started：应到 " << text(body, "in_office") << " 人，实到 "
        << text(body, "present") << " 人\n";
  } else if (command == "prepare-vote") {
    out << "表决 " << text(body, "vote_id") << " 第 " << text(body, "round")
        << " 轮选票已生成，待主席团批准 / ballot "
        << "prepared, awaiting the presidium's approval\n  基准哈希 / base hash: " << text(body, "base_hash")
        << "\n";
  } else if (command == "open-vote") {
    out << "表决已开始，选票已向已签到的终端发出 / the vote is open; ballots go out to signed-in terminals\n";
  } else if (command == "resume-vote") {
    out << "表决已恢复 / the vote is resumed\n";
  } else if (command == "hold-vote") {
    out << "表决 " << text(body, "vote_id") << " 已暂停 / held：" << text(body, "reason") << "\n";
  } else if (command == "close-vote") {
    out << "表决 " << text(body, "vote_id") << " 第 " << text(body, "round") << " 轮已截止 / closed：发出 "
        << text(body, "issued") << " 张，收回 " << text(body, "ballots") << " 张 / issued, returned\n";
  } else if (command == "close-session") {
    out << "会议已闭会 / the session is closed\n";
  } else if (command == "attendance") {
    out << attendance(body);
  } else if (command == "progress") {
    out << "表决 " << text(body, "vote_id") << " 第 " << text(body, "round") << " 轮（"
        << text(body, "state_zh") << "）：主席团批准 " << text(body, "approvals") << "，发出 "
        << text(body, "issued") << " 张，收回 " << text(body, "returned") << " 张，实到 "
        << text(body, "present") << " 人\n";
    if (body.contains("purpose")) out << "  本轮 / this round: " << text(body, "purpose") << "\n";
    if (body.contains("certification") && body["certification"].is_object()) {
      out << "  第 " << text(body["certification"], "round")
          << " 轮计票结果确认 / certification: " << setup::certification_line(session, body["certification"])
          << "\n";
    }
  } else if (command == "status") {
    out << status(body);
  } else if (command == "result") {
    out << result(session, body);
  } else {
    out << body.dump(2) << "\n";
  }
  return out.str();
}

}  // namespace hallvote::server_tool
