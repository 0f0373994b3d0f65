#include "hallvote/session/loader.h"

// toml++ 3.3 turns internal assertions into optimizer assumptions (TOML_ASSUME) in release builds, and a
// malformed key in a session file violates one (parser::parse_key; found by tests/fuzz/session) — undefined
// behaviour on compilers that implement __builtin_assume, an abort in debug builds. Make both plain no-ops, so
// that the parser's own checks report the malformed key as a syntax error, as g++ 12's release build already
// does.
#include <toml++/impl/preprocessor.h>
#undef TOML_ASSUME
#define TOML_ASSUME(...) static_assert(true)
#undef TOML_ASSERT
#define TOML_ASSERT(expr) static_assert(true)
#include <toml++/toml.h>

#include <initializer_list>
#include <limits>
#include <sstream>

#include "draft.h"
#include "hallvote/session/ballot_shape.h"
#include "hallvote/session/csv_import.h"
#include "input_file.h"
#include "text_checks.h"
#include "tomlpp_guard.h"

namespace hallvote::session {
namespace {

using detail::Draft;
using detail::Where;

std::size_t line_of(const toml::node& node) { return node.source().begin.line; }

// Reads the fields of one TOML table, reporting each missing, mistyped or unknown field.
class Fields {
 public:
  Fields(const toml::table& table, std::string path, const std::string& file, Diagnostics& diagnostics)
      : table_(table), path_(std::move(path)), file_(file), diagnostics_(diagnostics) {}

  [[nodiscard]] Where where() const { return {file_, line_of(table_), path_}; }

  void report(SessionErrc code, std::string_view key, std::string zh, std::string en) const {
    const toml::node* node = table_.get(key);
    diagnostics_.push_back({code, file_, node ? line_of(*node) : line_of(table_), where().field(key),
                            std::move(zh), std::move(en)});
  }

  // A string field; "" when absent. `required` reports an absent or empty field.
  [[nodiscard]] std::string text(std::string_view key, bool required) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      if (required) report(SessionErrc::missing_field, key, "缺少必填字段", "required field missing");
      return {};
    }
    if (const auto* value = node->as_string()) {
      std::string trimmed(detail::trim(value->get()));
      if (required && trimmed.empty()) report(SessionErrc::missing_field, key, "不能为空", "must not be empty");
      return trimmed;
    }
    report(SessionErrc::wrong_type, key, "应为字符串", "must be a string");
    return {};
  }

  // text(), refused as input_limit when longer than `max_bytes` (words a ballot carries, ballot_shape.h).
  [[nodiscard]] std::string bounded_text(std::string_view key, bool required, std::size_t max_bytes) const {
    std::string value = text(key, required);
    if (value.size() > max_bytes) {
      const std::string limit = std::to_string(max_bytes);
      report(SessionErrc::input_limit, key, "长于上限 " + limit + " 字节（UTF-8）",
             "longer than the limit of " + limit + " bytes (UTF-8)");
    }
    return value;
  }

