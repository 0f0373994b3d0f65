#include "ctl_format.h"

#include <iomanip>
#include <sstream>

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
  out << "应到 " << text(body, "in_office") << " 人，实到 " << text(body, "present") << " 人，" << quorum(body) << "\n";
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

std::string status(const json& body) {
  std::ostringstream out;
  out << text(body, "session") << "（" << text(body, "state_zh") << " / " << text(body, "state") << "）\n"
      << "应到 " << text(body, "in_office") << " 人，实到 " << text(body, "present") << " 人，" << quorum(body) << "\n";
  const auto& vote = body.value("open_vote", json());
  if (vote.is_object()) {
    out << "正在表决 / open vote: " << text(vote, "vote_id") << "《" << text(vote, "title") << "》第 " << text(vote, "round")
        << " 轮\n";
  } else {
    out << "当前无表决 / no vote open\n";
  }
  return out.str();
}

// Pads UTF-8 text to `width` terminal columns (CJK characters take two).
std::string pad(const std::string& value, std::size_t width) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < value.size();) {
    const auto lead = static_cast<unsigned char>(value[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    columns += length >= 3 ? 2 : 1;
    i += length;
  }
  return value + std::string(columns < width ? width - columns : 0, ' ');
}

// The 计票结果 table of a decrypted round: accounting, then one line per item with its votes and verdict.
std::string result_table(const json& body) {
  const json& r = body.at("result");
  const std::string kind = body.value("kind", "");
  std::ostringstream out;
  out << "表决 " << text(body, "vote_id") << "：" << text(body, "title") << "（第 " << r.value("round", 0) << " 轮）\n"
      << "  应到 " << r.value("in_office", 0) << "  实到 " << r.value("present", 0) << "  发出 " << r.value("issued", 0)
      << "  收回 " << r.value("returned", 0) << "  有效 " << r.value("valid", 0) << "  无效 " << r.value("invalid", 0)
      << "  未按 " << r.value("no_ballot", 0) << "  通过票数 " << r.value("threshold", 0) << "\n";
  const char* header = kind == "choose"         ? "得票 名次  结果"
                       : kind == "satisfaction" ? "满意 基本 不满 (弃权) 未表态  结果"
                                                : "赞成 反对 弃权 未表态  结果";
  out << "  " << pad("项目 / item", 34) << header << "\n";
  for (const auto& item : r.at("items")) {
    out << "  " << pad(item.value("title", item.value("item_id", "")), 34);
    const auto totals = item.at("totals").get<std::vector<std::uint32_t>>();
    for (auto t : totals) out << std::setw(4) << t << " ";
    if (kind == "choose") {
      out << std::setw(4) << item.value("rank", 0);
    } else {
      out << std::setw(5) << item.value("blank", 0);
    }
    out << "  " << item.value("verdict", "") << "\n";
  }
  out << "  " << r.value("summary_zh", "") << "\n";
  for (const auto& item : r.at("items")) {
    out << "    · " << item.value("title", item.value("item_id", "")) << "：" << item.value("reason_zh", "") << "\n";
  }
  if (r.contains("next_round")) out << "  下一轮 / next round: " << r["next_round"].value("purpose", "") << "\n";
  return out.str();
}

}  // namespace

std::string format_answer(const std::string& command, const json& body) {
  std::ostringstream out;
  if (command == "open-sign-in") {
    out << "签到已开始 / sign-in is open\n";
  } else if (command == "start-session") {
    out << "会议开始 / session started：应到 " << text(body, "in_office") << " 人，实到 " << text(body, "present") << " 人\n";
  } else if (command == "prepare-vote") {
    out << "表决 " << text(body, "vote_id") << " 第 " << text(body, "round") << " 轮选票已生成，待主席团批准 / ballot "
        << "prepared, awaiting the presidium's approval\n  基准哈希 / base hash: " << text(body, "base_hash") << "\n";
  } else if (command == "open-vote") {
    out << "表决已开始，选票已向已签到的终端发出 / the vote is open; ballots go out to signed-in terminals\n";
  } else if (command == "resume-vote") {
    out << "表决已恢复 / the vote is resumed\n";
  } else if (command == "hold-vote") {
    out << "表决 " << text(body, "vote_id") << " 已暂停 / held：" << text(body, "reason") << "\n";
  } else if (command == "close-vote") {
    out << "表决 " << text(body, "vote_id") << " 第 " << text(body, "round") << " 轮已截止 / closed：发出 "
        << text(body, "issued") << " 张，收回 " << text(body, "ballots") << " 张 / issued, returned\n";
  } else if (command == "attendance") {
    out << attendance(body);
  } else if (command == "progress") {
    out << "表决 " << text(body, "vote_id") << " 第 " << text(body, "round") << " 轮（" << text(body, "state_zh") << " / "
        << text(body, "state") << "）：主席团批准 " << text(body, "approvals") << "，发出 " << text(body, "issued")
        << " 张，收回 " << text(body, "returned") << " 张，实到 " << text(body, "present") << " 人\n";
  } else if (command == "status") {
    out << status(body);
  } else if (command == "result") {
    out << result_table(body);
  } else {
    out << body.dump(2) << "\n";
  }
  return out.str();
}

}  // namespace hallvote::server_tool
