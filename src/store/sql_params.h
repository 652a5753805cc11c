// Builds the parameter list of a query from plain C++ values, so call sites read like the SQL:
//   db.query("SELECT ... WHERE id = $1 AND at < $2", sql_params(id, now_s));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "store/sql_connection.h"

namespace hush::store {

inline SqlValue to_sql_value(std::nullopt_t) { return std::monostate{}; }
inline SqlValue to_sql_value(const std::string& v) { return v; }
inline SqlValue to_sql_value(std::string_view v) { return std::string(v); }
inline SqlValue to_sql_value(const char* v) { return std::string(v); }
inline SqlValue to_sql_value(bool v) { return std::int64_t{v ? 1 : 0}; }
inline SqlValue to_sql_value(double v) { return v; }
inline SqlValue to_sql_value(SqlBlob v) { return v; }
template <typename T>
  requires std::is_integral_v<T>
SqlValue to_sql_value(T v) {
  return static_cast<std::int64_t>(v);
}
template <typename T>
SqlValue to_sql_value(const std::optional<T>& v) {
  return v ? to_sql_value(*v) : SqlValue{std::monostate{}};
}

template <typename... Args>
std::vector<SqlValue> sql_params(const Args&... args) {
  return std::vector<SqlValue>{to_sql_value(args)...};
}

}  // namespace hush::store
