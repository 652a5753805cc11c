// The SQLite library's schema and its migrations. PRAGMA user_version holds the version; the
// pending migrations run in one transaction, so a crash mid-way leaves the old version intact.
// Add a migration by appending to the list in sqlite_schema.cpp; never edit a shipped one.
#pragma once

#include "store/sqlite_db.h"

namespace hush::store {

int latest_schema_version();

// Brings `db` up to `target_version` (default: the latest). Safe to call from two handles at
// once: the version is re-read under the write lock. Throws HUSH_ERR_FORMAT when the file's
// version is newer than this build knows (a newer Hush wrote it).
void migrate(Db& db, int target_version = latest_schema_version());

}  // namespace hush::store
