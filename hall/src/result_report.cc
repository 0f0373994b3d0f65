#include "hallvote/hall/result_report.h"

#include <iomanip>
#include <sstream>
#include <vector>

#include "hallvote/common/terminal_text.h"
#include "hallvote/protocol/result_outcome.h"
#include "hallvote/session/wording.h"

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
  auto outcome = protocol::ResultOutcome::from_json(r);
  if (!outcome)
    return "表决 " + vote_id + "：结果无法读取 / unreadable result: " + outcome.error().detail + "\n";
  const session::RoundResult& round = outcome->round;
  const session::BallotAccounting& a = round.accounting;
  std::ostringstream out;
  out << "表决 " << vote_id << "：" << title << "（第 " << round.spec.number << " 轮）\n"
      << "  应到 " << round.in_office << "  实到 " << round.present << "  发出 " << a.issued << "  收回 "
      << a.returned << "  有效 " << a.valid << "  无效 " << a.invalid << "  未按 " << round.no_ballot
      << "  通过票数 " << round.threshold << "\n";
  const char* header = kind == "choose"         ? "得票 名次  结果"
                       : kind == "satisfaction" ? "满意 基本 不满 (弃权) 未表态  结果"
                                                : "赞成 反对 弃权 未表态  结果";
  out << "  " << pad_to_columns("项目 / item", 34) << header << "\n";
  for (std::size_t i = 0; i < round.items.size(); ++i) {
    const session::ItemResult& item = round.items[i];
    out << "  " << pad_to_columns(outcome->titles[i], 34);
    for (const auto t : item.totals) out << std::setw(4) << t << " ";
    if (kind == "choose") {
      out << std::setw(4) << item.rank;
    } else {
      out << std::setw(5) << item.blank;
    }
    out << "  " << session::display_name_zh(item.verdict) << "\n";
  }
  out << "  " << session::round_summary(round).zh << "\n";
  for (std::size_t i = 0; i < round.items.size(); ++i) {
    out << "    · " << outcome->titles[i] << "：" << session::item_reason(round, round.items[i]).zh << "\n";
  }
  for (const session::Decision& d : outcome->decisions) out << "  " << session::decision_words(d).zh << "\n";
  if (const auto& next = outcome->next_round) {
    out << "  下一轮 / next round: 第 " << next->number << " 轮，" << session::display_name_zh(next->purpose)
        << "，" << joined(next->items) << "，名额 / places " << next->places << "\n";
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
