// Recordings: creation under the workspace's recording setting (P2), reads through the access
// rules (P4), deletion to a tombstone (P5), shares, transcript corrections (P9).
#include <nlohmann/json.hpp>

#include "store/server_ids.h"
#include "store/server_store.h"
#include "store/sql_params.h"

namespace hush::store {

namespace {

const char* kRecordingColumns =
    "r.id, r.workspace_id, r.owner_id, r.title, r.created_at, r.status, r.duration_s, r.blob_name, "
    "r.webhook_url, r.error, r.transcript_json, r.notes_json, r.deleted_at, r.legal_hold";

RecordingStatus status_from(const std::string& name) {
  for (auto s : {RecordingStatus::queued, RecordingStatus::processing, RecordingStatus::completed,
                 RecordingStatus::error, RecordingStatus::deleted}) {
    if (name == status_name(s)) return s;
  }
  throw Error(HUSH_ERR_INTERNAL, "unknown recording status in the database: " + name);
}

Recording recording_from(const SqlRow& row) {
  Recording r;
  r.id = row.text(0);
  r.workspace_id = row.text(1);
  r.owner_id = row.is_null(2) ? "" : row.text(2);
  r.title = row.text(3);
  r.created_at_s = row.integer(4);
  r.status = status_from(row.text(5));
  r.duration_s = row.real(6);
  r.blob_name = row.text(7);
  r.webhook_url = row.text(8);
  r.error = row.text(9);
  r.transcript_json = row.text(10);
  r.notes_json = row.text(11);
  if (!row.is_null(12)) r.deleted_at_s = row.integer(12);
  r.legal_hold = row.integer(13) != 0;
  return r;
}

// The words of a transcript, lower-cased, for substring search.
std::string search_text_of(const std::string& title, const std::string& transcript_json) {
  std::string text = title;
  if (!transcript_json.empty()) {
    const auto json = nlohmann::json::parse(transcript_json, nullptr, false);
    if (json.is_object() && json.contains("segments") && json["segments"].is_array()) {
      for (const auto& seg : json["segments"]) {
        if (seg.contains("text") && seg["text"].is_string()) text += "\n" + seg["text"].get<std::string>();
      }
    }
  }
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

const char* status_name(RecordingStatus status) {
  switch (status) {
    case RecordingStatus::queued: return "queued";
    case RecordingStatus::processing: return "processing";
    case RecordingStatus::completed: return "completed";
    case RecordingStatus::error: return "error";
    case RecordingStatus::deleted: return "deleted";
  }
  return "error";
}

Recording ServerStore::create_recording(const Principal& who, const std::string& workspace_id,
                                        const NewRecording& in) {
  require_role(who, workspace_id, Role::member);
  if (who.user.restricted) throw Forbidden("your account is restricted: no new processing of your data");
  const auto settings = workspace_settings(workspace_id);
  if (!settings.recording_enabled) throw Forbidden("recording is turned off in this workspace");
  if (!in.consent) throw Forbidden("a recording needs consent: set consent to true once the people recorded agreed");
  if (in.title.size() > 500) throw Error(HUSH_ERR_INVALID_ARGUMENT, "a title has at most 500 characters");
  const std::string id = new_id("rec");
  {
    auto db = pool_.acquire();
    SqlTransaction tx(*db);
    db->execute(
        "INSERT INTO recordings (id, workspace_id, owner_id, title, created_at, status, duration_s, blob_name, "
        "webhook_url, search_text) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, $9)",
        sql_params(id, workspace_id, who.user.id, in.title, now_s(), in.duration_s, in.blob_name, in.webhook_url,
                   search_text_of(in.title, "")));
    enqueue_job(*db, "transcribe", id);
    tx.commit();
  }
  audit(who.user.id, workspace_id, "recording.create", "recording", id);
  return load_recording_for_job(id);
}

Recording ServerStore::load_recording_for_job(const std::string& recording_id) {
  auto db = pool_.acquire();
  const auto rows = db->query(std::string("SELECT ") + kRecordingColumns + " FROM recordings r WHERE r.id = $1",
                              sql_params(recording_id));
  if (rows.empty()) throw NotFound("recording");
  return recording_from(rows[0]);
}

Recording ServerStore::get_recording(const Principal& who, const std::string& recording_id) {
  Recording r = load_recording_for_job(recording_id);
  const bool in_workspace = who.workspace_id.empty() || who.workspace_id == r.workspace_id;
  if (in_workspace && role_in(who.user.id, r.workspace_id)) return r;
  if (who.api_key_id.empty()) {
    auto db = pool_.acquire();
    if (!db->query("SELECT 1 FROM shares WHERE recording_id = $1 AND user_id = $2",
                   sql_params(recording_id, who.user.id))
             .empty()) {
      return r;
    }
  }
  throw NotFound("recording");
}

std::vector<Recording> ServerStore::list_recordings(const Principal& who, const std::string& workspace_id,
                                                    const std::string& text_query) {
  require_role(who, workspace_id, Role::viewer);
  std::string needle = text_query;
  for (auto& c : needle) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // LIKE wildcards in the user's text are matched literally.
  std::string pattern = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += "%";
  auto db = pool_.acquire();
  const auto rows = db->query(std::string("SELECT ") + kRecordingColumns +
                                  " FROM recordings r WHERE r.workspace_id = $1 AND r.status <> 'deleted' "
                                  "AND r.search_text LIKE $2 ESCAPE '\\' ORDER BY r.created_at DESC, r.id",
                              sql_params(workspace_id, pattern));
  std::vector<Recording> out;
  for (const auto& row : rows) out.push_back(recording_from(row));
  return out;
}

std::string ServerStore::delete_recording(const Principal& who, const std::string& recording_id) {
  const Recording r = get_recording(who, recording_id);
  const auto role = role_in(who.user.id, r.workspace_id);
  const bool may = role && (*role >= Role::admin || (*role >= Role::member && r.owner_id == who.user.id));
  if (!may) throw Forbidden("only the recording's owner or a workspace admin can delete it");
  if (r.legal_hold || workspace_settings(r.workspace_id).legal_hold) {
    throw Conflict("the recording is under legal hold and cannot be deleted now");
  }
  {
    auto db = pool_.acquire();
    SqlTransaction tx(*db);
    tombstone(*db, recording_id);
    tx.commit();
  }
  audit(who.user.id, r.workspace_id, "recording.delete", "recording", recording_id);
  return r.blob_name;
}

void ServerStore::share_recording(const Principal& who, const std::string& recording_id, const std::string& email) {
  const Recording r = get_recording(who, recording_id);
  const auto role = role_in(who.user.id, r.workspace_id);
  if (!role || *role < Role::member) throw Forbidden("sharing needs the member role or above");
  if (r.status == RecordingStatus::deleted) throw NotFound("recording");
  const auto user = find_user_by_email(email);
  if (!user) throw NotFound("user");
  auto db = pool_.acquire();
  db->execute(
      "INSERT INTO shares (recording_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      sql_params(recording_id, user->id, now_s()));
  audit(who.user.id, r.workspace_id, "recording.share", "recording", recording_id);
}

void ServerStore::correct_transcript(const Principal& who, const std::string& recording_id,
                                     const std::string& transcript_json) {
  const Recording r = get_recording(who, recording_id);
  const auto role = role_in(who.user.id, r.workspace_id);
  if (!role || (*role < Role::admin && r.owner_id != who.user.id)) {
    throw Forbidden("only the recording's owner or a workspace admin can correct it");
  }
  if (!workspace_settings(r.workspace_id).notes_enabled) throw Forbidden("notes are turned off in this workspace");
  auto db = pool_.acquire();
  db->execute("UPDATE recordings SET transcript_json = $1, search_text = $2 WHERE id = $3",
              sql_params(transcript_json, search_text_of(r.title, transcript_json), recording_id));
  audit(who.user.id, r.workspace_id, "transcript.correct", "recording", recording_id);
}

void ServerStore::tombstone(SqlConnection& db, const std::string& recording_id) {
  db.execute(
      "UPDATE recordings SET status = 'deleted', title = '', owner_id = NULL, blob_name = '', webhook_url = '', "
      "error = '', transcript_json = '', notes_json = '', search_text = '', duration_s = 0, deleted_at = $1 "
      "WHERE id = $2",
      sql_params(now_s(), recording_id));
  db.execute("DELETE FROM shares WHERE recording_id = $1", sql_params(recording_id));
  db.execute("DELETE FROM feedback WHERE recording_id = $1", sql_params(recording_id));
  db.execute("DELETE FROM jobs WHERE target_id = $1", sql_params(recording_id));
}

bool ServerStore::blob_in_use(const std::string& blob_name) {
  auto db = pool_.acquire();
  return !db->query("SELECT 1 FROM recordings WHERE blob_name = $1", sql_params(blob_name)).empty();
}

bool ServerStore::start_processing(const std::string& recording_id) {
  auto db = pool_.acquire();
  return db->execute("UPDATE recordings SET status = 'processing' WHERE id = $1 AND status <> 'deleted'",
                     sql_params(recording_id)) > 0;
}

void ServerStore::finish_recording(const std::string& recording_id, double duration_s,
                                   const std::string& transcript_json, const std::string& notes_json) {
  auto db = pool_.acquire();
  const auto rows = db->query("SELECT title FROM recordings WHERE id = $1", sql_params(recording_id));
  if (rows.empty()) return;
  db->execute(
      "UPDATE recordings SET status = 'completed', duration_s = $1, transcript_json = $2, notes_json = $3, "
      "search_text = $4 WHERE id = $5 AND status <> 'deleted'",
      sql_params(duration_s, transcript_json, notes_json, search_text_of(rows[0].text(0), transcript_json),
                 recording_id));
}

void ServerStore::fail_recording(const std::string& recording_id, const std::string& error) {
  auto db = pool_.acquire();
  db->execute("UPDATE recordings SET status = 'error', error = $1 WHERE id = $2 AND status <> 'deleted'",
              sql_params(error.substr(0, 500), recording_id));
}

void ServerStore::set_recording_hold(const Principal& who, const std::string& recording_id, bool hold) {
  const Recording r = get_recording(who, recording_id);
  require_role(who, r.workspace_id, Role::admin);
  auto db = pool_.acquire();
  db->execute("UPDATE recordings SET legal_hold = $1 WHERE id = $2", sql_params(hold, recording_id));
  audit(who.user.id, r.workspace_id, hold ? "recording.hold" : "recording.release", "recording", recording_id);
}

}  // namespace hush::store
