#include "hallvote/session/csv_import.h"

#include <array>
#include <optional>

#include "hallvote/session/ballot_shape.h"
#include "text_checks.h"

namespace hallvote::session {
namespace {

// One column an import understands: its canonical (English) name, the headers accepted for it, and whether the
// file must have it.
struct ColumnSpec {
  std::string_view name;
  std::vector<std::string_view> headers;
  bool required;
};

// Headers spreadsheets often carry that an import ignores on purpose.
constexpr std::array<std::string_view, 5> kIgnoredHeaders = {"序号", "备注", "no", "note", "notes"};

// Column positions found in a header, by ColumnSpec index; nullopt when the column is absent.
class ColumnMap {
 public:
  ColumnMap(const CsvTable& table, const std::vector<ColumnSpec>& specs, const std::string& file,
            Diagnostics& diagnostics)
      : positions_(specs.size()), headers_(specs.size()) {
    for (std::size_t col = 0; col < table.header.size(); ++col) {
      const std::string& header = table.header[col];
      bool known = false;
      for (std::size_t s = 0; s < specs.size(); ++s) {
        for (std::string_view accepted : specs[s].headers) {
          if (header == accepted && !positions_[s]) {
            positions_[s] = col;
            headers_[s] = header;
            known = true;
          }
        }
      }
      for (std::string_view ignored : kIgnoredHeaders) known = known || header == ignored;
      if (!known) {
        diagnostics.push_back({SessionErrc::csv_unknown_column, file, 1, header, "无法识别的列名（或重复的列）",
                               "unknown (or repeated) column header"});
      }
    }
    for (std::size_t s = 0; s < specs.size(); ++s) {
      if (specs[s].required && !positions_[s]) {
        std::string accepted;
        for (std::string_view h : specs[s].headers) accepted += (accepted.empty() ? "" : "/") + std::string(h);
        diagnostics.push_back({SessionErrc::csv_missing_column, file, 1, std::string(specs[s].name),
                               "缺少必需的列（可用列名：" + accepted + "）",
                               "required column missing (accepted headers: " + accepted + ")"});
        complete_ = false;
      }
    }
  }

  [[nodiscard]] bool complete() const { return complete_; }

  // The cell of column `spec` in `row`, or "" when the column is absent.
  [[nodiscard]] std::string cell(const CsvRow& row, std::size_t spec) const {
    return positions_[spec] ? std::string(detail::trim(row.fields[*positions_[spec]])) : std::string{};
  }

  // The header as written in the file, for diagnostics.
  [[nodiscard]] const std::string& header(std::size_t spec) const { return headers_[spec]; }

 private:
  std::vector<std::optional<std::size_t>> positions_;
  std::vector<std::string> headers_;
  bool complete_ = true;
};

std::optional<bool> parse_in_office(std::string_view text) {
  for (std::string_view yes : {"", "是", "在任", "true", "TRUE", "True", "yes", "1", "Y", "y"}) {
    if (text == yes) return true;
  }
  for (std::string_view no : {"否", "不在任", "false", "FALSE", "False", "no", "0", "N", "n"}) {
    if (text == no) return false;
  }
  return std::nullopt;
}

void require_cell(const std::string& value, const ColumnMap& columns, std::size_t spec, const CsvRow& row,
                  const std::string& file, Diagnostics& diagnostics) {
  if (value.empty()) {
    diagnostics.push_back(
        {SessionErrc::missing_field, file, row.line, columns.header(spec), "不能为空", "empty"});
  }
}

}  // namespace

CsvImport<Deputy> import_roster_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  enum : std::size_t { kId, kName, kDelegation, kSeat, kKey, kInOffice };
  const std::vector<ColumnSpec> specs = {
      {"id", {"代表编号", "编号", "id"}, true},
      {"name", {"姓名", "name"}, true},
      {"delegation", {"代表团", "delegation"}, false},
      {"seat", {"座位号", "座位", "seat"}, false},
      {"credential_key", {"公钥", "凭证公钥", "credential_key"}, true},
      {"in_office", {"是否在任", "在任", "in_office"}, false},
  };
  CsvImport<Deputy> out;
  const CsvTable table = parse_csv(text, file, diagnostics);
  if (table.header.empty()) return out;
  const ColumnMap columns(table, specs, file, diagnostics);
  if (!columns.complete()) return out;

