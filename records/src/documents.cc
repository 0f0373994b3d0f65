// The four PDF documents: 主席团公告, 决定, 满意度测评结果报告, 计票结果报告单. Wording templates:
// docs/records.md §4.
#include <algorithm>

#include "hallvote/session/rules_config.h"
#include "pdf.h"
#include "records_internal.h"
#include "text.h"

namespace hallvote::records::internal {
namespace {

const Style kTitle{Face::serif_bold, 19, Align::center, 0, 0, 6, 1.25, 0};
const Style kSubtitle{Face::serif, 14, Align::center, 0, 0, 4, 1.2, 0};
const Style kBody{Face::serif, 14, Align::left, 28, 0, 3, 1.5, 0};
const Style kListItem{Face::serif, 14, Align::left, 28, 0, 0, 1.5, 0};
const Style kRight{Face::serif, 14, Align::right, 0, 0, 0, 1.5, 0};
const Style kHeading{Face::sans_bold, 12.5, Align::left, 0, 10, 5, 1.2, 0};
const Style kSubheading{Face::sans_bold, 10.5, Align::left, 0, 6, 3, 1.2, 0};
const Style kSmall{Face::sans, 10, Align::left, 0, 2, 3, 1.3, 0};
const Style kNote{Face::sans, 9, Align::left, 0, 2, 2, 1.3, 0.25};
const Style kCaption{Face::mono, 8, Align::left, 0, 0, 0, 1.1, 0};

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

std::string official_label(const session::SessionDefinition& session, const std::string& id) {
  const session::Official* o = session.find_official(id);
  if (o == nullptr) return id;
  return o->name + "（" + std::string(session::display_name_zh(o->role)) + "）";
}

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
  t.columns = {{"轮次", 2.6, Align::left}, {"应到", 1, Align::center}, {"实到", 1, Align::center},
               {"发出", 1, Align::center}, {"收回", 1, Align::center}, {"有效", 1, Align::center},
               {"无效", 1, Align::center}, {"未按", 1, Align::center}};
  for (const RoundRecord& r : vote.rounds) {
    const Outcome& o = r.parsed;
    t.rows.push_back({"第" + num(o.round) + "轮（" + r.purpose_zh + "）", num(o.in_office), num(o.present),
                      num(o.issued), num(o.returned), num(o.valid), num(o.invalid), num(o.no_ballot)});
  }
  return t;
}

std::string count_and_percent(std::uint32_t count, std::uint32_t valid) {
  return num(count) + "\n" + text::percent(count, valid);
}

Table items_table(const session::VoteDefinition& vote, const Outcome& o, bool with_reason) {
  Table t;
  t.columns.push_back({"序号", 0.55, Align::center});
  switch (vote.kind) {
    case session::VoteKind::choose:
      t.columns.push_back({"项目名称", with_reason ? 1.8 : 4.0, Align::left});
      t.columns.push_back({"得票", 0.8, Align::center});
      t.columns.push_back({"名次", 0.7, Align::center});
      break;
    case session::VoteKind::per_item:
      t.columns.push_back({"事项", with_reason ? 2.2 : 3.2, Align::left});
      for (const char* h : {"赞成", "反对", "弃权", "未表态"}) t.columns.push_back({h, 0.7, Align::center});
      break;
    case session::VoteKind::satisfaction:
      t.columns.push_back({"项目名称", with_reason ? 2.0 : 2.6, Align::left});
      for (const char* h : {"满意", "基本满意", "不满意"}) t.columns.push_back({h, 0.8, Align::center});
      if (vote.allow_abstain) t.columns.push_back({"弃权", 0.7, Align::center});
      t.columns.push_back({"未表态", 0.7, Align::center});
      break;
  }
  t.columns.push_back({vote.kind == session::VoteKind::satisfaction ? "测评结果" : "结果", 1.2, Align::center});
  if (with_reason) {
    t.columns.push_back({"说明", 3.4, Align::left});
    t.size = 9.5;
  }
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
        for (std::uint32_t v : item.totals) row.push_back(count_and_percent(v, o.valid));
        row.push_back(num(item.blank));
        break;
    }
    row.push_back(item.verdict_zh);
    if (with_reason) row.push_back(item.reason_zh);
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string threshold_line(const session::VoteDefinition& vote, const Outcome& o) {
  std::string line;
  if (o.base > 0) {
    const char* unit = vote.threshold_base == session::ThresholdBase::valid ? " 张" : " 名";
    line = "表决基数：" + std::string(session::base_words_zh(vote.threshold_base)) + " " + num(o.base) + unit +
           "，过半数为 " + num(o.threshold) + " 票。";
  }
  if (!o.quorum_met) line += "实到代表未达到法定人数，本轮投票未能计入。";
  return line;
}

// The 计票结果 of one vote: accounting, per round the items, the signers.
void vote_appendix(Document& doc, const RecordSet& set, const VoteRecord& vote, const std::string& heading,
                   bool with_reason) {
  doc.keep(120);
  doc.paragraph(heading, kHeading);
  doc.paragraph(
      "表决方式：" + kind_description(*vote.vote) + "；表决日期：" + text::date_zh(vote.date_ms) + "。",
      kSmall);
  doc.table(accounting_table(vote));
  for (const RoundRecord& r : vote.rounds) {
    doc.keep(80);
    doc.paragraph("第" + num(r.parsed.round) + "轮（" + r.purpose_zh + "）", kSubheading);
    if (const std::string line = threshold_line(*vote.vote, r.parsed); !line.empty())
      doc.paragraph(line, kSmall);
    doc.table(items_table(*vote.vote, r.parsed, with_reason));
    if (!r.parsed.summary_zh.empty()) doc.paragraph(r.parsed.summary_zh, kSmall);
    for (const std::string& decision : r.parsed.decisions_zh) doc.paragraph(decision, kSmall);
  }
  doc.paragraph("签署：" + signer_line(vote.signers) + "（" + text::date_zh(vote.certified_time_ms) + "签署）",
                kSmall);
  (void)set;
}

void checkpoint_block(Document& doc, const CheckpointRef& c) {
  doc.keep(170);  // heading and QR block together
  doc.paragraph("审计日志检查点", kHeading);
  doc.qr(checkpoint_payload(c), 2.2,
         {"日志：" + c.origin, "条目数（树大小）：" + num(c.size), "根哈希（SHA-256）：", c.root_hex,
          "检查点文本 SHA-256：", c.text_sha256_hex, "二维码内容：hallvote-checkpoint/v1 日志 树大小 根哈希。",
          "核验：hallvote-audit verify <审计包>；本文件可由 hallvote-audit export-records "
          "从审计包重新生成并逐字节比对。"},
         kCaption);
}

PdfMeta meta_for(const RecordSet& set, const VoteRecord& vote, std::string title) {
  PdfMeta m;
  m.title = std::move(title);
  m.subject = set.session->info.body;
  m.date_iso = text::iso_datetime(vote.certified_time_ms);
  m.footer_note = "hallvote 记录格式 " + num(kRecordsFormatVersion) + " · 检查点 " + set.closing.origin + " " +
                  num(set.closing.size) + " · 根哈希 " + set.closing.root_hex;
  return m;
}

// ---- 主席团公告
// ------------------------------------------------------------------------------------------------

void announcement(Document& doc, const RecordSet& set, const VoteRecord& vote, std::uint32_t number) {
  const std::string& body = set.session->info.body;
  const std::string year = year_for(set, vote);
  doc.space(24);
  doc.paragraph(body, kTitle);
  doc.paragraph("主席团公告", kTitle);
  doc.paragraph("（第" + text::chinese_number(number) + "号）", kSubtitle);
  doc.space(18);
  const std::vector<AdoptedItem> adopted = adopted_items(vote);
  std::string opening =
      body + "于" + text::date_zh(vote.date_ms) + "进行了" + year + "年度民生实事项目差额票决。";
  if (adopted.empty()) {
    doc.paragraph(opening + "根据票决结果，没有项目确定为" + year + "年度民生实事项目。", kBody);
  } else {
    doc.paragraph(opening + "根据票决结果，确定以下项目为" + year + "年度民生实事项目，共" +
                      num(adopted.size()) + "项，分别是：",
                  kBody);
    for (std::size_t i = 0; i < adopted.size(); ++i) {
      doc.paragraph(
          text::chinese_number(i + 1) + "、" + adopted[i].title + (i + 1 == adopted.size() ? "。" : "；"),
          kListItem);
    }
  }
  doc.paragraph("现予以公告。", kBody);
  doc.space(36);
  doc.paragraph(body + "主席团", kRight);
  doc.paragraph(text::date_zh(vote.certified_time_ms), kRight);
  doc.space(30);
  checkpoint_block(doc, set.closing);
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

void decision(Document& doc, const RecordSet& set, const VoteRecord& vote, const std::string& motion_id) {
  const session::SessionDefinition& session = *set.session;
  const std::string& body = session.info.body;
  const session::Motion* motion = session.find_motion(motion_id);
  const std::string title = text::strip_draft(motion != nullptr ? motion->title : motion_id);
  std::string year = text::year_of(title);
  if (year.empty()) year = year_for(set, vote);
  doc.space(12);
  doc.paragraph(title, kTitle);
  doc.paragraph("（" + text::date_zh(vote.date_ms) + body + "通过）", kSubtitle);
  doc.space(14);
  const std::string subject = decision_subject(title, year);

  std::vector<const VoteRecord*> choose_votes;
  for (const VoteRecord& v : set.votes) {
    if (v.vote->kind == session::VoteKind::choose) choose_votes.push_back(&v);
  }
  if (choose_votes.empty()) {
    doc.paragraph(body + "经全体代表无记名投票表决，通过" + title + "。", kBody);
  }
  for (const VoteRecord* cv : choose_votes) {
    const std::vector<AdoptedItem> adopted = adopted_items(*cv);
    doc.paragraph(
        body + "经全体代表无记名投票差额票决，决定以下" + num(adopted.size()) + "个项目为" + subject + "：",
        kBody);
    for (std::size_t i = 0; i < adopted.size(); ++i) {
      const AdoptedItem& a = adopted[i];
      std::string votes = "得票" + num(a.votes) + "票";
      if (a.round > 1) votes = "第" + num(a.round) + "轮投票" + votes;
      if (a.rank > 0) votes += "，第" + num(a.rank) + "名";
      doc.paragraph(text::chinese_number(i + 1) + "、" + a.title + "（" + votes + "）" +
                        (i + 1 == adopted.size() ? "。" : "；"),
                    kListItem);
    }
  }
  for (const ItemOutcome& item : vote.rounds.back().parsed.items) {
    if (item.item_id != motion_id) continue;
    const Outcome& o = vote.rounds.back().parsed;
    doc.paragraph("本决定经大会全体会议无记名投票表决通过：应到代表" + num(o.in_office) + "名，实到" +
                      num(o.present) + "名，赞成" + num(item.totals.at(0)) + "票，反对" +
                      num(item.totals.at(1)) + "票，弃权" + num(item.totals.at(2)) + "票，未按" +
                      num(o.no_ballot) + "名。",
                  kBody);
  }

  doc.new_page();
  doc.paragraph("附：计票结果", kTitle);
  doc.space(6);
  std::uint32_t section = 0;
  for (const VoteRecord* cv : choose_votes) {
    doc.paragraph("", kNote);
    vote_appendix(doc, set, *cv, text::chinese_number(++section) + "、" + cv->vote->title, false);
  }
  vote_appendix(doc, set, vote, text::chinese_number(++section) + "、" + vote.vote->title, false);
  checkpoint_block(doc, set.closing);
}

// ---- 满意度测评结果报告
// ------------------------------------------------------------------------------------------

void satisfaction(Document& doc, const RecordSet& set, const VoteRecord& vote) {
  const std::string& body = set.session->info.body;
  const RoundRecord& last = vote.rounds.back();
  const Outcome& o = last.parsed;
  doc.space(12);
  doc.paragraph(vote.vote->title + "结果报告", kTitle);
  doc.paragraph("（" + body + "）", kSubtitle);
  doc.space(12);
  doc.paragraph(body + "于" + text::date_zh(vote.date_ms) + "对" + num(vote.vote->items.size()) +
                    "个项目进行了满意度测评。应到代表" + num(o.in_office) + "名，实到" + num(o.present) +
                    "名，发出测评票" + num(o.issued) + "张，收回" + num(o.returned) + "张，其中有效票" +
                    num(o.valid) + "张，无效票" + num(o.invalid) + "张，未按" + num(o.no_ballot) +
                    "名。测评结果如下：",
                kBody);
  doc.space(4);
  doc.table(items_table(*vote.vote, o, false));
  std::string rule = "说明：百分比为占有效票的比例，保留一位小数（四舍五入）。";
  if (o.base > 0) {
    const std::string words(session::base_words_zh(vote.vote->threshold_base));
    rule += "满意票超过" + words + "半数（达到" + num(o.threshold) + "票）的评为满意；满意与基本满意合计达到" +
            num(o.threshold) + "票的评为基本满意；其余评为不满意。";
  }
  doc.paragraph(rule, kNote);
  for (const ItemOutcome& item : o.items) {
    if (!item.reason_zh.empty()) doc.paragraph(item.title + "：" + item.reason_zh, kNote);
  }
  doc.space(6);
  vote_appendix(doc, set, vote, "计票结果及签署", false);
  checkpoint_block(doc, set.closing);
}

// ---- 计票结果报告单
// ----------------------------------------------------------------------------------------------

void tally_report(Document& doc, const RecordSet& set, const VoteRecord& vote) {
  const session::SessionDefinition& session = *set.session;
  doc.paragraph(vote.vote->title, kTitle);
  doc.paragraph("计票结果报告单", kTitle);
  doc.paragraph(session.info.body, kSubtitle);
  doc.paragraph("表决编号：" + vote.vote->id + "；表决方式：" + kind_description(*vote.vote) + "；表决日期：" +
                    text::date_zh(vote.date_ms) + "；共" + num(vote.rounds.size()) + "轮。",
                kSmall);
  doc.table(accounting_table(vote));
  for (const RoundRecord& r : vote.rounds) {
    const Outcome& o = r.parsed;
    doc.keep(140);
    doc.paragraph("第" + num(o.round) + "轮（" + r.purpose_zh + "）", kHeading);
    doc.paragraph("投票结束：" + text::datetime_zh(r.closed_time_ms) + "（日志条目 " + num(r.closed_sequence) +
                      "，收到选票 " + num(r.ballots) + " 张）；计票结果：" +
                      text::datetime_zh(r.result_time_ms) + "（日志条目 " + num(r.result_sequence) + "）。",
                  kSmall);
    doc.paragraph("应到 " + num(o.in_office) + "，实到 " + num(o.present) + "，发出 " + num(o.issued) +
                      "，收回 " + num(o.returned) + "，有效 " + num(o.valid) + "，无效 " + num(o.invalid) +
                      "，未按 " + num(o.no_ballot) + "。" + threshold_line(*vote.vote, o),
                  kSmall);
    doc.table(items_table(*vote.vote, o, true));
    if (!o.summary_zh.empty()) doc.paragraph(o.summary_zh, kSmall);
    for (const std::string& d : o.decisions_zh) doc.paragraph(d, kSmall);
    std::string trustees;
    for (const std::string& id : o.decrypted_by) {
      if (!trustees.empty()) trustees += "、";
      trustees += official_label(session, id);
    }
    doc.paragraph("解密受托人：" + (trustees.empty() ? std::string("（未记录）") : trustees) + "。", kSmall);
    doc.paragraph("计票结果条目哈希（SHA-256）：" + r.result_hash_hex, kCaption);
    doc.space(4);
    if (r.signers.empty()) {
      doc.paragraph("本轮计票结果未经签署。", kSmall);
      continue;
    }
    doc.paragraph("签署：", kSubheading);
    Table signers;
    signers.columns = {{"身份", 1.1, Align::center},     {"姓名", 1.1, Align::center},
                       {"编号", 0.8, Align::center},     {"签署时间（北京时间）", 1.9, Align::center},
                       {"日志条目", 0.9, Align::center}, {"完成签署", 0.9, Align::center}};
    for (const Signer& s : r.signers) {
      signers.rows.push_back({text::role_zh(s.role), s.name, s.official_id, text::datetime_zh(s.time_ms),
                              num(s.sequence), s.complete ? "是" : ""});
    }
    doc.table(signers);
  }
  checkpoint_block(doc, set.closing);
}

}  // namespace

Result<std::string> render_document(const RecordSet& set, const PlannedDocument& planned,
                                    const FontSet& fonts) {
  const VoteRecord& vote = set.votes.at(planned.vote);
  switch (planned.kind) {
    case DocumentKind::announcement:
      return Document::render(fonts, meta_for(set, vote, set.session->info.body + "主席团公告"), planned.name,
                              [&](Document& doc) { announcement(doc, set, vote, planned.number); });
    case DocumentKind::decision: {
      const session::Motion* motion = set.session->find_motion(planned.motion_id);
      const std::string title = text::strip_draft(motion != nullptr ? motion->title : planned.motion_id);
      return Document::render(fonts, meta_for(set, vote, title), planned.name,
                              [&](Document& doc) { decision(doc, set, vote, planned.motion_id); });
    }
    case DocumentKind::satisfaction:
      return Document::render(fonts, meta_for(set, vote, vote.vote->title + "结果报告"), planned.name,
                              [&](Document& doc) { satisfaction(doc, set, vote); });
    case DocumentKind::tally_report:
      return Document::render(fonts, meta_for(set, vote, vote.vote->title + "计票结果报告单"), planned.name,
                              [&](Document& doc) { tally_report(doc, set, vote); });
  }
  return fail(RecordsErrc::render_failed, planned.name + ": unknown document kind");
}

}  // namespace hallvote::records::internal
