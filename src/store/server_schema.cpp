#include "store/server_schema.h"

#include <string>

namespace hush::store {

namespace {

// Ids are TEXT (random, server_ids.h); times INTEGER Unix seconds; booleans INTEGER 0/1.
// Tables hold no IP address column anywhere (privacy P8).
constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT NOT NULL,
  server_admin INTEGER NOT NULL DEFAULT 0, restricted INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS workspaces (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL,
  recording_enabled INTEGER NOT NULL DEFAULT 0, notes_enabled INTEGER NOT NULL DEFAULT 1,
  retention_days INTEGER NOT NULL DEFAULT 0, legal_hold INTEGER NOT NULL DEFAULT 0,
  external_summarizer INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS memberships (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL, PRIMARY KEY (workspace_id, user_id));
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER);
CREATE TABLE IF NOT EXISTS recordings (
  id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  owner_id TEXT, title TEXT NOT NULL, created_at INTEGER NOT NULL, status TEXT NOT NULL,
  duration_s REAL NOT NULL DEFAULT 0, blob_name TEXT NOT NULL DEFAULT '',
  webhook_url TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',
  transcript_json TEXT NOT NULL DEFAULT '', notes_json TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '', deleted_at INTEGER, legal_hold INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS recordings_by_workspace ON recordings (workspace_id, created_at);
CREATE TABLE IF NOT EXISTS shares (
  recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL, PRIMARY KEY (recording_id, user_id));
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, target_id TEXT NOT NULL, state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, run_after INTEGER NOT NULL, locked_by TEXT NOT NULL DEFAULT '',
  locked_until INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (state, run_after);
CREATE TABLE IF NOT EXISTS audit_log (
  id TEXT PRIMARY KEY, at INTEGER NOT NULL, actor_id TEXT NOT NULL, workspace_id TEXT NOT NULL,
  action TEXT NOT NULL, target_kind TEXT NOT NULL, target_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_by_workspace ON audit_log (workspace_id, at);
CREATE TABLE IF NOT EXISTS consents (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, kind TEXT NOT NULL,
  granted_at INTEGER NOT NULL, PRIMARY KEY (user_id, kind));
CREATE TABLE IF NOT EXISTS voice_profiles (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE, embedding @BLOB@ NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE, rating INTEGER NOT NULL,
  comment TEXT NOT NULL, training_permission INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS privacy_requests (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, workspace_ids TEXT NOT NULL, kind TEXT NOT NULL,
  handled_by TEXT NOT NULL, requested_at INTEGER NOT NULL, completed_at INTEGER);
)SQL";

}  // namespace

void migrate_server_schema(SqlConnection& db) {
  std::string sql = kSchema;
  const std::string blob_type = db.dialect() == SqlDialect::postgres ? "BYTEA" : "BLOB";
  for (std::size_t at; (at = sql.find("@BLOB@")) != std::string::npos;) sql.replace(at, 6, blob_type);
  SqlTransaction tx(db);
  if (db.dialect() == SqlDialect::postgres) {
    // Two hushd processes starting together must not race on CREATE TABLE IF NOT EXISTS.
    db.execute("SELECT pg_advisory_xact_lock(7423001)");
  }
  db.execute_script(sql);
  tx.commit();
}

}  // namespace hush::store
