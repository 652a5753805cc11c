// The SQLite driver of SqlConnection (sqlite3 C API directly: sqlite_db.h's Db/Stmt word their
// errors for the desktop meeting library and hide the result codes this driver maps).
//
// Dialect differences hidden here, so the server's SQL is written once for both databases:
// - Placeholders: queries use PostgreSQL's $1..$N. SQLite parses "$1" as a *named* parameter,
//   so each value is bound by name ("$1", "$2", ...) with sqlite3_bind_parameter_index; a name
//   used twice is one parameter, and $2 may appear before $1, as in PostgreSQL. A parameter the
//   SQL does not use, or a placeholder without a value (or "?", ":x"), is an error in both.
// - Transactions: begin() is BEGIN IMMEDIATE, so a writer takes the lock up front and waits on
//   the busy timeout rather than failing half-way on a read-to-write upgrade.
// - execute() counts rows changed by the statement itself (0 for SELECT and DDL), as
//   PostgreSQL's command tag does, not sqlite3_changes()'s "last INSERT/UPDATE/DELETE".
// - Errors: every SQLITE_CONSTRAINT_* becomes SqlConstraintError (PostgreSQL's SQLSTATE 23xxx).
//   Text containing a NUL byte is refused, as PostgreSQL's text type refuses it.
// Not hidden: a failed statement inside a transaction leaves SQLite's transaction usable, while
// PostgreSQL's must be rolled back (SqlTransaction does that); binding NaN stores NULL in SQLite.
#include <sqlite3.h>

#include <cerrno>
#include <climits>
#include <string>

#include "store/sql_connection.h"
#include "store/sql_excerpt.h"
#include "store/sqlite_db.h"
#include "store/store_errors.h"

namespace hush::store {
namespace {

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(const std::string& path);
  ~SqliteConnection() override { sqlite3_close_v2(db_); }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  SqlDialect dialect() const override { return SqlDialect::sqlite; }
  SqlRows query(std::string_view sql, std::span<const SqlValue> params) override;
  std::int64_t execute(std::string_view sql, std::span<const SqlValue> params) override;
  void execute_script(std::string_view sql) override;
  void begin() override { execute_script("BEGIN IMMEDIATE"); }
  void commit() override { execute_script("COMMIT"); }
  void rollback() override { execute_script("ROLLBACK"); }

 private:
  // Prepares, binds and steps one statement; calls on_row for each row.
  template <typename OnRow>
  void run(std::string_view sql, std::span<const SqlValue> params, OnRow&& on_row);
  [[noreturn]] void fail(int rc, std::string_view sql) const;

  sqlite3* db_ = nullptr;
  std::string path_;
};

// Owns a prepared statement, so every exit (including a throw) finalizes it.
struct StmtGuard {
  sqlite3_stmt* stmt = nullptr;
  ~StmtGuard() { sqlite3_finalize(stmt); }
};

bool only_blanks(const char* s, const char* end) {
  for (; s < end; ++s)
    if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r' && *s != ';') return false;
  return true;
}

SqliteConnection::SqliteConnection(const std::string& path) : path_(path) {
  db_ = open_sqlite_file(path, "the SQLite database");
  sqlite3_busy_timeout(db_, kSqliteBusyTimeoutMs);
  try {
    // WAL lets readers run beside the one writer; an in-memory database answers "memory".
    const std::string mode = enable_wal(db_, path, "the SQLite database", kSqliteBusyTimeoutMs);
    if (mode != "wal" && mode != "memory")
      throw Error(HUSH_ERR_IO, "cannot open the SQLite database " + path + ": WAL journaling unavailable (got " +
                                   mode + ")");
    // secure_delete: deleted rows are overwritten with zeros, not left in free pages (P5).
    execute_script("PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON");
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

void SqliteConnection::fail(int rc, std::string_view sql) const {
  std::string msg = sqlite3_errmsg(db_);
  if (msg.empty() || msg == "not an error") msg = sqlite3_errstr(rc);
  const std::string where = path_ + ": " + msg + " (in: " + sql_excerpt(sql) + ")";
  if ((rc & 0xff) == SQLITE_CONSTRAINT) throw SqlConstraintError(where);
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    throw Error(HUSH_ERR_IO, where + "; the database stayed locked for " + std::to_string(kSqliteBusyTimeoutMs) + " ms");
  // The disk (or the database's size limit) is full: the server answers 507, not 500.
  const int sys_errno = sqlite3_system_errno(db_);
  if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && (sys_errno == ENOSPC || sys_errno == EDQUOT)))
    throw StorageFull("no space left for the database: " + where);
  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) throw Error(HUSH_ERR_FORMAT, where);
  throw Error(HUSH_ERR_IO, where);
}

