// The four PDF documents: 主席团公告, 决定, 满意度测评结果报告, 计票结果报告单. Wording templates:
// docs/records.md §4; the session may replace the 决定 and 公告 sentences (session/record_wording.h).
#include <algorithm>
#include <map>

#include "hallvote/session/rules_config.h"
#include "pdf.h"
#include "records_internal.h"
#include "text.h"

namespace hallvote::records::internal {
namespace {

// GB/T 9704-2012: the body in 仿宋 三号 (16 pt) on 22 lines of the 225 mm type area, 28 characters a line; the
// title in a 小标宋-like face 二号 (22 pt) on the same line grid; first-level headings in 黑体 三号; the 题注
// of a 决定 and the number of a 公告 in 楷体 三号, as county congresses print them.
constexpr double kLine = 225 * 72.0 / 25.4 / 22;  // 28.99 pt
// Letter spacing for 28 characters a line; 0.01 pt less, so that rounding never pushes the 28th off the line.
constexpr double kTrack = 156 * 72.0 / 25.4 / 28 - 16 - 0.01;
const Style kTitle{Face::title, 22, Align::center, 0, 0, 0, kLine, 0, 0, 0, true};
const Style kSubtitle{Face::fang, 16, Align::center, 0, 0, 0, kLine, 0, 0, 0};
const Style kKaiLine{Face::kai, 16, Align::center, 0, 0, 0, kLine, 0, 0, kTrack};
const Style kBody{Face::fang, 16, Align::left, 2 * (16 + kTrack), 0, 0, kLine,
                  0,          0,  kTrack};  // indent: 2 grid cells
const Style kSigned{Face::fang, 16, Align::right, 0, 0, 0, kLine, 0, 0, 0};
const Style kSmall{Face::fang, 14, Align::left, 0, 0, 0, 22, 0, 0, 0};
const Style kSmallHeading{Face::hei, 14, Align::left, 0, 6, 0, 22, 66, 0, 0};
const Style kNote{Face::fang, 12, Align::left, 0, 4, 0, 17, 0, 0, 0};
const Style kHash{Face::mono, 8, Align::left, 0, 0, 0, 11, 0, 0.25, 0};

std::string num(std::uint64_t n) { return std::to_string(n); }

std::string kind_description(const session::VoteDefinition& vote) {
  std::string out(session::display_name_zh(vote.kind));
  if (vote.kind == session::VoteKind::choose) {
    out += "（" + num(vote.items.size()) + "选" + num(vote.places) + "）";
  }
  return out;
}

std::string year_for(const RecordSet& set, const VoteRecord& vote) {
  std::string year = text::year_of(vote.vote->title);
  if (year.empty()) year = text::year_of(set.session->info.body);
  if (year.empty()) year = num(static_cast<std::uint64_t>(text::china_time(vote.date_ms).year));
  return year;
}

// A title broken only between its phrases (pdf.h): the session body, "关于…", the subject up to "人民政府",
// "<year>年度…", and the document name keep together.
std::string phrased_title(const std::string& title) {
  static const char* const kBreakAfter[] = {"会议", "人民政府", "主席团", "年度"};
  static const char* const kBreakBefore[] = {"关于",     "民生实事", "满意度测评",
                                             "结果报告", "计票结果", "的决定"};
  std::vector<std::size_t> cuts{0, title.size()};
  for (const char* word : kBreakAfter) {
    for (std::size_t at = title.find(word); at != std::string::npos; at = title.find(word, at + 1))
      cuts.push_back(at + std::string_view(word).size());
  }
  for (const char* word : kBreakBefore) {
    for (std::size_t at = title.find(word); at != std::string::npos; at = title.find(word, at + 1))
      cuts.push_back(at);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::string out;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) out += keep(title.substr(cuts[i], cuts[i + 1] - cuts[i]));
  return out;
}

void title(Document& doc, const std::string& text) { doc.paragraph(phrased_title(text), kTitle); }

// "总监票人：姚光华；监票人：何凤勇、钟春婷；主席团成员：蒋小勇" — roles in that order, names in signing order.
std::string signer_line(const std::vector<Signer>& signers) {
  std::string out;
  for (const char* role : {"chief_scrutineer", "scrutineer", "presidium_member"}) {
    std::string names;
    for (const Signer& s : signers) {
      if (s.role != role) continue;
      if (!names.empty()) names += "、";
      names += s.name;
    }
    if (names.empty()) continue;
    if (!out.empty()) out += "；";
    out += text::role_zh(role) + "：" + names;
  }
  return out.empty() ? std::string("（无）") : out;
}

Table accounting_table(const VoteRecord& vote) {
  Table t;
  t.columns = {{"轮次", true, Align::left}};
  for (const char* h : {"应到", "实到", "发出", "收回", "有效", "无效", "未按"})
    t.columns.push_back({h, false, Align::center});
  for (const RoundRecord& r : vote.rounds) {
    const Outcome& o = r.parsed;
    t.rows.push_back({"第" + num(o.round) + "轮（" + r.purpose_zh + "）", num(o.in_office), num(o.present),
                      num(o.issued), num(o.returned), num(o.valid), num(o.invalid), num(o.no_ballot)});
  }
  return t;
}

// The items of a round with their counts and, for the tally report, the 说明 (reason_zh) in a line under each.
Table items_table(const session::VoteDefinition& vote, const Outcome& o, bool with_reason) {
  Table t;
  t.columns.push_back({"序号", false, Align::center});
  switch (vote.kind) {
    case session::VoteKind::choose:
      t.columns.push_back({"项目名称", true, Align::left});
      t.columns.push_back({"得票", false, Align::center});
      t.columns.push_back({"名次", false, Align::center});
      break;
    case session::VoteKind::per_item:
      t.columns.push_back({"事项", true, Align::left});
      for (const char* h : {"赞成", "反对", "弃权", "未表态"}) t.columns.push_back({h, false, Align::center});
      break;
    case session::VoteKind::satisfaction:
      t.columns.push_back({"项目名称", true, Align::left});
      for (const char* h : {"满意", "基本满意", "不满意"}) t.columns.push_back({h, false, Align::center});
      if (vote.allow_abstain) t.columns.push_back({"弃权", false, Align::center});
      t.columns.push_back({"未表态", false, Align::center});
      if (!with_reason) t.columns.push_back({"满意率", false, Align::center});
      break;
  }
  t.columns.push_back(
      {vote.kind == session::VoteKind::satisfaction ? "测评结果" : "结果", false, Align::center});
  if (with_reason) t.size = 10.5;
  for (std::size_t i = 0; i < o.items.size(); ++i) {
    const ItemOutcome& item = o.items[i];
    std::vector<std::string> row{num(i + 1), item.title};
    switch (vote.kind) {
      case session::VoteKind::choose:
        row.push_back(num(item.totals.at(0)));
        row.push_back(item.rank > 0 ? num(item.rank) : std::string("—"));
        break;
      case session::VoteKind::per_item:
        for (std::uint32_t v : item.totals) row.push_back(num(v));
        row.push_back(num(item.blank));
        break;
      case session::VoteKind::satisfaction:
        for (std::uint32_t v : item.totals) row.push_back(num(v));
        row.push_back(num(item.blank));
        if (!with_reason)
          row.push_back(text::percent(std::uint64_t{item.totals.at(0)} + item.totals.at(1), o.valid));
        break;
    }
    row.push_back(item.verdict_zh);
    if (with_reason) t.notes.push_back(item.reason_zh.empty() ? std::string() : "说明：" + item.reason_zh);
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string threshold_line(const session::VoteDefinition& vote, const Outcome& o) {
  std::string line;
  if (o.base > 0) {
    const char* unit = vote.threshold_base == session::ThresholdBase::valid ? "张" : "名";
    line = "表决基数：" + std::string(session::base_words_zh(vote.threshold_base)) + num(o.base) + unit +
           "，过半数为" + num(o.threshold) + "票。";
  }
  if (!o.quorum_met) line += "实到代表未达到法定人数，本轮投票未能计入。";
  return line;
}

Verification verification_for(const CheckpointRef& c) {
  return {checkpoint_payload(c),
          {"审计日志检查点  " + c.origin, "条目数 " + num(c.size) + "  根哈希（SHA-256）：",
           c.root_hex.substr(0, 32), c.root_hex.substr(32)}};
}

PdfMeta meta_for(const RecordSet& set, const VoteRecord& vote, std::string title) {
  PdfMeta m;
  m.title = std::move(title);
  m.subject = set.session->info.body;
  m.date_iso = text::iso_datetime(vote.certified_time_ms);
  return m;
}

// "一、城区学校扩容；" … "十、…。": the names kept whole on a line.
void numbered_list(Document& doc, const std::vector<AdoptedItem>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    doc.paragraph(
        text::chinese_number(i + 1) + "、" + keep(items[i].title) + (i + 1 == items.size() ? "。" : "；"),
        kBody);
  }
}

// The issuer and date at the foot of a document: one blank line, then the issuer two characters from the right
// and the date under it (GB/T 9704-2012 §7.3.5.1).
void signed_by(Document& doc, const std::string& issuer, std::int64_t time_ms) {
  doc.need(3 * kLine);
  doc.space(kLine);
  doc.paragraph(issuer + "　　", kSigned);
  doc.paragraph(text::date_zh(time_ms) + "　　　　", kSigned);
}

// ---- 主席团公告
// ------------------------------------------------------------------------------------------------

void announcement(Document& doc, const RecordSet& set, const VoteRecord& vote, std::uint32_t number) {
  const std::string& body = set.session->info.body;
  const session::RecordWording& w = set.session->records;
  const std::string year = year_for(set, vote);
  doc.paragraph(keep(body), kTitle);
  doc.paragraph("主席团公告", kTitle);
  doc.paragraph("（第" + text::chinese_number(number) + "号）", kKaiLine);
  doc.space(kLine);
  const std::vector<AdoptedItem> adopted = adopted_items(vote);
  const std::map<std::string, std::string> values{
      {"body", body}, {"date", text::date_zh(vote.date_ms)}, {"year", year}, {"count", num(adopted.size())}};
  if (adopted.empty()) {
    doc.paragraph(session::fill_template(w.announcement_none, values), kBody);
  } else {
    doc.paragraph(session::fill_template(w.announcement_opening, values), kBody);
    numbered_list(doc, adopted);
  }
  doc.paragraph(session::fill_template(w.announcement_closing, values), kBody);
  signed_by(doc, body + "主席团", vote.certified_time_ms);
}

// ---- 决定
// ------------------------------------------------------------------------------------------------------

// "汉阴县人民政府2025年度民生实事项目" from "…关于汉阴县人民政府2025年度民生实事项目的决定（草案）".
std::string decision_subject(const std::string& title, const std::string& year) {
  const std::string about = "关于";
  const std::string tail = "的决定";
  const std::size_t a = title.find(about);
  const std::size_t t = title.rfind(tail);
  if (a != std::string::npos && t != std::string::npos && t > a + about.size()) {
    return title.substr(a + about.size(), t - a - about.size());
  }
  return year + "年度民生实事项目";
}

// The government the 决定 addresses: the subject up to "人民政府" ("汉阴县人民政府"), else by level.
std::string government_of(const std::string& subject, session::Level level) {
  const std::string marker = "人民政府";
  if (const std::size_t at = subject.find(marker); at != std::string::npos)
    return subject.substr(0, at + marker.size());
  return level == session::Level::county ? "县人民政府" : "乡镇人民政府";
}

void decision(Document& doc, const RecordSet& set, const VoteRecord& vote, const std::string& motion_id) {
  const session::SessionDefinition& session = *set.session;
  const std::string& body = session.info.body;
  const session::Motion* motion = session.find_motion(motion_id);
  const std::string title_text = text::strip_draft(motion != nullptr ? motion->title : motion_id);
  std::string year = text::year_of(title_text);
  if (year.empty()) year = year_for(set, vote);
  title(doc, title_text);
  doc.paragraph("（" + keep(text::date_zh(vote.date_ms)) + keep(body + "通过）"), kKaiLine);
  doc.space(kLine);
  const std::string subject = decision_subject(title_text, year);

  std::vector<const VoteRecord*> choose_votes;
  for (const VoteRecord& v : set.votes) {
    if (v.vote->kind == session::VoteKind::choose) choose_votes.push_back(&v);
  }
  const session::RecordWording& w = session.records;
  std::map<std::string, std::string> values{
      {"body", body},
      {"date", text::date_zh(vote.date_ms)},
      {"year", year},
      {"count", "0"},
      {"subject", subject},
      {"title", title_text},
      {"government", government_of(subject, session.info.level)},
      {"standing_committee",
       session.info.level == session::Level::county ? "县人民代表大会常务委员会" : "乡镇人民代表大会主席团"}};
  const std::string basis = session::fill_template(w.decision_basis, values);
  if (choose_votes.empty()) doc.paragraph(basis + session::fill_template(w.decision_none, values), kBody);
  for (const VoteRecord* cv : choose_votes) {
    const std::vector<AdoptedItem> adopted = adopted_items(*cv);
    values["count"] = num(adopted.size());
    doc.paragraph(basis + session::fill_template(w.decision_opening, values), kBody);
    numbered_list(doc, adopted);
  }
  if (!w.decision_operative.empty()) doc.paragraph(session::fill_template(w.decision_operative, values), kBody);
}

// ---- 满意度测评结果报告
// ------------------------------------------------------------------------------------------

void satisfaction(Document& doc, const RecordSet& set, const VoteRecord& vote) {
  const std::string& body = set.session->info.body;
  const Outcome& o = vote.rounds.back().parsed;
  title(doc, vote.vote->title + "结果报告");
  doc.space(kLine / 2);
  doc.paragraph(body + "于" + text::date_zh(vote.date_ms) + "对" + num(vote.vote->items.size()) +
                    "个项目进行了满意度测评。应到代表" + num(o.in_office) + "名，实到" + num(o.present) +
                    "名，发出测评票" + num(o.issued) + "张，收回" + num(o.returned) + "张，其中有效票" +
                    num(o.valid) + "张，无效票" + num(o.invalid) + "张，未按" + num(o.no_ballot) +
                    "名。测评结果如下：",
                kBody);
  doc.space(6);
  doc.table(items_table(*vote.vote, o, false));
  std::string rule = "说明：满意率＝（满意票＋基本满意票）÷有效票，以百分数保留一位小数，第二位小数四舍五入。";
  if (o.base > 0) {
    const std::string words(session::base_words_zh(vote.vote->threshold_base));
    rule += "满意票达到" + words + "过半数（" + num(o.threshold) +
            "票）的评为满意；满意票与基本满意票合计达到" + num(o.threshold) +
            "票的评为基本满意；其余评为不满意。";
  }
  doc.paragraph(rule, kNote);
  signed_by(doc, body + "主席团", vote.certified_time_ms);
}

// ---- 计票结果报告单
// ----------------------------------------------------------------------------------------------

void tally_report(Document& doc, const RecordSet& set, const VoteRecord& vote) {
  const session::SessionDefinition& session = *set.session;
  title(doc, vote.vote->title);
  doc.paragraph("计票结果报告单", kTitle);
  doc.paragraph(keep(session.info.body), kSubtitle);
  doc.space(8);
  doc.paragraph("表决方式：" + kind_description(*vote.vote) + "；表决日期：" + text::date_zh(vote.date_ms) +
                    "；共" + num(vote.rounds.size()) + "轮投票。",
                kSmall);
  doc.space(4);
  doc.table(accounting_table(vote));
  for (const RoundRecord& r : vote.rounds) {
    const Outcome& o = r.parsed;
    doc.paragraph("第" + num(o.round) + "轮（" + r.purpose_zh + "）", kSmallHeading);
    doc.paragraph(text::datetime_zh(r.closed_time_ms) + "投票结束，收到选票" + num(r.ballots) + "张；" +
                      text::datetime_zh(r.result_time_ms) + "完成计票。" + threshold_line(*vote.vote, o),
                  kSmall);
    doc.space(4);
    doc.table(items_table(*vote.vote, o, true));
    doc.space(4);
    if (!o.summary_zh.empty()) doc.paragraph(o.summary_zh, kSmall);
    for (const std::string& d : o.decisions_zh) doc.paragraph(d, kSmall);
    std::string holders;
    for (const std::string& id : o.decrypted_by) {
      const session::Official* official = session.find_official(id);
      if (!holders.empty()) holders += "、";
      holders += official != nullptr
                     ? official->name + "（" + std::string(session::display_name_zh(official->role)) + "）"
                     : id;
    }
    if (!holders.empty()) doc.paragraph("计票由" + holders + "共同开启计票密钥完成。", kSmall);
    doc.paragraph(r.signers.empty() ? std::string("本轮计票结果未经签署。")
                                    : "电子签署：" + signer_line(r.signers) + "。",
                  kSmall);
    doc.paragraph("计票结果数据指纹（SHA-256）：" + r.result_hash_hex, kHash);
  }
  // The paper copy is signed by hand and filed: one line per official who certified the last round.
  doc.need(kSmallHeading.space_before + kSmallHeading.pitch +
           30.0 * static_cast<double>(vote.signers.size() + 1));
  doc.paragraph("签名", kSmallHeading);
  Table signatures;
  signatures.columns = {{"身份", false, Align::center},
                        {"姓名", false, Align::center},
                        {"电子签署时间", false, Align::center},
                        {"签名", true, Align::center}};
  signatures.min_row_height = 30;
  signatures.keep_together = true;
  for (const Signer& s : vote.signers) {
    signatures.rows.push_back({text::role_zh(s.role), s.name, text::datetime_zh(s.time_ms), ""});
  }
  doc.table(signatures);
}

}  // namespace

Result<std::string> render_document(const RecordSet& set, const PlannedDocument& planned,
                                    const FontSet& fonts) {
  const VoteRecord& vote = set.votes.at(planned.vote);
  const Verification verification = verification_for(set.closing);
  switch (planned.kind) {
    case DocumentKind::announcement:
      return Document::render(fonts, meta_for(set, vote, set.session->info.body + "主席团公告"), planned.name,
                              verification,
                              [&](Document& doc) { announcement(doc, set, vote, planned.number); });
    case DocumentKind::decision: {
      const session::Motion* motion = set.session->find_motion(planned.motion_id);
      const std::string title = text::strip_draft(motion != nullptr ? motion->title : planned.motion_id);
      return Document::render(fonts, meta_for(set, vote, title), planned.name, verification,
                              [&](Document& doc) { decision(doc, set, vote, planned.motion_id); });
    }
    case DocumentKind::satisfaction:
      return Document::render(fonts, meta_for(set, vote, vote.vote->title + "结果报告"), planned.name,
                              verification, [&](Document& doc) { satisfaction(doc, set, vote); });
    case DocumentKind::tally_report:
      return Document::render(fonts, meta_for(set, vote, vote.vote->title + "计票结果报告单"), planned.name,
                              verification, [&](Document& doc) { tally_report(doc, set, vote); });
  }
  return fail(RecordsErrc::render_failed, planned.name + ": unknown document kind");
}

}  // namespace hallvote::records::internal
