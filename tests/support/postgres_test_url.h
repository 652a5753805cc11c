// Where the tests' PostgreSQL is: $HUSH_TEST_PG_URL, or the URL in the file named by
// $HUSH_TEST_PG_URL_FILE (what ctest's pg_server fixture writes, scripts/pg_test_server.sh).
// "" when neither is set: the postgres cases then skip.
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>

namespace hush::test {

inline std::string postgres_test_url() {
  if (const char* url = std::getenv("HUSH_TEST_PG_URL"); url && *url) return url;
  if (const char* file = std::getenv("HUSH_TEST_PG_URL_FILE"); file && *file) {
    std::ifstream in(file);
    std::string url;
    if (in >> url) return url;
  }
  return {};
}

}  // namespace hush::test