template <typename OnRow>
void SqliteConnection::run(std::string_view sql, std::span<const SqlValue> params, OnRow&& on_row) {
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) fail(SQLITE_TOOBIG, sql.substr(0, 80));
  StmtGuard st;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st.stmt, &tail);
  if (rc != SQLITE_OK) fail(rc, sql);
  if (!st.stmt) throw Error(HUSH_ERR_INTERNAL, "SQL has no statement: \"" + sql_excerpt(sql) + "\"");
  if (tail && !only_blanks(tail, sql.data() + sql.size()))
    throw Error(HUSH_ERR_INTERNAL, "SQL query() runs one statement; use execute_script() for several (in: " +
                                       sql_excerpt(sql) + ")");

  // Every placeholder must be $k with a value; every value must have its $k.
  const int count = sqlite3_bind_parameter_count(st.stmt);
  for (int i = 1; i <= count; ++i) {
    const char* name = sqlite3_bind_parameter_name(st.stmt, i);
    const std::string n = name ? name : "?";
    std::size_t k = 0;
    bool ok = n.size() >= 2 && n[0] == '$' && n[1] != '0';
    for (std::size_t j = 1; ok && j < n.size(); ++j) {
      ok = n[j] >= '0' && n[j] <= '9' && j < 8;
      k = k * 10 + static_cast<std::size_t>(n[j] - '0');
    }
    if (!ok || k > params.size())
      throw Error(HUSH_ERR_INTERNAL, "SQL placeholder " + n + " has no value (" + std::to_string(params.size()) +
                                         " given; use $1..$N) in: " + sql_excerpt(sql));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::string name(1, '$');  // not "$" + to_string(): GCC 12's false -Wrestrict alarm
    name += std::to_string(i + 1);
    const int index = sqlite3_bind_parameter_index(st.stmt, name.c_str());
    if (index == 0)
      throw Error(HUSH_ERR_INTERNAL, "SQL parameter " + name + " is given but not used in: " + sql_excerpt(sql));
    const SqlValue& v = params[i];
    if (std::holds_alternative<std::monostate>(v)) {
      rc = sqlite3_bind_null(st.stmt, index);
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(st.stmt, index, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(st.stmt, index, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      if (s->find('\0') != std::string::npos)  // PostgreSQL refuses it: refuse it here too
        throw Error(HUSH_ERR_INVALID_ARGUMENT, "SQL text parameter " + name + " contains a NUL byte (use a blob)");
      rc = sqlite3_bind_text64(st.stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else {
      // A zero-length blob must stay a blob, not NULL: pass a non-null pointer.
      static const std::byte empty{};
      const auto& b = std::get<SqlBlob>(v).bytes;
      rc = sqlite3_bind_blob64(st.stmt, index, b.empty() ? &empty : b.data(), b.size(), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) fail(rc, sql);
  }

  const int columns = sqlite3_column_count(st.stmt);
  while ((rc = sqlite3_step(st.stmt)) == SQLITE_ROW) {
    SqlRow row;
    row.values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(st.stmt, c)) {
        case SQLITE_INTEGER:
          row.values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(st.stmt, c)));
          break;
        case SQLITE_FLOAT:
          row.values.emplace_back(sqlite3_column_double(st.stmt, c));
          break;
        case SQLITE_TEXT: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st.stmt, c));
          const int n = sqlite3_column_bytes(st.stmt, c);
          row.values.emplace_back(std::string(text ? text : "", text ? static_cast<std::size_t>(n) : 0));
          break;
        }
        case SQLITE_BLOB: {
          const auto* data = static_cast<const std::byte*>(sqlite3_column_blob(st.stmt, c));
          const int n = sqlite3_column_bytes(st.stmt, c);
          SqlBlob blob;
          if (data && n > 0) blob.bytes.assign(data, data + n);
          row.values.emplace_back(std::move(blob));
          break;
        }
        default:
          row.values.emplace_back(std::monostate{});
      }
    }
    on_row(std::move(row));
  }
  if (rc != SQLITE_DONE) fail(rc, sql);
}

SqlRows SqliteConnection::query(std::string_view sql, std::span<const SqlValue> params) {
  SqlRows rows;
  run(sql, params, [&](SqlRow&& row) { rows.push_back(std::move(row)); });
  return rows;
}

std::int64_t SqliteConnection::execute(std::string_view sql, std::span<const SqlValue> params) {
  // sqlite3_changes64() keeps the count of the last INSERT/UPDATE/DELETE even across a later
  // SELECT or CREATE; total_changes tells whether *this* statement changed anything.
  const sqlite3_int64 before = sqlite3_total_changes64(db_);
  run(sql, params, [](SqlRow&&) {});
  return sqlite3_total_changes64(db_) == before ? 0 : static_cast<std::int64_t>(sqlite3_changes64(db_));
}

void SqliteConnection::execute_script(std::string_view sql) {
  char* err = nullptr;
  const std::string copy(sql);
  const int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);  // sqlite3_errmsg() still holds the same message
  if (rc != SQLITE_OK) fail(rc, sql);
}

}  // namespace

std::unique_ptr<SqlConnection> open_sqlite_connection(const std::string& path) {
  return std::make_unique<SqliteConnection>(path);
}

}  // namespace hush::store
