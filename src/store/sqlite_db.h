// A small RAII layer over the SQLite C API: one connection (Db), prepared statements (Stmt) and
// a transaction guard. Every SQLite failure becomes a hush::Error naming the database file and
// SQLite's own message, so nothing below the library ever sees a raw return code.
//
// Thread safety: a Db and its Stmts belong to one thread at a time (SQLite's default
// "serialized" mode would allow more, but the library never shares a connection).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hush.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hush::store {

class Db;

// sqlite3_open_v2 for read-write use by one thread at a time (NOMUTEX), with extended result
// codes; on failure closes the handle and throws hush::Error(HUSH_ERR_IO) "cannot open <what>
// <path>: <SQLite's message>". Shared by the meeting library and the server's SQL driver.
sqlite3* open_sqlite_file(const std::string& path, std::string_view what);
// PRAGMA journal_mode=WAL; returns the mode now in effect ("wal", or "memory" for an in-memory
// database). Switching a new file to WAL needs an exclusive lock and SQLite answers SQLITE_BUSY
// for it at once instead of calling the busy handler (seen when two handles create the same
// database at the same moment), so it is retried here for up to busy_timeout_ms. Throws
// hush::Error "cannot open <what> <path>: ..." when it still fails (HUSH_ERR_FORMAT for a file
// that is not a database, else HUSH_ERR_IO).
std::string enable_wal(sqlite3* db, const std::string& path, std::string_view what, int busy_timeout_ms);

// One prepared statement. bind_* take 1-based parameter indexes, column_* 0-based ones, as in
// SQLite. step() returns true while there is a row.
class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int index, std::int64_t value);
  Stmt& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Stmt& bind(int index, double value);
  Stmt& bind(int index, std::string_view text);
  Stmt& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Stmt& bind_blob(int index, std::span<const std::byte> bytes);
  Stmt& bind_null(int index);

  bool step();
  // Runs a statement that returns no rows (or whose rows do not matter) to completion.
  void run();
  void reset();

  bool column_is_null(int col) const;
  std::int64_t column_int64(int col) const;
  double column_double(int col) const;
  std::string column_text(int col) const;
  std::vector<std::byte> column_blob(int col) const;

 private:
  Db& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  // Opens (creating if needed) the database at `path`. Throws hush::Error(HUSH_ERR_IO) naming
  // the path when it cannot be opened.
  explicit Db(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more SQL statements that take no parameters.
  void exec(std::string_view sql);
  // The first column of the first row of a parameterless query, as an integer (0 when no row).
  std::int64_t query_int(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

  // Throws hush::Error with `code` for SQLite result `rc`, prefixed with what was being done.
  [[noreturn]] void fail(int rc, std::string_view doing, hush_error code = HUSH_ERR_IO) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if commit() was not reached (an exception unwinds).
// IMMEDIATE takes the write lock up front so two handles wait on the busy timeout instead of
// failing half-way with SQLITE_BUSY on a read-to-write upgrade.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace hush::store