  // A non-negative integer that fits 32 bits; nullopt when absent or wrong.
  [[nodiscard]] std::optional<std::uint32_t> count(std::string_view key, bool required) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      if (required) report(SessionErrc::missing_field, key, "缺少必填字段", "required field missing");
      return std::nullopt;
    }
    const auto* value = node->as_integer();
    if (value == nullptr) {
      report(SessionErrc::wrong_type, key, "应为整数", "must be an integer");
      return std::nullopt;
    }
    if (value->get() < 0 || value->get() > std::numeric_limits<std::uint32_t>::max()) {
      report(SessionErrc::invalid_value, key, "应为非负整数", "must be a non-negative integer");
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(value->get());
  }

  [[nodiscard]] std::optional<bool> flag(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (const auto* value = node->as_boolean()) return value->get();
    report(SessionErrc::wrong_type, key, "应为 true 或 false", "must be true or false");
    return std::nullopt;
  }

  [[nodiscard]] const toml::array* array(std::string_view key, bool required) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      if (required) report(SessionErrc::missing_field, key, "缺少必填字段", "required field missing");
      return nullptr;
    }
    if (const auto* value = node->as_array()) return value;
    report(SessionErrc::wrong_type, key, "应为数组", "must be an array");
    return nullptr;
  }

  [[nodiscard]] const toml::table* table(std::string_view key, bool required) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      if (required) report(SessionErrc::missing_field, key, "缺少必填的表", "required table missing");
      return nullptr;
    }
    if (const auto* value = node->as_table()) return value;
    report(SessionErrc::wrong_type, key, "应为表", "must be a table");
    return nullptr;
  }

  [[nodiscard]] bool has(std::string_view key) const { return table_.contains(key); }

  void reject_unknown(std::initializer_list<std::string_view> known) const {
    for (auto&& [key, node] : table_) {
      bool is_known = false;
      for (std::string_view k : known) is_known = is_known || key.str() == k;
      if (!is_known) {
        diagnostics_.push_back({SessionErrc::unknown_field, file_, line_of(node), where().field(key.str()),
                                "未知字段（拼写错误？）", "unknown field (a typo?)"});
      }
    }
  }

 private:
  const toml::table& table_;
  std::string path_;
  const std::string& file_;
  Diagnostics& diagnostics_;
};

// Calls `each(table, path)` for every table of an array of tables, reporting elements that are not tables.
template <class Each>
void for_each_table(const toml::array& array, const std::string& path, const std::string& file,
                    Diagnostics& diagnostics, Each each) {
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string element = path + "[" + std::to_string(i + 1) + "]";
    if (const auto* table = array[i].as_table()) {
      each(*table, element);
    } else {
      diagnostics.push_back(
          {SessionErrc::wrong_type, file, line_of(array[i]), element, "应为表", "must be a table"});
    }
  }
}

std::string read_key(const Fields& fields, std::string_view key, std::string_view who_zh,
                     std::string_view who_en) {
  std::string normalized;
  switch (detail::check_public_key(fields.text(key, false), normalized)) {
    case detail::KeyCheck::ok:
      return normalized;
    case detail::KeyCheck::missing:
      fields.report(SessionErrc::missing_credential_key, key, "缺少" + std::string(who_zh) + "公钥",
                    std::string(who_en) + " public key missing");
      return {};
    case detail::KeyCheck::invalid:
      fields.report(SessionErrc::invalid_credential_key, key, "公钥应为64位十六进制字符",
                    "key must be 64 hex characters");
      return {};
  }
  return {};
}

class SessionReader {
 public:
  SessionReader(const std::string& file, const FileReader& read_file, Draft& draft, Diagnostics& diagnostics)
      : file_(file), read_file_(read_file), draft_(draft), diagnostics_(diagnostics) {}

  void read(const toml::table& root) {
    const Fields top(root, "", file_, diagnostics_);
    top.reject_unknown({"format_version", "session", "rules", "roster", "key_committee", "projects", "motions",
                        "votes", "records"});
    const std::optional<std::uint32_t> version = top.count("format_version", true);
    if (version && *version != kSessionFormatVersion) {
      top.report(SessionErrc::unsupported_format_version, "format_version",
                 "本程序只读取格式版本 " + std::to_string(kSessionFormatVersion),
                 "this build reads format version " + std::to_string(kSessionFormatVersion) + " only");
    }
    if (!version) return;  // without a known version, the rest of the file cannot be interpreted
    if (const toml::table* t = top.table("session", true)) read_info(*t);
    if (const toml::table* t = top.table("rules", false)) read_rules(*t);
    if (const toml::table* t = top.table("records", false)) read_records(*t);
    if (const toml::table* t = top.table("roster", true)) read_roster(*t);
    if (const toml::table* t = top.table("key_committee", true)) read_committee(*t);
    if (const toml::table* t = top.table("projects", false)) read_projects(*t);
    if (const toml::array* a = top.array("motions", false)) {
      for_each_table(*a, "motions", file_, diagnostics_,
                     [&](const toml::table& t, const std::string& p) { read_motion(t, p); });
    }
    if (const toml::array* a = top.array("votes", true)) {
      for_each_table(*a, "votes", file_, diagnostics_,
                     [&](const toml::table& t, const std::string& p) { read_vote(t, p); });
    }
  }

