// One SQL interface over two databases: SQLite (the embedded default) and PostgreSQL (libpq, for
// several hushd processes sharing one database). The server's store writes each query once, in
// the SQL both understand, with $1..$N placeholders (SQLite reads "$1" as a named parameter; the
// drivers bind by that name). Booleans are INTEGER 0/1 and times are INTEGER Unix seconds in
// both, so rows read back identically.
//
// Thread safety: a connection belongs to one thread at a time; SqlPool hands them out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/error.h"

namespace hush::store {

struct SqlBlob {
  std::vector<std::byte> bytes;
  bool operator==(const SqlBlob&) const = default;  // so SqlValues compare with ==
};
// NULL, INTEGER (also booleans), REAL, TEXT, BLOB/BYTEA.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string, SqlBlob>;

struct SqlRow {
  std::vector<SqlValue> values;
  // Typed reads; a NULL or a value of another type throws hush::Error(HUSH_ERR_INTERNAL) naming
  // the column index, except that integer() also reads a REAL with an integral value and
  // real() reads an INTEGER.
  bool is_null(std::size_t col) const;
  std::int64_t integer(std::size_t col) const;
  double real(std::size_t col) const;
  const std::string& text(std::size_t col) const;
  const std::vector<std::byte>& blob(std::size_t col) const;
};
using SqlRows = std::vector<SqlRow>;

enum class SqlDialect { sqlite, postgres };

// A UNIQUE / PRIMARY KEY / FOREIGN KEY violation (e.g. an e-mail address already taken), so
// callers can answer 409 instead of 500. Code HUSH_ERR_INVALID_ARGUMENT.
class SqlConstraintError : public Error {
 public:
  explicit SqlConstraintError(const std::string& message) : Error(HUSH_ERR_INVALID_ARGUMENT, message) {}
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual SqlDialect dialect() const = 0;

  // Runs one statement with $1..$N parameters and returns its rows (INSERT/UPDATE/DELETE ...
  // RETURNING works in both). Errors: SqlConstraintError for constraint violations, otherwise
  // hush::Error(HUSH_ERR_IO) with the database's own message and the start of the SQL.
  virtual SqlRows query(std::string_view sql, std::span<const SqlValue> params = {}) = 0;
  // As query(), for statements whose rows do not matter; returns the number of rows changed.
  virtual std::int64_t execute(std::string_view sql, std::span<const SqlValue> params = {}) = 0;
  // Several parameterless statements separated by semicolons (schema migrations).
  virtual void execute_script(std::string_view sql) = 0;

  // SQLite: BEGIN IMMEDIATE (takes the write lock up front); PostgreSQL: BEGIN.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // True once the connection to the server is lost (PostgreSQL restarted, network gone); the
  // pool then opens a new one instead of reusing it. SQLite connections never break.
  virtual bool broken() const { return false; }
};

// begin() on construction, rollback() on destruction unless commit() was reached.
class SqlTransaction {
 public:
  explicit SqlTransaction(SqlConnection& db) : db_(db) { db_.begin(); }
  ~SqlTransaction() {
    if (!done_) {
      try {
        db_.rollback();
      } catch (...) {
      }
    }
  }
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  SqlConnection& db_;
  bool done_ = false;
};

// Opens (creating if needed) a SQLite database file with WAL journaling, secure_delete=ON (so
// deleted rows are overwritten, privacy P5), foreign_keys=ON and a busy timeout of
// kSqliteBusyTimeoutMs. Throws hush::Error(HUSH_ERR_IO) naming the path.
inline constexpr int kSqliteBusyTimeoutMs = 10000;
std::unique_ptr<SqlConnection> open_sqlite_connection(const std::string& path);

// Connects with a libpq connection string ("postgresql://user@host:port/db" or "host=... dbname=...").
// Throws hush::Error(HUSH_ERR_IO) with libpq's message (the password, if any, is not echoed).
std::unique_ptr<SqlConnection> open_postgres_connection(const std::string& conninfo);

// Opens the right driver for `url`: "postgresql://..." / "postgres://..." / libpq's
// "host=... dbname=..." -> PostgreSQL, "sqlite:PATH" or a plain path -> SQLite.
std::unique_ptr<SqlConnection> open_sql_connection(const std::string& url);

// A fixed-size pool of connections shared by the server's threads. acquire() blocks until one
// is free; the lease returns it on destruction. A broken() connection is dropped instead of
// returned, and a new one is opened in its place, so PostgreSQL restarts are survived.
class SqlPool {
 public:
  using Factory = std::function<std::unique_ptr<SqlConnection>()>;
  SqlPool(Factory factory, std::size_t size);
  ~SqlPool();
  SqlPool(const SqlPool&) = delete;
  SqlPool& operator=(const SqlPool&) = delete;

  class Lease {
   public:
    Lease(SqlPool& pool, std::unique_ptr<SqlConnection> conn) : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    SqlConnection& operator*() { return *conn_; }
    SqlConnection* operator->() { return conn_.get(); }

   private:
    SqlPool* pool_;
    std::unique_ptr<SqlConnection> conn_;
  };
  Lease acquire();
  SqlDialect dialect() const { return dialect_; }

 private:
  friend class Lease;
  void give_back(std::unique_ptr<SqlConnection> conn);
  Factory factory_;
  std::size_t size_;
  std::size_t created_ = 0;
  SqlDialect dialect_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;
};

}  // namespace hush::store
