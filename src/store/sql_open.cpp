// open_sql_connection: picks the driver from the URL's scheme, so hushd's configuration is one
// string ("postgresql://..." or "sqlite:/var/lib/hushd/hush.db" or just a path).
#include <cctype>

#include "store/sql_connection.h"

namespace hush::store {
namespace {

// libpq's other form, "host=db dbname=hush ...": a keyword then '='. Without this check it
// would be taken for a file name and silently become an empty SQLite database.
bool is_libpq_keywords(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
  while (i < s.size() && s[i] == ' ') ++i;
  return i > 0 && i < s.size() && s[i] == '=';
}

}  // namespace

std::unique_ptr<SqlConnection> open_sql_connection(const std::string& url) {
  const std::string_view u(url);
  if (u.starts_with("postgresql://") || u.starts_with("postgres://") || is_libpq_keywords(u))
    return open_postgres_connection(url);
  if (u.starts_with("sqlite://"))  // sqlite:///abs/path, as SQLAlchemy and others write it
    return open_sqlite_connection(url.substr(9));
  if (u.starts_with("sqlite:")) return open_sqlite_connection(url.substr(7));
  if (u.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "no database given (a path, sqlite:PATH or postgresql://...)");
  return open_sqlite_connection(url);
}

}  // namespace hush::store
