// The server's tables, written once for both SQLite and PostgreSQL (only the blob column type
// differs). migrate_server_schema() is idempotent and safe to run from several processes.
#pragma once

#include "store/sql_connection.h"

namespace hush::store {

inline constexpr int kServerSchemaVersion = 1;
void migrate_server_schema(SqlConnection& db);

}  // namespace hush::store
