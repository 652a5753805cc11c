#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <chrono>
#include <climits>
#include <thread>

#include "util/error.h"

namespace hush::store {

// ---------------------------------------------------------------------------------------------
// Db

sqlite3* open_sqlite_file(const std::string& path, std::string_view what) {
  // NOMUTEX: a connection belongs to one thread at a time, so SQLite's own mutex would be pure
  // overhead.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw Error(HUSH_ERR_IO, "cannot open " + std::string(what) + " " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  return db;
}

std::string enable_wal(sqlite3* db, const std::string& path, std::string_view what, int busy_timeout_ms) {
  constexpr int kRetryMs = 5;
  for (int waited_ms = 0;; waited_ms += kRetryMs) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr);
    std::string mode;
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        mode = text ? reinterpret_cast<const char*>(text) : "";
        rc = SQLITE_OK;
      }
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_OK) return mode;
    if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= busy_timeout_ms) {
      const bool not_a_database = (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT;
      throw Error(not_a_database ? HUSH_ERR_FORMAT : HUSH_ERR_IO,
                  "cannot open " + std::string(what) + " " + path + ": " + sqlite3_errmsg(db));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kRetryMs));
  }
}

Db::Db(const std::string& path) : db_(open_sqlite_file(path, "the meeting library")), path_(path) {}

Db::~Db() {
  // sqlite3_close_v2 defers the close until every statement is finalized; all Stmts are RAII
  // and die first, so this closes (and, for the last WAL connection, checkpoints) right here.
  sqlite3_close_v2(db_);
}

void Db::fail(int rc, std::string_view doing, hush_error code) const {
  std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    msg += " (another Hush process holds the library; try again)";
  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) code = HUSH_ERR_FORMAT;
  throw Error(code, path_ + ": " + std::string(doing) + ": " + msg);
}

void Db::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string copy(sql);
  const int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    sqlite3_free(err);
    fail(rc, "SQL failed");
  }
}

std::int64_t Db::query_int(std::string_view sql) {
  Stmt st(*this, sql);
  return st.step() ? st.column_int64(0) : 0;
}

std::int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Db::changes() const { return sqlite3_changes(db_); }

// ---------------------------------------------------------------------------------------------
// Stmt

Stmt::Stmt(Db& db, std::string_view sql) : db_(db) {
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) db.fail(SQLITE_TOOBIG, "SQL too long");
  const int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc, "preparing a statement", HUSH_ERR_INTERNAL);
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail(rc, "binding a value", HUSH_ERR_INTERNAL);
  return *this;
}

Stmt& Stmt::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail(rc, "binding a value", HUSH_ERR_INTERNAL);
  return *this;
}

Stmt& Stmt::bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_.fail(rc, "binding text", HUSH_ERR_INTERNAL);
  return *this;
}

Stmt& Stmt::bind_blob(int index, std::span<const std::byte> bytes) {
  // A zero-length blob must stay a blob, not NULL: pass a non-null pointer.
  static const std::byte empty{};
  const void* data = bytes.empty() ? &empty : bytes.data();
  const int rc = sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_.fail(rc, "binding a blob", HUSH_ERR_INTERNAL);
  return *this;
}

Stmt& Stmt::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_.fail(rc, "binding NULL", HUSH_ERR_INTERNAL);
  return *this;
}

bool Stmt::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);  // so the statement is reusable after the caller handles the error
  db_.fail(rc, std::string("running a statement: ") + sqlite3_sql(stmt_));
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Stmt::column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::int64_t Stmt::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

double Stmt::column_double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Stmt::column_text(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return text ? std::string(text, static_cast<std::size_t>(n)) : std::string();
}

std::vector<std::byte> Stmt::column_blob(int col) const {
  const auto* data = static_cast<const std::byte*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  if (!data || n <= 0) return {};
  return std::vector<std::byte>(data, data + n);
}

// ---------------------------------------------------------------------------------------------
// Transaction

Transaction::Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace hush::store
