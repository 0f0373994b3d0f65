// A thin RAII layer over the SQLite C API for the audit store: one connection, prepared statements, errors as
// AuditErrc::storage_failed carrying SQLite's extended code and message. Not thread-safe.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"

namespace hallvote::audit {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt, &sqlite3_finalize) {}
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, crypto::ByteView blob);
  Statement& bind(int index, std::string_view text);
  // True while a row is available; false when done. Fails with storage_failed.
  [[nodiscard]] Result<bool> step();
  // Runs to completion (for statements returning no rows) and resets.
  [[nodiscard]] Status run();
  void reset();
  [[nodiscard]] std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
  [[nodiscard]] crypto::ByteView blob(int column) const;
  [[nodiscard]] std::string text(int column) const;

 private:
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt_;
};

class Database {
 public:
  // Opens (creating when `create`) the file with the given VFS (empty: default) and flags.
  [[nodiscard]] static Result<Database> open(const std::string& path, bool read_only, const std::string& vfs);
  // Closes the connection; exec and prepare then fail with storage_failed until another Database is assigned.
  void close() { db_.reset(); }
  [[nodiscard]] Status exec(const char* sql);
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  [[nodiscard]] sqlite3* handle() const { return db_.get(); }
  // storage_failed with "<what>: <sqlite message> (code N)".
  [[nodiscard]] Error error(std::string_view what) const;

 private:
  explicit Database(sqlite3* db) : db_(db, &sqlite3_close_v2) {}
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_;
};

}  // namespace hallvote::audit
