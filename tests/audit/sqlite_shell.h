// Direct SQL on a session database, for tests that play an attacker with file access.
#pragma once

#include <sqlite3.h>

#include <string>

namespace hallvote::audit::testing {

// Runs `sql` on the file; returns the SQLite result code.
inline int sqlite_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open(path.c_str(), &db);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

}  // namespace hallvote::audit::testing

namespace hallvote::audit::testing {

// The result of PRAGMA integrity_check ("ok" when the file is sound).
inline std::string sqlite_integrity(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  std::string out = "error";
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

}  // namespace hallvote::audit::testing
