// results.json and results.csv (docs/records.md §3).
#include <string_view>

#include "records_internal.h"
#include "text.h"

namespace hallvote::records::internal {
namespace {

using nlohmann::json;

json signer_json(const Signer& s) {
  return {{"official_id", s.official_id},
          {"name", s.name},
          {"role", s.role},
          {"role_zh", text::role_zh(s.role)},
          {"time_ms", s.time_ms},
          {"time", text::iso_datetime(s.time_ms)},
          {"sequence", s.sequence},
          {"signature", s.signature_hex},
          {"complete", s.complete}};
}

json item_json(const session::VoteDefinition& vote, const Outcome& o, const ItemOutcome& item) {
  json out = {{"item_id", item.item_id},     {"title", item.title},        {"totals", item.totals},
              {"blank", item.blank},         {"rank", item.rank},          {"verdict", item.verdict_zh},
              {"reason_zh", item.reason_zh}, {"reason_en", item.reason_en}};
  if (vote.kind == session::VoteKind::satisfaction) {
    json percent = json::array();
    for (std::uint32_t v : item.totals) percent.push_back(text::percent(v, o.valid));
    out["percent_of_valid"] = percent;
    out["satisfaction_rate"] = text::percent(std::uint64_t{item.totals.at(0)} + item.totals.at(1), o.valid);
  }
  return out;
}

json round_json(const session::VoteDefinition& vote, const RoundRecord& r) {
  json items = json::array();
  for (const ItemOutcome& item : r.parsed.items) items.push_back(item_json(vote, r.parsed, item));
  json signers = json::array();
  for (const Signer& s : r.signers) signers.push_back(signer_json(s));
  return {{"round", r.parsed.round},
          {"purpose_zh", r.purpose_zh},
          {"closed_sequence", r.closed_sequence},
          {"closed_time_ms", r.closed_time_ms},
          {"closed_at", text::iso_datetime(r.closed_time_ms)},
          {"ballots", r.ballots},
          {"result_sequence", r.result_sequence},
          {"result_time_ms", r.result_time_ms},
          {"result_hash", r.result_hash_hex},
          {"accounting",
           {{"in_office", r.parsed.in_office},
            {"present", r.parsed.present},
            {"issued", r.parsed.issued},
            {"returned", r.parsed.returned},
            {"valid", r.parsed.valid},
            {"invalid", r.parsed.invalid},
            {"no_ballot", r.parsed.no_ballot}}},
          {"items", items},
          {"certified_sequence", r.certified_sequence ? json(*r.certified_sequence) : json(nullptr)},
          {"signers", signers},
          {"outcome", r.outcome}};
}

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string results_json(const RecordSet& set, const std::vector<PlannedDocument>& documents) {
  const session::SessionDefinition& session = *set.session;
  json votes = json::array();
  for (std::size_t v = 0; v < set.votes.size(); ++v) {
    const VoteRecord& vote = set.votes[v];
    json rounds = json::array();
    for (const RoundRecord& r : vote.rounds) rounds.push_back(round_json(*vote.vote, r));
    json adopted = json::array();
    for (const AdoptedItem& a : adopted_items(vote)) {
      adopted.push_back({{"item_id", a.item_id},
                         {"title", a.title},
                         {"round", a.round},
                         {"votes", a.votes},
                         {"rank", a.rank}});
    }
    json signers = json::array();
    for (const Signer& s : vote.signers) signers.push_back(signer_json(s));
    json files = json::array();
    for (const PlannedDocument& d : documents) {
      if (d.vote == v) files.push_back(d.name);
    }
    votes.push_back({{"vote_id", vote.vote->id},
                     {"title", vote.vote->title},
                     {"kind", std::string(session::to_string(vote.vote->kind))},
                     {"kind_zh", std::string(session::display_name_zh(vote.vote->kind))},
                     {"places", vote.vote->places},
                     {"items", vote.vote->items},
                     {"date", text::iso_date(vote.date_ms)},
                     {"date_zh", text::date_zh(vote.date_ms)},
                     {"date_time_ms", vote.date_ms},
                     {"certified_sequence", vote.certified_sequence},
                     {"certified_time_ms", vote.certified_time_ms},
                     {"certified_at", text::iso_datetime(vote.certified_time_ms)},
                     {"adopted", adopted},
                     {"rounds", rounds},
                     {"signers", signers},
                     {"files", files}});
  }
  json pending = json::array();
  for (const PendingVote& p : set.pending) {
    pending.push_back(
        {{"vote_id", p.vote->id}, {"title", p.vote->title}, {"reason", p.reason}, {"reason_zh", p.reason_zh}});
  }
  json files = json::array();
  for (const PlannedDocument& d : documents) files.push_back(d.name);
  files.push_back("results.csv");
  const json out = {{"format", "hallvote-records/" + std::to_string(kRecordsFormatVersion)},
                    {"session",
                     {{"id", session.info.id},
                      {"body", session.info.body},
                      {"level", std::string(session::to_string(session.info.level))},
                      {"date", session.info.date},
                      {"hall", session.info.hall},
                      {"deputies_in_office", session.deputies_in_office()}}},
                    {"checkpoint",
                     {{"origin", set.closing.origin},
                      {"size", set.closing.size},
                      {"root", set.closing.root_hex},
                      {"text_sha256", set.closing.text_sha256_hex},
                      {"note_index", set.closing.index},
                      {"qr", checkpoint_payload(set.closing)}}},
                    {"issued_time_ms", set.issued_time_ms},
                    {"issued_at", text::iso_datetime(set.issued_time_ms)},
                    {"votes", votes},
                    {"pending", pending},
                    {"files", files}};
  return out.dump(2) + "\n";
}

std::string results_csv(const RecordSet& set) {
  static constexpr std::string_view kHeader[] = {
      "会议",     "会议编号", "表决日期", "表决编号", "表决名称", "表决方式", "轮次", "投票性质",
      "应到",     "实到",     "发出",     "收回",     "有效",     "无效",     "未按", "项目编号",
      "项目名称", "得票",     "得票率",   "名次",     "赞成",     "赞成率",   "反对", "弃权",
      "满意",     "基本满意", "不满意",   "满意率",   "未表态",   "结果",     "说明"};
  std::string out = "\xEF\xBB\xBF";
  auto line = [&out](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += csv_field(fields[i]);
    }
    out += "\r\n";
  };
  std::vector<std::string> header;
  for (std::string_view h : kHeader) header.emplace_back(h);
  line(header);
  for (const VoteRecord& vote : set.votes) {
    const session::VoteDefinition& def = *vote.vote;
    for (const RoundRecord& r : vote.rounds) {
      const Outcome& o = r.parsed;
      for (const ItemOutcome& item : o.items) {
        auto n = [](std::uint64_t v) { return std::to_string(v); };
        std::string votes, votes_rate, rank, yes, yes_rate, no, abstain, sat, basic, dissat, sat_rate, blank;
        switch (def.kind) {
          case session::VoteKind::choose:
            votes = n(item.totals.at(0));
            votes_rate = text::percent(item.totals.at(0), o.valid);
            rank = n(item.rank);
            break;
          case session::VoteKind::per_item:
            yes = n(item.totals.at(0));
            yes_rate = text::percent(item.totals.at(0), o.valid);
            no = n(item.totals.at(1));
            abstain = n(item.totals.at(2));
            blank = n(item.blank);
            break;
          case session::VoteKind::satisfaction:
            sat = n(item.totals.at(0));
            basic = n(item.totals.at(1));
            dissat = n(item.totals.at(2));
            sat_rate = text::percent(std::uint64_t{item.totals.at(0)} + item.totals.at(1), o.valid);
            if (item.totals.size() > 3) abstain = n(item.totals[3]);
            blank = n(item.blank);
            break;
        }
        line({set.session->info.body,
              set.session->info.id,
              text::iso_date(vote.date_ms),
              def.id,
              def.title,
              std::string(session::display_name_zh(def.kind)),
              n(o.round),
              r.purpose_zh,
              n(o.in_office),
              n(o.present),
              n(o.issued),
              n(o.returned),
              n(o.valid),
              n(o.invalid),
              n(o.no_ballot),
              item.item_id,
              item.title,
              votes,
              votes_rate,
              rank,
              yes,
              yes_rate,
              no,
              abstain,
              sat,
              basic,
              dissat,
              sat_rate,
              blank,
              item.verdict_zh,
              item.reason_zh});
      }
    }
  }
  return out;
}

}  // namespace hallvote::records::internal