 private:
  void read_info(const toml::table& table) {
    const Fields f(table, "session", file_, diagnostics_);
    f.reject_unknown({"id", "body", "level", "date", "hall"});
    SessionInfo& info = draft_.definition.info;
    info.id = f.text("id", true);
    info.body = f.bounded_text("body", true, kMaxTitleBytes);
    info.hall = f.text("hall", false);
    const std::string level = f.text("level", true);
    if (!level.empty() && !parse_level(level, info.level)) {
      f.report(SessionErrc::invalid_value, "level", "应为 county（县级）或 township（乡镇级）",
               "must be county or township");
    }
    const toml::node* date = table.get("date");
    if (date == nullptr) {
      f.report(SessionErrc::missing_field, "date", "缺少必填字段", "required field missing");
    } else if (const auto* d = date->as_date()) {
      std::ostringstream out;
      out << d->get();
      info.date = out.str();
    } else {
      f.report(SessionErrc::wrong_type, "date", "应为日期，如 2025-01-08", "must be a date such as 2025-01-08");
    }
  }

  void read_rules(const toml::table& table) {
    const Fields f(table, "rules", file_, diagnostics_);
    f.reject_unknown({"quorum", "threshold_base", "shortfall_policy", "tie_revote", "shortfall_run_offs"});
    RulesConfig& rules = draft_.definition.rules;
    if (f.has("quorum")) {
      const std::string text = f.text("quorum", true);
      const std::size_t slash = text.find('/');
      unsigned long num = 0;
      unsigned long den = 0;
      bool ok = slash != std::string::npos && slash > 0 && slash + 1 < text.size() &&
                text.find_first_not_of("0123456789/") == std::string::npos && text.size() <= 12;
      if (ok) {
        num = std::stoul(text.substr(0, slash));
        den = std::stoul(text.substr(slash + 1));
        ok = num > 0 && num <= den;
      }
      if (ok) {
        rules.quorum = {static_cast<std::uint32_t>(num), static_cast<std::uint32_t>(den)};
      } else if (!text.empty()) {
        f.report(SessionErrc::invalid_value, "quorum", "应为分数，如 \"2/3\"，且不大于1",
                 "must be a fraction such as \"2/3\", at most 1");
      }
    }
    read_base(f, rules.threshold_base);
    read_policy(f, rules.shortfall);
    read_tie_revote(f, rules.tie_revote);
    read_shortfall_run_offs(f, rules.shortfall_run_offs);
  }

  // [records]: templates replacing the default wording of 决定 and 公告 (record_wording.h).
  void read_records(const toml::table& table) {
    const Fields f(table, "records", file_, diagnostics_);
    RecordWording& w = draft_.definition.records;
    const std::pair<std::string_view, std::string*> fields[] = {
        {"decision_basis", &w.decision_basis},
        {"decision_opening", &w.decision_opening},
        {"decision_none", &w.decision_none},
        {"decision_operative", &w.decision_operative},
        {"announcement_opening", &w.announcement_opening},
        {"announcement_none", &w.announcement_none},
        {"announcement_closing", &w.announcement_closing}};
    f.reject_unknown({"decision_basis", "decision_opening", "decision_none", "decision_operative",
                      "announcement_opening", "announcement_none", "announcement_closing"});
    for (const auto& [key, target] : fields) {
      if (!f.has(key)) continue;
      std::string text = f.text(key, false);
      const std::string bad = unknown_placeholder(text, record_placeholders(key));
      if (!bad.empty()) {
        f.report(SessionErrc::invalid_value, key, "模板中的占位符无效：" + bad,
                 "invalid placeholder in the template: " + bad);
        continue;
      }
      *target = std::move(text);
    }
  }

  void read_tie_revote(const Fields& f, TieRevoteRule& rule) {
    const std::string text = f.text("tie_revote", false);
    if (!text.empty() && !parse_tie_revote_rule(text, rule)) {
      f.report(SessionErrc::invalid_value, "tie_revote",
               "应为 plurality（以得票多的当选）或 majority（仍须过半数）",
               "must be plurality (most votes) or majority (the threshold again)");
    }
  }

