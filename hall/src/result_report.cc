#include "hallvote/hall/result_report.h"

#include <iomanip>
#include <sstream>
#include <vector>

#include "hallvote/common/terminal_text.h"

namespace hallvote::setup {
namespace {

using nlohmann::json;

std::string joined(const json& ids) {
  std::string out;
  if (!ids.is_array()) return out;
  for (const auto& id : ids)
    out += (out.empty() ? "" : ", ") + (id.is_string() ? id.get<std::string>() : id.dump());
  return out.empty() ? "—" : out;
}

}  // namespace

std::string result_table(const std::string& vote_id, const std::string& title, const std::string& kind,
                         const json& r) {
  std::ostringstream out;
  out << "表决 " << vote_id << "：" << title << "（第 " << r.value("round", 0) << " 轮）\n"
      << "  应到 " << r.value("in_office", 0) << "  实到 " << r.value("present", 0) << "  发出 "
      << r.value("issued", 0) << "  收回 " << r.value("returned", 0) << "  有效 " << r.value("valid", 0)
      << "  无效 " << r.value("invalid", 0) << "  未按 " << r.value("no_ballot", 0) << "  通过票数 "
      << r.value("threshold", 0) << "\n";
  const char* header = kind == "choose"         ? "得票 名次  结果"
                       : kind == "satisfaction" ? "满意 基本 不满 (弃权) 未表态  结果"
                                                : "赞成 反对 弃权 未表态  结果";
  out << "  " << pad_to_columns("项目 / item", 34) << header << "\n";
  const json items = r.value("items", json::array());
  for (const auto& item : items) {
    out << "  " << pad_to_columns(item.value("title", item.value("item_id", "")), 34);
    for (const auto& t : item.value("totals", json::array())) out << std::setw(4) << t.dump() << " ";
    if (kind == "choose") {
      out << std::setw(4) << item.value("rank", 0);
    } else {
      out << std::setw(5) << item.value("blank", 0);
    }
    out << "  " << item.value("verdict", "") << "\n";
  }
  out << "  " << r.value("summary_zh", "") << "\n";
  for (const auto& item : items) {
    out << "    · " << item.value("title", item.value("item_id", "")) << "：" << item.value("reason_zh", "")
        << "\n";
  }
  if (r.contains("next_round") && r["next_round"].is_object()) {
    const json& next = r["next_round"];
    out << "  下一轮 / next round: 第 " << next.value("number", 0) << " 轮，" << next.value("purpose", "")
        << "，" << joined(next.value("items", json::array())) << "，名额 / places " << next.value("places", 0)
        << "\n";
  }
  return out.str();
}

std::string certification_line(const json& progress) {
  std::ostringstream out;
  out << "已签名 / signed: " << joined(progress.value("signed", json::array()))
      << "；尚缺监票人 / scrutineers missing: " << joined(progress.value("missing", json::array()))
      << "；主席团成员 / presidium " << progress.value("presidium_signed", 0) << "/"
      << progress.value("presidium_needed", 0)
      << (progress.value("complete", false) ? "（已确认 / certified）" : "（待签 / awaiting signatures）");
  return out.str();
}

}  // namespace hallvote::setup
