// The start of an SQL statement, for error messages: enough to tell which query failed without
// copying a whole migration script (or bound values: those never appear in the SQL text).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hush::store {

inline std::string sql_excerpt(std::string_view sql, std::size_t max_chars = 80) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    const bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (blank) {
      space = !out.empty();
      continue;
    }
    // Cut only at the start of a UTF-8 character, never inside one.
    if (out.size() >= max_chars && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      out += "...";
      return out;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace hush::store
