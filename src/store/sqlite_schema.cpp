#include "store/sqlite_schema.h"

#include <array>
#include <string>

#include "util/error.h"

namespace hush::store {
namespace {

// Version N is reached by running kMigrations[N - 1].
constexpr std::array<const char*, 2> kMigrations = {
    // 1: meetings, transcript/notes JSON, segments, settings, speaker profiles, search index.
    R"sql(
CREATE TABLE meetings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a deleted meeting's id is never reused
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,           -- Unix seconds, UTC
  duration_s REAL NOT NULL DEFAULT 0,
  audio_path TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meetings_by_created_at ON meetings(created_at);
CREATE INDEX meetings_by_audio_path ON meetings(audio_path);

CREATE TABLE transcripts (
  meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
  json TEXT NOT NULL
);
CREATE TABLE segments (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  start_s REAL NOT NULL,
  end_s REAL NOT NULL,
  speaker TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (meeting_id, idx)
);
CREATE TABLE notes (
  meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
  json TEXT NOT NULL
);

CREATE TABLE settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  notes_enabled INTEGER NOT NULL,
  recording_enabled INTEGER NOT NULL,
  retention_days INTEGER NOT NULL CHECK (retention_days >= 0)
);
INSERT INTO settings VALUES (1, 1, 1, 0);

CREATE TABLE speaker_profiles (
  name TEXT PRIMARY KEY,
  embedding BLOB NOT NULL,  -- float32, little-endian
  consent_at INTEGER NOT NULL
);

-- One row per transcript segment and per notes line. FTS5 keeps its own copy of the text
-- (snippet() needs it); rows are deleted explicitly with their meeting, and the index is
-- merged ('optimize') afterwards so no deleted term survives in an old segment b-tree.
CREATE VIRTUAL TABLE search_index USING fts5(
  text, meeting_id UNINDEXED, kind UNINDEXED, start_s UNINDEXED, end_s UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
)sql",
    // 2: legal hold (privacy P6): a meeting on hold is skipped by retention sweeps.
    R"sql(
ALTER TABLE meetings ADD COLUMN on_hold INTEGER NOT NULL DEFAULT 0;
)sql",
};

int user_version(Db& db) { return static_cast<int>(db.query_int("PRAGMA user_version")); }

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(Db& db, int target_version) {
  if (target_version < 0 || target_version > latest_schema_version())
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "no schema version " + std::to_string(target_version));
  auto check_not_newer = [&](int version) {
    if (version > latest_schema_version())
      throw Error(HUSH_ERR_FORMAT, db.path() + ": library schema version " + std::to_string(version) +
                                       " is newer than this Hush understands (" +
                                       std::to_string(latest_schema_version()) + "); update Hush");
  };
  const int before = user_version(db);
  check_not_newer(before);
  if (before >= target_version) return;

  Transaction tx(db);
  int version = user_version(db);  // another handle may have migrated while we waited
  check_not_newer(version);
  for (; version < target_version; ++version) {
    db.exec(kMigrations[static_cast<std::size_t>(version)]);
  }
  db.exec("PRAGMA user_version = " + std::to_string(version));
  tx.commit();
}

}  // namespace hush::store
