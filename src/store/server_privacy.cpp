// Data-subject rights (P9), voice-profile consent (P10) and training permission (P11).
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "store/server_ids.h"
#include "store/server_store.h"
#include "store/sql_params.h"

namespace hush::store {

namespace {

const char* const kConsentKinds[] = {"speaker_identification", "training_feedback", "recording"};

void check_consent_kind(const std::string& kind) {
  for (const char* k : kConsentKinds) {
    if (kind == k) return;
  }
  throw Error(HUSH_ERR_INVALID_ARGUMENT,
              "unknown consent '" + kind.substr(0, 40) + "' (speaker_identification, training_feedback, recording)");
}

nlohmann::json rows_to_json(const SqlRows& rows, const std::vector<std::string>& columns) {
  auto out = nlohmann::json::array();
  for (const auto& row : rows) {
    nlohmann::json item = nlohmann::json::object();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto& v = row.values[i];
      if (std::holds_alternative<std::int64_t>(v)) item[columns[i]] = std::get<std::int64_t>(v);
      else if (std::holds_alternative<double>(v)) item[columns[i]] = std::get<double>(v);
      else if (std::holds_alternative<std::string>(v)) item[columns[i]] = std::get<std::string>(v);
      else if (std::holds_alternative<SqlBlob>(v)) item[columns[i]] = std::get<SqlBlob>(v).bytes.size();
      else item[columns[i]] = nullptr;
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

void ServerStore::set_consent(const std::string& user_id, const std::string& kind, bool granted) {
  check_consent_kind(kind);
  auto db = pool_.acquire();
  SqlTransaction tx(*db);
  if (granted) {
    db->execute(
        "INSERT INTO consents (user_id, kind, granted_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, kind) DO NOTHING",
        sql_params(user_id, kind, now_s()));
  } else {
    db->execute("DELETE FROM consents WHERE user_id = $1 AND kind = $2", sql_params(user_id, kind));
    // Withdrawing consent removes what it allowed (P10, P11).
    if (kind == "speaker_identification") db->execute("DELETE FROM voice_profiles WHERE user_id = $1", sql_params(user_id));
    if (kind == "training_feedback") {
      db->execute("UPDATE feedback SET training_permission = 0 WHERE user_id = $1", sql_params(user_id));
    }
  }
  tx.commit();
}

bool ServerStore::has_consent(const std::string& user_id, const std::string& kind) {
  auto db = pool_.acquire();
  return !db->query("SELECT 1 FROM consents WHERE user_id = $1 AND kind = $2", sql_params(user_id, kind)).empty();
}

std::vector<std::string> ServerStore::consents(const std::string& user_id) {
  auto db = pool_.acquire();
  std::vector<std::string> out;
  for (const auto& row : db->query("SELECT kind FROM consents WHERE user_id = $1 ORDER BY kind", sql_params(user_id))) {
    out.push_back(row.text(0));
  }
  return out;
}

void ServerStore::store_voice_profile(const std::string& user_id, const std::vector<float>& embedding) {
  if (!has_consent(user_id, "speaker_identification")) {
    throw Forbidden("a voice profile needs the speaker_identification consent");
  }
  if (embedding.empty() || embedding.size() > 4096) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "a voice profile has 1 to 4096 values");
  }
  for (float v : embedding) {
    if (!std::isfinite(v)) throw Error(HUSH_ERR_INVALID_ARGUMENT, "a voice profile holds only finite values");
  }
  SqlBlob blob;
  blob.bytes.resize(embedding.size() * sizeof(float));
  std::memcpy(blob.bytes.data(), embedding.data(), blob.bytes.size());
  auto db = pool_.acquire();
  db->execute(
      "INSERT INTO voice_profiles (user_id, embedding, created_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id) DO UPDATE SET embedding = excluded.embedding, created_at = excluded.created_at",
      sql_params(user_id, blob, now_s()));
}

std::optional<std::vector<float>> ServerStore::voice_profile(const std::string& user_id) {
  auto db = pool_.acquire();
  const auto rows = db->query("SELECT embedding FROM voice_profiles WHERE user_id = $1", sql_params(user_id));
  if (rows.empty()) return std::nullopt;
  const auto& bytes = rows[0].blob(0);
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

void ServerStore::add_feedback(const Principal& who, const std::string& recording_id, int rating,
                               const std::string& comment, bool training_permission) {
  get_recording(who, recording_id);  // P4: only what the user may read
  if (rating < 1 || rating > 5) throw Error(HUSH_ERR_INVALID_ARGUMENT, "rating must be 1 to 5");
  if (comment.size() > 2000) throw Error(HUSH_ERR_INVALID_ARGUMENT, "a comment has at most 2000 characters");
  const bool permitted = training_permission && has_consent(who.user.id, "training_feedback");
  if (training_permission && !permitted) {
    throw Forbidden("training permission needs the training_feedback consent first");
  }
  auto db = pool_.acquire();
  db->execute(
      "INSERT INTO feedback (id, user_id, recording_id, rating, comment, training_permission, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      sql_params(new_id("fb"), who.user.id, recording_id, rating, comment, permitted, now_s()));
}

std::vector<std::string> ServerStore::training_feedback_json() {
  auto db = pool_.acquire();
  const auto rows = db->query(
      "SELECT f.rating, f.comment, r.transcript_json FROM feedback f JOIN recordings r ON r.id = f.recording_id "
      "JOIN consents c ON c.user_id = f.user_id AND c.kind = 'training_feedback' "
      "JOIN users u ON u.id = f.user_id "
      "WHERE f.training_permission = 1 AND u.restricted = 0 AND r.status <> 'deleted' ORDER BY f.created_at, f.id");
  std::vector<std::string> out;
  for (const auto& row : rows) {
    out.push_back(nlohmann::json{{"rating", row.integer(0)}, {"comment", row.text(1)}, {"transcript", row.text(2)}}.dump());
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ServerStore::export_user_data(const std::string& user_id) {
  auto db = pool_.acquire();
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const std::string& name, const std::string& sql, const std::vector<std::string>& columns) {
    out.emplace_back(name, rows_to_json(db->query(sql, sql_params(user_id)), columns).dump(2));
  };
  add("account", "SELECT id, email, name, server_admin, restricted, created_at FROM users WHERE id = $1",
      {"id", "email", "name", "server_admin", "restricted", "created_at"});
  add("memberships", "SELECT workspace_id, role FROM memberships WHERE user_id = $1", {"workspace_id", "role"});
  add("api_keys", "SELECT id, workspace_id, name, created_at, expires_at FROM api_keys WHERE user_id = $1",
      {"id", "workspace_id", "name", "created_at", "expires_at"});
  add("recordings",
      "SELECT id, workspace_id, title, created_at, status, duration_s, transcript_json, notes_json, blob_name "
      "FROM recordings WHERE owner_id = $1 AND status <> 'deleted'",
      {"id", "workspace_id", "title", "created_at", "status", "duration_s", "transcript", "notes", "audio_blob"});
  add("shares_received", "SELECT recording_id, created_at FROM shares WHERE user_id = $1",
      {"recording_id", "created_at"});
  add("consents", "SELECT kind, granted_at FROM consents WHERE user_id = $1", {"kind", "granted_at"});
  add("voice_profile", "SELECT created_at, embedding FROM voice_profiles WHERE user_id = $1",
      {"created_at", "embedding_bytes"});
  add("feedback", "SELECT recording_id, rating, comment, training_permission, created_at FROM feedback WHERE user_id = $1",
      {"recording_id", "rating", "comment", "training_permission", "created_at"});
  add("audit_log", "SELECT at, workspace_id, action, target_kind, target_id FROM audit_log WHERE actor_id = $1",
      {"at", "workspace_id", "action", "target_kind", "target_id"});
  add("privacy_requests", "SELECT id, kind, requested_at, completed_at FROM privacy_requests WHERE user_id = $1",
      {"id", "kind", "requested_at", "completed_at"});
  return out;
}

std::vector<std::string> ServerStore::erase_user(const std::string& user_id) {
  auto db = pool_.acquire();
  const auto held = db->query(
      "SELECT 1 FROM recordings r JOIN workspaces w ON w.id = r.workspace_id "
      "WHERE r.owner_id = $1 AND r.status <> 'deleted' AND (r.legal_hold = 1 OR w.legal_hold = 1) LIMIT 1",
      sql_params(user_id));
  if (!held.empty()) throw Conflict("some of this user's recordings are under legal hold; erasure waits for the hold");
  const auto owners = db->query(
      "SELECT m.workspace_id FROM memberships m WHERE m.user_id = $1 AND m.role = 'owner' AND NOT EXISTS "
      "(SELECT 1 FROM memberships o WHERE o.workspace_id = m.workspace_id AND o.role = 'owner' AND o.user_id <> $1)",
      sql_params(user_id));
  std::vector<std::string> blobs;
  SqlTransaction tx(*db);
  const auto recs = db->query("SELECT id, blob_name FROM recordings WHERE owner_id = $1 AND status <> 'deleted'",
                              sql_params(user_id));
  for (const auto& row : recs) {
    tombstone(*db, row.text(0));
    if (!row.text(1).empty()) blobs.push_back(row.text(1));
  }
  // A workspace whose only owner leaves goes with them, with everything in it.
  for (const auto& row : owners) {
    for (const auto& r : db->query("SELECT blob_name FROM recordings WHERE workspace_id = $1 AND blob_name <> ''",
                                   sql_params(row.text(0)))) {
      blobs.push_back(r.text(0));
    }
    db->execute("DELETE FROM workspaces WHERE id = $1", sql_params(row.text(0)));
  }
  // Audit entries keep the pseudonymous id, not who it was: the account row they pointed to
  // is gone.
  db->execute("DELETE FROM users WHERE id = $1", sql_params(user_id));
  tx.commit();
  return blobs;
}

std::string ServerStore::log_privacy_request(const std::string& user_id, const std::string& kind,
                                             const std::string& handled_by) {
  auto db = pool_.acquire();
  std::string workspaces;
  for (const auto& row : db->query("SELECT workspace_id FROM memberships WHERE user_id = $1", sql_params(user_id))) {
    workspaces += row.text(0) + ",";
  }
  const std::string id = new_id("dsr");
  db->execute(
      "INSERT INTO privacy_requests (id, user_id, workspace_ids, kind, handled_by, requested_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      sql_params(id, user_id, workspaces, kind, handled_by, now_s()));
  return id;
}

void ServerStore::complete_privacy_request(const std::string& request_id) {
  auto db = pool_.acquire();
  db->execute("UPDATE privacy_requests SET completed_at = $1 WHERE id = $2", sql_params(now_s(), request_id));
}

std::vector<PrivacyRequest> ServerStore::privacy_requests(const Principal& who, const std::string& workspace_id) {
  require_role(who, workspace_id, Role::admin);
  auto db = pool_.acquire();
  const auto rows = db->query(
      "SELECT id, user_id, kind, handled_by, requested_at, completed_at FROM privacy_requests "
      "WHERE workspace_ids LIKE $1 ORDER BY requested_at, id",
      sql_params("%" + workspace_id + ",%"));
  std::vector<PrivacyRequest> out;
  for (const auto& r : rows) {
    PrivacyRequest p{r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4), std::nullopt};
    if (!r.is_null(5)) p.completed_at_s = r.integer(5);
    out.push_back(p);
  }
  return out;
}

}  // namespace hush::store
