#include <algorithm>

#include "hallvote/session/csv_import.h"
#include "text_checks.h"

namespace hallvote::session {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool all_empty(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(),
                     [](const std::string& f) { return detail::trim(f).empty(); });
}

}  // namespace

CsvTable parse_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  CsvTable table;
  if (!detail::check_utf8_lines(text, file, diagnostics)) return table;

  std::vector<CsvRow> records;
  CsvRow current{1, {}};
  std::string field;
  bool in_quotes = false;
  bool field_was_quoted = false;
  std::size_t line = 1;
  std::size_t quote_line = 0;
  auto end_field = [&] {
    current.fields.push_back(field_was_quoted ? field : std::string(detail::trim(field)));
    field.clear();
    field_was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    if (!all_empty(current.fields)) records.push_back(std::move(current));
    current = CsvRow{line + 1, {}};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && detail::trim(field).empty()) {
      in_quotes = true;
      field_was_quoted = true;
      field.clear();
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n') {
      end_record();
      ++line;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (in_quotes) {
    diagnostics.push_back({SessionErrc::csv_syntax, file, quote_line, {}, "引号未闭合", "unterminated quote"});
    return table;
  }
  if (!field.empty() || !current.fields.empty()) end_record();

  if (records.empty()) {
    diagnostics.push_back(
        {SessionErrc::empty_list, file, 0, {}, "文件为空，缺少表头", "empty file, no header row"});
    return table;
  }
  table.header = std::move(records.front().fields);
  for (std::size_t r = 1; r < records.size(); ++r) {
    CsvRow& row = records[r];
    if (row.fields.size() != table.header.size()) {
      diagnostics.push_back(
          {SessionErrc::csv_syntax,
           file,
           row.line,
           {},
           "有" + std::to_string(row.fields.size()) + "列，表头有" + std::to_string(table.header.size()) + "列",
           "has " + std::to_string(row.fields.size()) + " fields, the header has " +
               std::to_string(table.header.size())});
      continue;
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace hallvote::session
