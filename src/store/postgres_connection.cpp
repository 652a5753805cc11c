// The PostgreSQL driver of SqlConnection, over libpq (PQexecParams, one round trip a statement).
//
// Dialect differences hidden here, so the server's SQL is written once for both databases:
// - Values: parameters go as text, except blobs (binary bytea). Integers are typed int8 and
//   reals float8, so "SELECT $1" reads back the number it was given, as in SQLite; text (and
//   NULL) goes untyped, so PostgreSQL infers the column's type as for a literal. Results are
//   read as text and converted by column type: int2/int4/int8/bool -> integer, float4/float8/
//   numeric -> real, bytea -> blob, everything else -> text; SQLite's storage classes give the
//   same variants for the same schema (INTEGER, REAL/DOUBLE PRECISION, TEXT, BLOB/BYTEA).
//   A function taking int4 needs CAST($1 AS INTEGER) (valid in both) for an integer parameter.
// - Errors: SQLSTATE class 23 (integrity constraint) becomes SqlConstraintError, as SQLite's
//   SQLITE_CONSTRAINT does. NOTICEs (e.g. "table does not exist, skipping") are dropped instead
//   of libpq's default of printing them on stderr.
// - Transactions: PostgreSQL only warns on BEGIN inside a transaction or COMMIT outside one, and
//   COMMIT of a transaction in which a statement failed silently rolls it back; here each is an
//   error, as in SQLite (where COMMIT would have committed the other statements).
// - execute() returns the rows changed by INSERT/UPDATE/DELETE/MERGE and 0 for SELECT or DDL.
// - broken(): true once libpq reports the connection bad (server restarted, backend terminated,
//   network gone), also found by a non-blocking read while idle, so SqlPool replaces the
//   connection. SQLite connections never break.
// Not hidden: after a failed statement inside a transaction PostgreSQL refuses everything but
// ROLLBACK; execute_script() runs its statements as one implicit transaction (SQLite: one each).
#include <libpq-fe.h>

#include <charconv>
#include <climits>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "store/sql_connection.h"
#include "store/sql_excerpt.h"
#include "store/store_errors.h"

namespace hush::store {
namespace {

// Type OIDs from PostgreSQL's catalog (pg_type.dat); stable across versions.
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// Replaces every occurrence of `secret` in `text` (a libpq message may quote the conninfo).
void redact(std::string& text, const std::string& secret) {
  if (secret.empty()) return;
  for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
    text.replace(at, secret.size(), "***");
}

// The password in a conninfo, found without libpq too (its parser fails on the very strings
// whose error messages might quote the password).
std::vector<std::string> passwords_in(const std::string& conninfo) {
  std::vector<std::string> found;
  char* err = nullptr;
  if (PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err)) {
    for (PQconninfoOption* o = opts; o->keyword; ++o)
      if (std::string_view(o->keyword) == "password" && o->val && *o->val) found.emplace_back(o->val);
    PQconninfoFree(opts);
  }
  PQfreemem(err);
  // postgresql://user:PASSWORD@host/...
  if (const auto scheme = conninfo.find("://"); scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto at = conninfo.find('@', start);
    const auto colon = conninfo.find(':', start);
    if (at != std::string::npos && colon != std::string::npos && colon < at)
      found.push_back(conninfo.substr(colon + 1, at - colon - 1));
  }
  // password=PASSWORD or password='PASS WORD'
  if (const auto key = conninfo.find("password"); key != std::string::npos) {
    auto v = conninfo.find('=', key);
    if (v != std::string::npos) {
      ++v;
      while (v < conninfo.size() && conninfo[v] == ' ') ++v;
      const bool quoted = v < conninfo.size() && conninfo[v] == '\'';
      const auto end = conninfo.find(quoted ? '\'' : ' ', v + (quoted ? 1 : 0));
      found.push_back(conninfo.substr(v + (quoted ? 1 : 0), end == std::string::npos ? std::string::npos
                                                                                     : end - v - (quoted ? 1 : 0)));
    }
  }
  return found;
}

// libpq's messages span lines ("...failed: Connection refused\n\tIs the server running...");
// hush::Error messages are one line.
std::string one_line(const char* s) {
  std::string out;
  bool blank = false;
  for (const char* p = s ? s : ""; *p; ++p) {
    if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += *p;
  }
  return out;
}

SqlValue parse_value(Oid type, const char* text, int length, std::string_view sql) {
  const char* end = text + length;
  switch (type) {
    case kBoolOid:
      return std::int64_t{text[0] == 't' ? 1 : 0};
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t n = 0;
      const auto r = std::from_chars(text, end, n);
      if (r.ec != std::errc() || r.ptr != end)
        throw Error(HUSH_ERR_INTERNAL, "PostgreSQL returned a malformed integer in: " + sql_excerpt(sql));
      return n;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      // from_chars reads "NaN", "Infinity" and "-Infinity" too, and ignores the locale.
      double d = 0;
      const auto r = std::from_chars(text, end, d);
      if (r.ptr != end || (r.ec != std::errc() && r.ec != std::errc::result_out_of_range))
        throw Error(HUSH_ERR_INTERNAL, "PostgreSQL returned a malformed number in: " + sql_excerpt(sql));
      return d;
    }
    case kByteaOid: {
      std::size_t n = 0;
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
      if (!raw) throw std::bad_alloc();
      SqlBlob blob;
      const auto* bytes = reinterpret_cast<const std::byte*>(raw);
      blob.bytes.assign(bytes, bytes + n);
      PQfreemem(raw);
      return blob;
    }
    default:
      return std::string(text, static_cast<std::size_t>(length));
  }
}

