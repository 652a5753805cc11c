// Feeds arbitrary text as a `hush meetings search` query to to_fts5_query, which promises an
// FTS5 expression that cannot be a syntax error. It may only throw hush::Error; every expression
// it returns is run against a real in-memory FTS5 table made like the library's search_index
// (same tokenizer), and SQLite must accept it.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "store/fts_query.h"
#include "util/error.h"

namespace {

sqlite3* open_index() {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) __builtin_trap();
  const char* sql =
      "CREATE VIRTUAL TABLE search_index USING fts5(text, meeting_id UNINDEXED,"
      " tokenize = 'unicode61 remove_diacritics 2');"
      "INSERT INTO search_index VALUES ('We ship the budget on Friday', 1);"
      "INSERT INTO search_index VALUES ('Who owns the draft? Alice does.', 1);"
      "INSERT INTO search_index VALUES ('Caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac', 2);"
      "INSERT INTO search_index VALUES ('AND OR NOT NEAR text: (parens) ^caret \"quoted\"', 2);";
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "cannot make the FTS5 table: %s\n", error ? error : "?");
    __builtin_trap();
  }
  return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static sqlite3* const db = open_index();
  static sqlite3_stmt* const stmt = [] {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT rowid, snippet(search_index, 0, '[', ']', '...', 8) FROM search_index"
                               " WHERE search_index MATCH ? ORDER BY bm25(search_index)",
                           -1, &s, nullptr) != SQLITE_OK)
      __builtin_trap();
    return s;
  }();
  const std::string query(reinterpret_cast<const char*>(data), size);
  std::string expression;
  try {
    expression = hush::store::to_fts5_query(query);
  } catch (const hush::Error&) {
    return 0;
  }
  sqlite3_reset(stmt);
  sqlite3_bind_text(stmt, 1, expression.data(), static_cast<int>(expression.size()), SQLITE_TRANSIENT);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    std::fprintf(stderr, "SQLite rejected the expression for query '%s': '%s': %s\n", query.c_str(),
                 expression.c_str(), sqlite3_errmsg(db));
    __builtin_trap();
  }
  return 0;
}