  void read_shortfall_run_offs(const Fields& f, std::uint32_t& run_offs) {
    const std::optional<std::uint32_t> value = f.count("shortfall_run_offs", false);
    if (!value) return;
    if (*value > kMaxShortfallRunOffs) {
      f.report(SessionErrc::invalid_value, "shortfall_run_offs",
               "另行投票次数应在0到" + std::to_string(kMaxShortfallRunOffs) + "之间",
               "must be from 0 to " + std::to_string(kMaxShortfallRunOffs));
      return;
    }
    run_offs = *value;
  }

  void read_base(const Fields& f, ThresholdBase& base) {
    const std::string text = f.text("threshold_base", false);
    if (!text.empty() && !parse_threshold_base(text, base)) {
      f.report(SessionErrc::invalid_value, "threshold_base", "应为 in_office、present 或 valid",
               "must be in_office, present or valid");
    }
  }

  void read_policy(const Fields& f, ShortfallPolicy& policy) {
    const std::string text = f.text("shortfall_policy", false);
    if (!text.empty() && !parse_shortfall_policy(text, policy)) {
      f.report(SessionErrc::invalid_value, "shortfall_policy", "应为 run_off、accept_fewer 或 presidium",
               "must be run_off, accept_fewer or presidium");
    }
  }

  // Fetches a CSV file named in the session file; "" and a diagnostic when it cannot be read.
  std::optional<std::string> fetch(const Fields& f, std::string_view key, const std::string& name) {
    Result<std::string> text = read_file_(name);
    if (!text) {
      const bool too_large = text.error().code == SessionErrc::input_limit;
      f.report(too_large ? SessionErrc::input_limit : SessionErrc::unreadable_file, key,
               "无法读取“" + name + "”", "cannot read '" + name + "' (" + text.error().detail + ")");
      return std::nullopt;
    }
    // A file recorded in an audit log was not read from disk: the same limit applies to it.
    if (text->size() > kMaxInputFileBytes) {
      const std::string limit = std::to_string(kMaxInputFileBytes);
      f.report(SessionErrc::input_limit, key, "“" + name + "”大于上限 " + limit + " 字节",
               "'" + name + "' is larger than the limit of " + limit + " bytes");
      return std::nullopt;
    }
    return std::move(*text);
  }

  void read_roster(const toml::table& table) {
    const Fields f(table, "roster", file_, diagnostics_);
    f.reject_unknown({"csv", "deputies"});
    if (const std::string csv = f.text("csv", false); !csv.empty()) {
      if (std::optional<std::string> text = fetch(f, "csv", csv)) {
        CsvImport<Deputy> imported = import_roster_csv(*text, csv, diagnostics_);
        for (std::size_t i = 0; i < imported.records.size(); ++i) {
          draft_.definition.roster.push_back(std::move(imported.records[i]));
          draft_.deputies.push_back({csv, imported.lines[i], ""});
        }
      }
    }
    if (const toml::array* a = f.array("deputies", false)) {
      for_each_table(*a, "roster.deputies", file_, diagnostics_,
                     [&](const toml::table& t, const std::string& p) {
                       const Fields d(t, p, file_, diagnostics_);
                       d.reject_unknown({"id", "name", "delegation", "seat", "credential_key", "in_office"});
                       Deputy deputy;
                       deputy.id = d.text("id", true);
                       deputy.name = d.text("name", true);
                       deputy.delegation = d.text("delegation", false);
                       deputy.seat = d.text("seat", false);
                       deputy.credential_key = read_key(d, "credential_key", "代表凭证", "deputy credential");
                       deputy.in_office = d.flag("in_office").value_or(true);
                       draft_.definition.roster.push_back(std::move(deputy));
                       draft_.deputies.push_back(d.where());
                     });
    }
  }