  for (const CsvRow& row : table.rows) {
    Deputy deputy;
    deputy.id = columns.cell(row, kId);
    deputy.name = columns.cell(row, kName);
    deputy.delegation = columns.cell(row, kDelegation);
    deputy.seat = columns.cell(row, kSeat);
    require_cell(deputy.id, columns, kId, row, file, diagnostics);
    require_cell(deputy.name, columns, kName, row, file, diagnostics);
    switch (detail::check_public_key(columns.cell(row, kKey), deputy.credential_key)) {
      case detail::KeyCheck::ok:
        break;
      case detail::KeyCheck::missing:
        diagnostics.push_back({SessionErrc::missing_credential_key, file, row.line, columns.header(kKey),
                               "缺少代表凭证公钥", "deputy credential key missing"});
        break;
      case detail::KeyCheck::invalid:
        diagnostics.push_back({SessionErrc::invalid_credential_key, file, row.line, columns.header(kKey),
                               "公钥应为64位十六进制字符", "key must be 64 hex characters"});
        break;
    }
    if (const std::optional<bool> in_office = parse_in_office(columns.cell(row, kInOffice))) {
      deputy.in_office = *in_office;
    } else {
      diagnostics.push_back({SessionErrc::invalid_value, file, row.line, columns.header(kInOffice),
                             "应为“是”或“否”", "must be 是/否 (yes/no)"});
    }
    out.records.push_back(std::move(deputy));
    out.lines.push_back(row.line);
  }
  return out;
}

CsvImport<Project> import_projects_csv(std::string_view text, const std::string& file,
                                       Diagnostics& diagnostics) {
  enum : std::size_t { kId, kTitle, kCategory, kBudget, kLead, kSummary };
  const std::vector<ColumnSpec> specs = {
      {"id", {"项目编号", "编号", "id"}, true},
      {"title", {"项目名称", "名称", "title"}, true},
      {"category", {"类别", "项目类别", "category"}, true},
      {"budget", {"预算（万元）", "预算(万元)", "预算", "budget"}, true},
      {"lead_department", {"牵头单位", "责任单位", "lead_department"}, true},
      {"summary", {"项目简介", "简介", "summary"}, false},
  };
  CsvImport<Project> out;
  const CsvTable table = parse_csv(text, file, diagnostics);
  if (table.header.empty()) return out;
  const ColumnMap columns(table, specs, file, diagnostics);
  if (!columns.complete()) return out;

  for (const CsvRow& row : table.rows) {
    Project project;
    project.id = columns.cell(row, kId);
    project.title = columns.cell(row, kTitle);
    project.category = columns.cell(row, kCategory);
    project.lead_department = columns.cell(row, kLead);
    project.summary = columns.cell(row, kSummary);
    require_cell(project.id, columns, kId, row, file, diagnostics);
    require_cell(project.title, columns, kTitle, row, file, diagnostics);
    if (project.title.size() > kMaxTitleBytes) {
      const std::string limit = std::to_string(kMaxTitleBytes);
      diagnostics.push_back({SessionErrc::input_limit, file, row.line, columns.header(kTitle),
                             "长于上限 " + limit + " 字节（UTF-8）",
                             "longer than the limit of " + limit + " bytes (UTF-8)"});
    }
    require_cell(project.category, columns, kCategory, row, file, diagnostics);
    require_cell(project.lead_department, columns, kLead, row, file, diagnostics);
    const std::string budget = columns.cell(row, kBudget);
    if (budget.empty()) {
      require_cell(budget, columns, kBudget, row, file, diagnostics);
    } else if (const std::optional<std::int64_t> yuan = detail::parse_budget_wan(budget)) {
      project.budget_yuan = *yuan;
    } else {
      diagnostics.push_back({SessionErrc::invalid_value, file, row.line, columns.header(kBudget),
                             "不是有效的金额（万元，最多4位小数）",
                             "not an amount in 万元 (at most 4 decimals)"});
    }
    out.records.push_back(std::move(project));
    out.lines.push_back(row.line);
  }
  return out;
}

}  // namespace hallvote::session
