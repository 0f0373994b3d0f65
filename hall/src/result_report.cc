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

// The names of the officials `ids` names, joined by 、 ("—" when none).
std::string names_of(const session::SessionDefinition& session, const json& ids) {
  std::string out;
  if (!ids.is_array()) return "—";
  for (const auto& id : ids) {
    const std::string text = id.is_string() ? id.get<std::string>() : id.dump();
    const auto* official = session.find_official(text);
    out += (out.empty() ? "" : "、") + (official != nullptr ? official->name : text);
  }
  return out.empty() ? "—" : out;
}

// The titles of the items `ids` names, joined by 、.
std::string titles_of(const session::SessionDefinition& session, const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    const std::string_view title = session.item_title(id);
    out += (out.empty() ? "" : "、") + std::string(title.empty() ? std::string_view(id) : title);
  }
  return out;
}

}  // namespace

std::string result_table(const session::SessionDefinition& session, const std::string& vote_id,
                         const std::string& title, const std::string& kind, const json& r) {
  auto outcome = protocol::ResultOutcome::from_json(r);
  if (!outcome)
    return "表决 " + vote_id + "：结果无法读取 / unreadable result: " + outcome.error().detail + "\n";
  const session::RoundResult& round = outcome->round;
  const session::BallotAccounting& a = round.accounting;
  std::ostringstream out;
  out << "表决 " << vote_id << "：" << title << "（第 " << round.spec.number << " 轮）\n"
      << "  应到 " << round.in_office << "  实到 " << round.present << "  发出 " << a.issued << "  收回 "
      << a.returned << "  有效 " << a.valid << "  无效 " << a.invalid << "  未按 " << round.no_ballot;
  if (kind != "satisfaction") out << "  通过票数 " << round.threshold;  // nothing passes in a 满意度测评
  out << "\n";
  const char* header = kind == "choose"         ? "得票 名次  结果"
                       : kind == "satisfaction" ? "满意 基本 不满 (弃权) 未表态  结果"
                                                : "赞成 反对 弃权 未表态  结果";
  out << "  " << pad_to_columns("项目 / item", 34) << header << "\n";
  for (std::size_t i = 0; i < round.items.size(); ++i) {
    const session::ItemResult& item = round.items[i];
    out << "  " << pad_to_columns(fit_to_columns(outcome->titles[i], 33), 34);
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
    out << "  下一轮：第 " << next->number << " 轮，" << session::display_name_zh(next->purpose) << "，"
        << titles_of(session, next->items) << "，名额 " << next->places << " / next round " << next->number
        << "\n";
  }
  return out.str();
}

std::string certification_line(const session::SessionDefinition& session, const json& progress) {
  std::ostringstream out;
  out << "已签名：" << names_of(session, progress.value("signed", json::array()));
  const json missing = progress.value("missing", json::array());
  if (!missing.empty()) out << "；尚缺监票人：" << names_of(session, missing);
  out << "；主席团成员 " << progress.value("presidium_signed", 0) << "/"
      << progress.value("presidium_needed", 0)
      << (progress.value("complete", false) ? "（已确认）" : "（待签）");
  return out.str();
}

std::string official_words(const session::SessionDefinition& session, const std::string& official_id) {
  const auto* official = session.find_official(official_id);
  if (official == nullptr) return official_id;
  return official->name + "（" + std::string(session::display_name_zh(official->role)) + "）";
}

}  // namespace hallvote::setup