  void read_committee(const toml::table& table) {
    const Fields f(table, "key_committee", file_, diagnostics_);
    f.reject_unknown({"quorum", "members"});
    draft_.committee = f.where();
    const bool quorum_given = f.has("quorum");
    draft_.definition.key_committee.quorum = f.count("quorum", false).value_or(0);
    if (const toml::array* a = f.array("members", true)) {
      for_each_table(*a, "key_committee.members", file_, diagnostics_,
                     [&](const toml::table& t, const std::string& p) {
                       const Fields m(t, p, file_, diagnostics_);
                       m.reject_unknown({"id", "name", "role", "public_key", "deputy_id"});
                       Official official;
                       official.id = m.text("id", true);
                       official.name = m.text("name", true);
                       const std::string role = m.text("role", true);
                       if (!role.empty() && !parse_official_role(role, official.role)) {
                         m.report(SessionErrc::invalid_value, "role",
                                  "应为 presidium_member、chief_scrutineer 或 scrutineer",
                                  "must be presidium_member, chief_scrutineer or scrutineer");
                       }
                       official.public_key = read_key(m, "public_key", "成员", "member");
                       official.deputy_id = m.text("deputy_id", false);
                       draft_.definition.key_committee.members.push_back(std::move(official));
                       draft_.officials.push_back(m.where());
                     });
    }
    // Without a quorum, a majority of the members decrypt: k = ⌊n/2⌋ + 1 (docs/session-format.md).
    if (!quorum_given) {
      draft_.definition.key_committee.quorum =
          static_cast<std::uint32_t>(draft_.definition.key_committee.members.size() / 2 + 1);
    }
  }

  void read_projects(const toml::table& table) {
    const Fields f(table, "projects", file_, diagnostics_);
    f.reject_unknown({"csv", "items"});
    if (const std::string csv = f.text("csv", false); !csv.empty()) {
      if (std::optional<std::string> text = fetch(f, "csv", csv)) {
        CsvImport<Project> imported = import_projects_csv(*text, csv, diagnostics_);
        for (std::size_t i = 0; i < imported.records.size(); ++i) {
          draft_.definition.projects.push_back(std::move(imported.records[i]));
          draft_.projects.push_back({csv, imported.lines[i], ""});
        }
      }
    }
    if (const toml::array* a = f.array("items", false)) {
      for_each_table(*a, "projects.items", file_, diagnostics_,
                     [&](const toml::table& t, const std::string& p) { read_project(t, p); });
    }
  }

  void read_project(const toml::table& table, const std::string& path) {
    const Fields f(table, path, file_, diagnostics_);
    f.reject_unknown({"id", "title", "category", "budget_wan", "lead_department", "summary"});
    Project project;
    project.id = f.text("id", true);
    project.title = f.bounded_text("title", true, kMaxTitleBytes);
    project.category = f.text("category", true);
    project.lead_department = f.text("lead_department", true);
    project.summary = f.text("summary", false);
    const toml::node* budget = table.get("budget_wan");
    std::optional<std::int64_t> yuan;
    if (budget == nullptr) {
      f.report(SessionErrc::missing_field, "budget_wan", "缺少必填字段", "required field missing");
    } else if (const auto* i = budget->as_integer()) {
      yuan = detail::parse_budget_wan(std::to_string(i->get()));
    } else if (const auto* s = budget->as_string()) {
      yuan = detail::parse_budget_wan(s->get());
    } else {
      f.report(SessionErrc::wrong_type, "budget_wan", "应为整数或字符串形式的小数（如 \"2500.5\"）",
               "must be an integer or a decimal string such as \"2500.5\"");
    }
    if (yuan) {
      project.budget_yuan = *yuan;
    } else if (budget != nullptr && (budget->is_integer() || budget->is_string())) {
      f.report(SessionErrc::invalid_value, "budget_wan", "不是有效的金额（万元，非负，最多4位小数）",
               "not an amount in 万元 (non-negative, at most 4 decimals)");
    }
    draft_.definition.projects.push_back(std::move(project));
    draft_.projects.push_back(f.where());
  }