class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(const std::string& conninfo);
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  SqlDialect dialect() const override { return SqlDialect::postgres; }
  SqlRows query(std::string_view sql, std::span<const SqlValue> params) override;
  std::int64_t execute(std::string_view sql, std::span<const SqlValue> params) override;
  void execute_script(std::string_view sql) override;
  void begin() override;
  void commit() override;
  void rollback() override;
  bool broken() const override;

 private:
  Result run(std::string_view sql, std::span<const SqlValue> params);
  Result check(Result result, std::string_view sql);
  void ensure_usable() const;

  PGconn* conn_ = nullptr;
  mutable bool broken_ = false;  // set by broken()'s probe too
  bool fatal_notice_ = false;     // the server announced it closes this connection
};

// Besides a failed statement, an idle connection is probed without a round trip: a restarted
// server has sent its goodbye (a FATAL error) and closed the socket, and reading what is there
// (libpq's socket is non-blocking) finds either. So the pool drops connections that a PostgreSQL
// restart killed when it hands them out, instead of failing one request per pooled connection.
bool PostgresConnection::broken() const {
  if (broken_ || !conn_) return true;
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) return false;  // in use: statements will tell
  // A few reads: the server's termination message may come in one read and the end of the
  // stream in the next; a healthy idle connection answers each with EAGAIN at once.
  for (int i = 0; i < 3 && PQstatus(conn_) == CONNECTION_OK; ++i) {
    if (!PQconsumeInput(conn_)) break;
  }
  // Parse what arrived: the server's FATAL goodbye, sent before it closes the socket, goes to the
  // notice processor (libpq's handling of an error while idle).
  if (PQstatus(conn_) == CONNECTION_OK) (void)PQisBusy(conn_);
  if (PQstatus(conn_) == CONNECTION_BAD || fatal_notice_) broken_ = true;
  return broken_;
}

