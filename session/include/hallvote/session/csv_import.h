// Import of the roster and the candidate projects from CSV as spreadsheets export it: UTF-8 (a leading BOM is
// tolerated), comma-separated, RFC 4180 quoting, LF or CRLF line ends, Chinese or English headers in any order.
// Columns and their accepted header names are listed in docs/session-format.md ("CSV files").
//
// Every function here is pure (the text comes in, records and diagnostics go out) and thread-safe. Problems are
// appended to `diagnostics` (all of them, each with file, line and column header); a row with a problem is
// still returned when it could be read, so that cross-checks (duplicates…) can report on it too.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/session/definition.h"
#include "hallvote/session/diagnostics.h"

namespace hallvote::session {

struct CsvRow {
  std::size_t line = 0;  // 1-based line where the record starts (a quoted field may span lines)
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;  // trimmed header cells, BOM removed
  std::vector<CsvRow> rows;         // non-empty records after the header, each with header.size() fields
};

// Splits CSV text into a header and rows. Reports csv_syntax for an unterminated quote or a row whose field
// count differs from the header's (that row is dropped), invalid_utf8 for each line that is not UTF-8, and
// empty_list for a file without a header.
[[nodiscard]] CsvTable parse_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics);

// Records read from a CSV file and the line each came from (lines[i] belongs to records[i]).
template <class Record>
struct CsvImport {
  std::vector<Record> records;
  std::vector<std::size_t> lines;
};

// Roster columns: 代表编号/编号/id, 姓名/name, 代表团/delegation, 座位号/座位/seat,
// 公钥/凭证公钥/credential_key, 是否在任/在任/in_office (是/否, true/false, 1/0; empty means in office).
// Required: id, name, key column.
[[nodiscard]] CsvImport<Deputy> import_roster_csv(std::string_view text, const std::string& file,
                                                  Diagnostics& diagnostics);

// Project columns: 项目编号/编号/id, 项目名称/名称/title, 类别/项目类别/category, 预算（万元）/预算/budget,
// 牵头单位/责任单位/lead_department, 项目简介/简介/summary. Required: all but the summary.
[[nodiscard]] CsvImport<Project> import_projects_csv(std::string_view text, const std::string& file,
                                                     Diagnostics& diagnostics);

}  // namespace hallvote::session