  void read_motion(const toml::table& table, const std::string& path) {
    const Fields f(table, path, file_, diagnostics_);
    f.reject_unknown({"id", "title", "summary"});
    Motion motion;
    motion.id = f.text("id", true);
    motion.title = f.bounded_text("title", true, kMaxTitleBytes);
    motion.summary = f.text("summary", false);
    draft_.definition.motions.push_back(std::move(motion));
    draft_.motions.push_back(f.where());
  }

  void read_vote(const toml::table& table, const std::string& path) {
    const Fields f(table, path, file_, diagnostics_);
    f.reject_unknown({"id", "title", "description", "kind", "items", "places", "min_selections",
                      "allow_abstain", "max_satisfied", "replacement_allowed", "threshold_base",
                      "shortfall_policy", "tie_revote", "shortfall_run_offs"});
    VoteDefinition vote;
    vote.id = f.text("id", true);
    vote.title = f.bounded_text("title", true, kMaxTitleBytes);
    vote.description = f.bounded_text("description", false, kMaxDescriptionBytes);
    const std::string kind = f.text("kind", true);
    const bool kind_known = !kind.empty() && parse_vote_kind(kind, vote.kind);
    if (!kind.empty() && !kind_known) {
      f.report(SessionErrc::invalid_value, "kind",
               "应为 choose（差额票决）、per_item（逐项表决）或 satisfaction（满意度测评）",
               "must be choose, per_item or satisfaction");
    }
    if (const toml::array* items = f.array("items", true)) {
      for (std::size_t i = 0; i < items->size(); ++i) {
        if (const auto* id = (*items)[i].as_string()) {
          vote.items.emplace_back(detail::trim(id->get()));
        } else {
          diagnostics_.push_back({SessionErrc::wrong_type, file_, line_of((*items)[i]),
                                  path + ".items[" + std::to_string(i + 1) + "]", "应为项目编号字符串",
                                  "must be an item id string"});
        }
      }
    }
    const bool is_choose = kind_known && vote.kind == VoteKind::choose;
    const bool is_satisfaction = kind_known && vote.kind == VoteKind::satisfaction;
    vote.places = f.count("places", is_choose).value_or(0);
    vote.min_selections = f.count("min_selections", false).value_or(0);
    vote.allow_abstain = f.flag("allow_abstain").value_or(false);
    vote.max_satisfied = f.count("max_satisfied", false);
    vote.replacement_allowed = f.flag("replacement_allowed").value_or(false);
    vote.threshold_base = draft_.definition.rules.threshold_base;
    vote.shortfall = draft_.definition.rules.shortfall;
    vote.tie_revote = draft_.definition.rules.tie_revote;
    vote.shortfall_run_offs = draft_.definition.rules.shortfall_run_offs;
    read_base(f, vote.threshold_base);
    read_policy(f, vote.shortfall);
    read_tie_revote(f, vote.tie_revote);
    read_shortfall_run_offs(f, vote.shortfall_run_offs);
    if (kind_known) {
      for (std::string_view key :
           {"places", "min_selections", "shortfall_policy", "tie_revote", "shortfall_run_offs"}) {
        if (!is_choose && f.has(key)) {
          f.report(SessionErrc::invalid_value, key, "此字段只适用于差额票决（kind = \"choose\"）",
                   "applies to choose votes only");
        }
      }
      for (std::string_view key : {"allow_abstain", "max_satisfied"}) {
        if (!is_satisfaction && f.has(key)) {
          f.report(SessionErrc::invalid_value, key, "此字段只适用于满意度测评（kind = \"satisfaction\"）",
                   "applies to satisfaction votes only");
        }
      }
    }
    draft_.definition.votes.push_back(std::move(vote));
    draft_.votes.push_back(f.where());
  }

  const std::string& file_;
  const FileReader& read_file_;
  Draft& draft_;
  Diagnostics& diagnostics_;
};

Result<std::string> read_whole_file(const std::filesystem::path& path) {
  auto bytes = detail::read_input_file(path, kMaxInputFileBytes);
  if (!bytes) return fail(bytes.error().code, path.string() + ": " + detail::bilingual(bytes.error()));
  return std::move(*bytes);
}

