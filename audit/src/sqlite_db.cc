#include "sqlite_db.h"

#include "hallvote/tlog/errors.h"

namespace hallvote::audit {
namespace {

Error sqlite_error(sqlite3* db, std::string_view what) {
  return Error{make_error_code(AuditErrc::storage_failed),
               std::string(what) + ": " + sqlite3_errmsg(db) + " (SQLite code " +
                   std::to_string(sqlite3_extended_errcode(db)) + ")"};
}

}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}

Statement& Statement::bind(int index, crypto::ByteView blob) {
  sqlite3_bind_blob64(stmt_.get(), index, blob.data(), blob.size(), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = sqlite_error(db_, "step");
  sqlite3_reset(stmt_.get());
  return tl::unexpected<Error>(std::move(e));
}

Status Statement::run() {
  auto r = step();
  reset();
  if (!r) return forward(r.error());
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

crypto::ByteView Statement::blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  return {static_cast<const std::uint8_t*>(data), static_cast<std::size_t>(size)};
}

std::string Statement::text(int column) const {
  const unsigned char* data = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  return data == nullptr ? std::string()
                         : std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

Result<Database> Database::open(const std::string& path, bool read_only, const std::string& vfs) {
  sqlite3* raw = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, vfs.empty() ? nullptr : vfs.c_str());
  Database db(raw);
  if (rc != SQLITE_OK) return tl::unexpected<Error>(sqlite_error(raw, "open " + path));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

namespace {

Error closed_error() {
  return Error{
      make_error_code(AuditErrc::storage_failed),
      "数据库连接已关闭（写入失败后重新打开未成功）/ the database connection is closed (reopening after a "
      "failed write did not succeed)"};
}

}  // namespace

Status Database::exec(const char* sql) {
  if (!db_) return tl::unexpected<Error>(closed_error());
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return tl::unexpected<Error>(sqlite_error(db_.get(), sql));
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  if (!db_) return tl::unexpected<Error>(closed_error());
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    return tl::unexpected<Error>(sqlite_error(db_.get(), "prepare"));
  }
  return Statement(db_.get(), stmt);
}

Error Database::error(std::string_view what) const {
  return db_ ? sqlite_error(db_.get(), what) : closed_error();
}

}  // namespace hallvote::audit