PostgresConnection::PostgresConnection(const std::string& conninfo) {
  // Defaults first, then the caller's string (expand_dbname), whose settings win: UTF-8 text
  // whatever the server's locale, and a bounded wait for an unreachable server.
  const char* keys[] = {"connect_timeout", "client_encoding", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "UTF8", "hushd", conninfo.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (!conn_) throw std::bad_alloc();
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = one_line(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    for (const auto& secret : passwords_in(conninfo)) redact(msg, secret);
    throw DatabaseUnavailable("cannot connect to PostgreSQL: " + msg);
  }
  // Notices are dropped, except that a FATAL one arriving while idle is the server saying it
  // closes this connection (restart, pg_terminate_backend): broken() reads it.
  PQsetNoticeProcessor(
      conn_,
      [](void* self, const char* message) {
        if (message && std::string_view(message).starts_with("FATAL"))
          static_cast<PostgresConnection*>(self)->fatal_notice_ = true;
      },
      this);
}

void PostgresConnection::ensure_usable() const {
  if (broken_)
    throw DatabaseUnavailable("the connection to PostgreSQL was lost; open a new one");
}

Result PostgresConnection::check(Result result, std::string_view sql) {
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  const char* primary = result ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string msg = primary ? primary : one_line(PQerrorMessage(conn_));
  if (msg.empty()) msg = "unexpected result " + std::string(PQresStatus(status));
  // 08: connection exception; 57P01..03: the server is shutting down or terminated us.
  if (PQstatus(conn_) == CONNECTION_BAD || sqlstate.starts_with("08") || sqlstate.starts_with("57P")) {
    broken_ = true;
    throw DatabaseUnavailable("the connection to PostgreSQL was lost: " + msg + " (in: " + sql_excerpt(sql) + ")");
  }
  const std::string where = "PostgreSQL: " + msg + (sqlstate.empty() ? "" : " [" + sqlstate + "]") +
                            " (in: " + sql_excerpt(sql) + ")";
  if (sqlstate.starts_with("23")) throw SqlConstraintError(where);
  throw Error(HUSH_ERR_IO, where);
}

Result PostgresConnection::run(std::string_view sql, std::span<const SqlValue> params) {
  ensure_usable();
  const auto n = params.size();
  std::vector<std::string> texts(n);
  std::vector<const char*> values(n, nullptr);
  std::vector<int> lengths(n, 0), formats(n, 0);
  std::vector<Oid> types(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const SqlValue& v = params[i];
    if (const auto* k = std::get_if<std::int64_t>(&v)) {
      texts[i] = std::to_string(*k);
      types[i] = kInt8Oid;
    } else if (const auto* d = std::get_if<double>(&v)) {
      if (std::isnan(*d)) {
        texts[i] = "NaN";
      } else if (std::isinf(*d)) {
        texts[i] = *d > 0 ? "Infinity" : "-Infinity";
      } else {
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, *d);  // shortest exact round trip
        texts[i].assign(buf, r.ptr);
      }
      types[i] = kFloat8Oid;
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      // libpq takes text as a C string, which would silently end at the NUL.
      if (s->find('\0') != std::string::npos)
        throw Error(HUSH_ERR_INVALID_ARGUMENT,
                    "SQL text parameter $" + std::to_string(i + 1) + " contains a NUL byte (use a blob)");
      values[i] = s->c_str();
      continue;
    } else if (const auto* b = std::get_if<SqlBlob>(&v)) {
      if (b->bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw Error(HUSH_ERR_INVALID_ARGUMENT, "SQL blob parameter over 2 GiB: libpq cannot send it");
      static const char empty = 0;  // a zero-length blob must stay a blob, not NULL
      values[i] = b->bytes.empty() ? &empty : reinterpret_cast<const char*>(b->bytes.data());
      lengths[i] = static_cast<int>(b->bytes.size());
      formats[i] = 1;
      types[i] = kByteaOid;
      continue;
    } else {
      continue;  // NULL
    }
    values[i] = texts[i].c_str();
  }
  const std::string text(sql);
  Result result(PQexecParams(conn_, text.c_str(), static_cast<int>(n), types.data(), values.data(), lengths.data(),
                             formats.data(), 0));
  return check(std::move(result), sql);
}

SqlRows PostgresConnection::query(std::string_view sql, std::span<const SqlValue> params) {
  const Result result = run(sql, params);
  const int rows = PQntuples(result.get());
  const int columns = PQnfields(result.get());
  std::vector<Oid> types(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) types[static_cast<std::size_t>(c)] = PQftype(result.get(), c);
  SqlRows out;
  out.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    SqlRow row;
    row.values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result.get(), r, c)) {
        row.values.emplace_back(std::monostate{});
      } else {
        row.values.push_back(parse_value(types[static_cast<std::size_t>(c)], PQgetvalue(result.get(), r, c),
                                         PQgetlength(result.get(), r, c), sql));
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::int64_t PostgresConnection::execute(std::string_view sql, std::span<const SqlValue> params) {
  const Result result = run(sql, params);
  // SELECT's tag counts the rows returned; SQLite (and this interface) count rows changed.
  if (std::string_view(PQcmdStatus(result.get())).starts_with("SELECT")) return 0;
  const std::string_view count = PQcmdTuples(result.get());
  std::int64_t n = 0;
  std::from_chars(count.data(), count.data() + count.size(), n);  // "" (DDL) stays 0
  return n;
}

void PostgresConnection::execute_script(std::string_view sql) {
  ensure_usable();
  const std::string text(sql);
  check(Result(PQexec(conn_, text.c_str())), sql);
}

void PostgresConnection::begin() {
  ensure_usable();
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE)
    throw Error(HUSH_ERR_INTERNAL, "PostgreSQL: cannot start a transaction within a transaction");
  execute_script("BEGIN");
}

void PostgresConnection::commit() {
  ensure_usable();
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  if (status == PQTRANS_IDLE) throw Error(HUSH_ERR_INTERNAL, "PostgreSQL: cannot commit - no transaction is active");
  if (status == PQTRANS_INERROR) {
    execute_script("ROLLBACK");
    throw Error(HUSH_ERR_IO, "PostgreSQL: the transaction was rolled back because a statement in it failed");
  }
  execute_script("COMMIT");
}

void PostgresConnection::rollback() {
  ensure_usable();
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE)
    throw Error(HUSH_ERR_INTERNAL, "PostgreSQL: cannot rollback - no transaction is active");
  execute_script("ROLLBACK");
}

}  // namespace

std::unique_ptr<SqlConnection> open_postgres_connection(const std::string& conninfo) {
  return std::make_unique<PostgresConnection>(conninfo);
}

}  // namespace hush::store