Diagnostic unreadable(const std::filesystem::path& path, const detail::ReadRefusal& refusal) {
  return {refusal.code, path.filename().string(),      0,
          {},           "无法读取文件：" + refusal.zh, "cannot read the file: " + refusal.en};
}

}  // namespace

FileReader directory_reader(std::filesystem::path directory) {
  return [directory = std::move(directory)](const std::string& relative_path) -> Result<std::string> {
    const std::filesystem::path relative(relative_path);
    for (const auto& part : relative) {
      if (part == "..") return fail(SessionErrc::unreadable_file, relative_path + ": “..” not allowed");
    }
    if (relative.is_absolute()) return fail(SessionErrc::unreadable_file, relative_path + ": absolute path");
    return read_whole_file(directory / relative);
  };
}

LoadReport parse_session(std::string_view toml_text, const std::string& file_name,
                         const FileReader& read_file) {
  LoadReport report;
  if (!detail::check_toml_size(toml_text, file_name, report.diagnostics)) return report;
  if (!detail::check_utf8_lines(toml_text, file_name, report.diagnostics)) return report;
  if (!detail::check_toml_text(toml_text, file_name, report.diagnostics)) return report;
  toml::table root;
  try {
    root = toml::parse(toml_text, file_name);
  } catch (const toml::parse_error& error) {
    report.diagnostics.push_back({SessionErrc::toml_syntax,
                                  file_name,
                                  error.source().begin.line,
                                  {},
                                  "TOML语法错误：" + std::string(error.description()),
                                  "TOML syntax error: " + std::string(error.description())});
    return report;
  }
  Draft draft;
  draft.session_file = file_name;
  SessionReader(file_name, read_file, draft, report.diagnostics).read(root);
  detail::cross_check(draft, report.diagnostics);
  if (report.diagnostics.empty()) report.definition = std::move(draft.definition);
  return report;
}

LoadReport load_session_report(const std::filesystem::path& path) {
  auto text = detail::read_input_file(path, kMaxInputFileBytes);
  if (!text) {
    LoadReport report;
    report.diagnostics.push_back(unreadable(path, text.error()));
    return report;
  }
  return parse_session(*text, path.filename().string(), directory_reader(path.parent_path()));
}

Result<SessionDefinition> load_session(const std::filesystem::path& path) {
  LoadReport report = load_session_report(path);
  if (!report.definition) return fail(SessionErrc::invalid_definition, join(report.diagnostics));
  return std::move(*report.definition);
}

FileReader memory_reader(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const std::string& name) -> Result<std::string> {
    auto it = files.find(name);
    if (it == files.end()) return fail(SessionErrc::unreadable_file, name + ": not among the recorded files");
    return it->second;
  };
}

Result<LoadedSession> load_session_with_files(const std::filesystem::path& path) {
  auto text = detail::read_input_file(path, kMaxInputFileBytes);
  if (!text) return fail(SessionErrc::invalid_definition, unreadable(path, text.error()).text());
  LoadedSession loaded;
  loaded.files.session_file = path.filename().string();
  loaded.files.contents[loaded.files.session_file] = *text;
  const FileReader from_directory = directory_reader(path.parent_path());
  const FileReader recording = [&](const std::string& name) -> Result<std::string> {
    auto contents = from_directory(name);
    if (contents) loaded.files.contents[name] = *contents;
    return contents;
  };
  LoadReport report = parse_session(*text, loaded.files.session_file, recording);
  if (!report.definition) return fail(SessionErrc::invalid_definition, join(report.diagnostics));
  loaded.definition = std::move(*report.definition);
  return loaded;
}

Result<SessionDefinition> parse_session_files(const SessionFiles& files) {
  auto session_text = files.contents.find(files.session_file);
  if (session_text == files.contents.end()) {
    return fail(SessionErrc::invalid_definition,
                files.session_file + ": the session file is not among the recorded files");
  }
  LoadReport report = parse_session(session_text->second, files.session_file, memory_reader(files.contents));
  if (!report.definition) return fail(SessionErrc::invalid_definition, join(report.diagnostics));
  return std::move(*report.definition);
}

}  // namespace hallvote::session
