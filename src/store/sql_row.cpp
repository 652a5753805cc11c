// SqlRow's typed reads: one place that turns "this column is not what the caller expected" into
// a clear hush::Error naming the column, instead of a std::bad_variant_access.
#include <cmath>
#include <string>

#include "store/sql_connection.h"

namespace hush::store {
namespace {

const char* type_name(const SqlValue& v) {
  switch (v.index()) {
    case 0: return "NULL";
    case 1: return "an integer";
    case 2: return "a real";
    case 3: return "text";
    default: return "a blob";
  }
}

const SqlValue& column(const SqlRow& row, std::size_t col) {
  if (col >= row.values.size())
    throw Error(HUSH_ERR_INTERNAL, "SQL column " + std::to_string(col) + " does not exist (the row has " +
                                       std::to_string(row.values.size()) + " columns)");
  return row.values[col];
}

[[noreturn]] void wrong_type(const SqlValue& v, std::size_t col, const char* wanted) {
  throw Error(HUSH_ERR_INTERNAL,
              "SQL column " + std::to_string(col) + " is " + type_name(v) + ", expected " + wanted);
}

}  // namespace

bool SqlRow::is_null(std::size_t col) const {
  return std::holds_alternative<std::monostate>(column(*this, col));
}

std::int64_t SqlRow::integer(std::size_t col) const {
  const SqlValue& v = column(*this, col);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) {
    // A REAL holding a whole number (e.g. a PostgreSQL numeric sum) reads as an integer; the
    // range check keeps the cast defined.
    if (std::isfinite(*d) && std::trunc(*d) == *d && *d >= -9223372036854775808.0 && *d < 9223372036854775808.0)
      return static_cast<std::int64_t>(*d);
    throw Error(HUSH_ERR_INTERNAL, "SQL column " + std::to_string(col) + " is a real that is not a whole number");
  }
  wrong_type(v, col, "an integer");
}

double SqlRow::real(std::size_t col) const {
  const SqlValue& v = column(*this, col);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  wrong_type(v, col, "a real");
}

const std::string& SqlRow::text(std::size_t col) const {
  const SqlValue& v = column(*this, col);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  wrong_type(v, col, "text");
}

const std::vector<std::byte>& SqlRow::blob(std::size_t col) const {
  const SqlValue& v = column(*this, col);
  if (const auto* b = std::get_if<SqlBlob>(&v)) return b->bytes;
  wrong_type(v, col, "a blob");
}

}  // namespace hush::store
