// The team server's data: accounts, sessions and API keys, workspaces with roles and settings,
// recordings with transcripts and notes, shares, the durable job queue, the audit log, consents
// and data-subject requests. One implementation over SqlConnection (sql_connection.h), so the
// SQLite and PostgreSQL backends run the very same queries and the same test suite.
//
// Access rules live here, next to the data, so every read goes through them (privacy P4):
//   owner, admin  read and delete everything in the workspace, change settings and members;
//   member        reads the workspace's recordings, creates its own, deletes its own;
//   viewer        reads the workspace's recordings;
//   a share       lets one user outside the workspace read one recording.
// A refusal and a missing id look the same to the caller (NotFound), so ids do not leak.
//
// Privacy promises kept here (../shared/docs/privacy.md; tests in tests/policy/):
//   P2 recordings only while the workspace records and with consent;  P3 notes off = nothing
//   stored;  P4 access;  P5 deletion leaves nothing (secure_delete on SQLite);  P6 retention
//   sweep with legal hold;  P7 anonymous statistics;  P8 no IP address is ever passed in;
//   P9 data-subject rights;  P10 voice profiles need consent;  P11 feedback for training only
//   with permission;  P13 external summarizer off until an admin turns it on;  P14 audit log.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/sql_connection.h"
#include "util/error.h"

namespace hush::store {

// Unix seconds; injectable so retention and expiry can be tested.
using ServerClock = std::function<std::int64_t()>;

enum class Role { viewer = 0, member = 1, admin = 2, owner = 3 };
const char* role_name(Role role);
Role role_from_name(const std::string& name);  // HUSH_ERR_INVALID_ARGUMENT for others

// Thrown when an id is unknown or the caller may not see it (HTTP 404).
class NotFound : public Error {
 public:
  explicit NotFound(const std::string& what) : Error(HUSH_ERR_INVALID_ARGUMENT, what + " not found") {}
};
// Thrown when the caller is known and may see the thing but not do this to it (HTTP 403).
class Forbidden : public Error {
 public:
  explicit Forbidden(const std::string& why) : Error(HUSH_ERR_INVALID_ARGUMENT, why) {}
};
// A conflict with the current state (HTTP 409), e.g. an e-mail address already registered.
class Conflict : public Error {
 public:
  explicit Conflict(const std::string& why) : Error(HUSH_ERR_INVALID_ARGUMENT, why) {}
};

inline constexpr std::int64_t kSessionLifetimeS = 12 * 3600;

struct User {
  std::string id, email, name;
  bool server_admin = false;
  bool restricted = false;  // P9 restriction: no new processing of this user's data
  std::int64_t created_at_s = 0;
};

// Who is asking: resolved from a session token or an API key on every request.
struct Principal {
  User user;
  std::string workspace_id;  // the API key's workspace; "" for a session token
  std::string api_key_id;    // "" for a session token
};

struct WorkspaceSettings {
  bool recording_enabled = false;  // P2: recordings are kept only while this is on
  bool notes_enabled = true;       // P3
  int retention_days = 0;          // P6: 0 = keep until deleted
  bool legal_hold = false;         // P6: pauses retention deletion for the whole workspace
  bool external_summarizer = false;  // P13: off until an admin turns it on
};

struct Workspace {
  std::string id, name;
  std::int64_t created_at_s = 0;
  WorkspaceSettings settings;
};

struct Member {
  std::string user_id, email, name;
  Role role = Role::viewer;
};

struct ApiKeyInfo {
  std::string id, workspace_id, name;
  std::int64_t created_at_s = 0;
  std::optional<std::int64_t> expires_at_s;
};

enum class RecordingStatus { queued, processing, completed, error, deleted };
const char* status_name(RecordingStatus status);

struct Recording {
  std::string id, workspace_id, owner_id, title;
  std::int64_t created_at_s = 0;
  RecordingStatus status = RecordingStatus::queued;
  double duration_s = 0.0;
  std::string blob_name;    // encrypted audio in the blob store; "" once deleted
  std::string webhook_url;  // called when the job ends
  std::string error;
  std::string transcript_json;  // meeting::Transcript JSON, "" until transcribed / notes off
  std::string notes_json;       // meeting::Notes JSON, "" until made / notes off
  std::optional<std::int64_t> deleted_at_s;
  bool legal_hold = false;
};

struct NewRecording {
  std::string title;
  std::string blob_name;  // already written to the blob store
  double duration_s = 0.0;
  std::string webhook_url;
  bool consent = false;  // the caller states that the people recorded agreed (P2)
};

struct Job {
  std::string id, kind, target_id;
  int attempts = 0;
};

struct AuditEntry {
  std::int64_t at_s = 0;
  std::string actor_id, workspace_id, action, target_kind, target_id;
};

struct UsageStats {  // P7: counts only, no identifiers
  std::int64_t users = 0, workspaces = 0, recordings = 0, completed_recordings = 0;
  double recorded_hours = 0.0;
  std::int64_t jobs_queued = 0;
};

struct PrivacyRequest {
  std::string id, user_id, kind, handled_by;
  std::int64_t requested_at_s = 0;
  std::optional<std::int64_t> completed_at_s;
};

inline constexpr int kMaxJobAttempts = 3;
// A claimed job whose lease runs out is taken again by any worker. The lease is short and the
// claiming process renews it while the job runs (renew_job_lease, every kJobLeaseRenewS), so a
// job of a process that died (kill -9, power cut) is picked up within kJobLeaseS of its last
// renewal, by a restarted hushd or by another process sharing the database, while a long job of
// a live process is never taken from it. A lease is per process and job, not per data directory,
// because several hushd processes may share one PostgreSQL.
inline constexpr std::int64_t kJobLeaseS = 30;
inline constexpr std::int64_t kJobLeaseRenewS = 10;

class ServerStore {
 public:
  // Migrates the schema on the first connection. `clock` defaults to the system clock.
  explicit ServerStore(SqlPool& pool, ServerClock clock = {});
  std::int64_t now_s() const { return clock_(); }
  SqlDialect dialect() const { return pool_.dialect(); }

  // ---- accounts (server_accounts.cpp)
  bool has_users();
  // Conflict for a taken e-mail; INVALID_ARGUMENT for a malformed e-mail or a short password.
  User create_user(const std::string& email, const std::string& name, const std::string& password, bool server_admin);
  // A new session token (shown once), or nullopt for a wrong e-mail or password (same answer).
  std::optional<std::string> login(const std::string& email, const std::string& password);
  void logout(const std::string& session_token);
  // The principal behind an "Authorization: Bearer|Token <secret>" value, or nullopt when the
  // secret is unknown, revoked or expired.
  std::optional<Principal> authenticate(const std::string& secret);
  User get_user(const std::string& user_id);
  std::optional<User> find_user_by_email(const std::string& email);
  void rename_user(const Principal& who, const std::string& name);  // P9 rectification
  void set_restricted(const std::string& user_id, bool restricted);  // P9 restriction

  // ---- workspaces and keys (server_workspaces.cpp)
  Workspace create_workspace(const Principal& who, const std::string& name);  // who becomes owner
  Workspace get_workspace(const Principal& who, const std::string& workspace_id);  // any member
  std::vector<Workspace> list_workspaces(const Principal& who);
  Workspace update_settings(const Principal& who, const std::string& workspace_id, const WorkspaceSettings& settings);
  std::vector<Member> list_members(const Principal& who, const std::string& workspace_id);
  void set_member(const Principal& who, const std::string& workspace_id, const std::string& email, Role role);
  void remove_member(const Principal& who, const std::string& workspace_id, const std::string& user_id);
  // The caller's role, or nullopt when not a member.
  std::optional<Role> role_in(const std::string& user_id, const std::string& workspace_id);
  // Throws NotFound (not a member) or Forbidden (role below `at_least`).
  Role require_role(const Principal& who, const std::string& workspace_id, Role at_least);
  // The key (shown once) for `who` in a workspace they belong to (member or above).
  std::pair<ApiKeyInfo, std::string> create_api_key(const Principal& who, const std::string& workspace_id,
                                                    const std::string& name, std::optional<std::int64_t> expires_at_s);
  std::vector<ApiKeyInfo> list_api_keys(const Principal& who);
  void revoke_api_key(const Principal& who, const std::string& key_id);

  // ---- recordings (server_recordings.cpp)
  // P2: Forbidden while the workspace does not record or without consent; also enqueues the
  // transcription job in the same transaction.
  Recording create_recording(const Principal& who, const std::string& workspace_id, const NewRecording& recording);
  Recording get_recording(const Principal& who, const std::string& recording_id);  // P4
  std::vector<Recording> list_recordings(const Principal& who, const std::string& workspace_id,
                                         const std::string& text_query = "");
  // Deletes transcript, notes and audio reference, leaving a tombstone (id, status deleted,
  // deleted_at). Returns the blob name the caller must delete from the blob store.
  std::string delete_recording(const Principal& who, const std::string& recording_id);
  void share_recording(const Principal& who, const std::string& recording_id, const std::string& email);
  // Corrections (P9 rectification): replaces the transcript, keeping notes state as settings allow.
  void correct_transcript(const Principal& who, const std::string& recording_id, const std::string& transcript_json);

  // For the job worker (no principal: the system acts).
  Recording load_recording_for_job(const std::string& recording_id);
  WorkspaceSettings workspace_settings(const std::string& workspace_id);
  void finish_recording(const std::string& recording_id, double duration_s, const std::string& transcript_json,
                        const std::string& notes_json);
  void fail_recording(const std::string& recording_id, const std::string& error);
  // Whether any recording's audio is this blob (uploads nobody used expire: hushd.h).
  bool blob_in_use(const std::string& blob_name);
  // Marks the recording processing; false when it was deleted meanwhile.
  bool start_processing(const std::string& recording_id);

  // ---- job queue (server_jobs.cpp): durable, any worker in any process may take a job.
  std::string enqueue_job(SqlConnection& db, const std::string& kind, const std::string& target_id);
  std::optional<Job> claim_job(const std::string& worker_id);
  // Extends the lease of a job this worker still holds; false when it no longer does (the job
  // ended, or its lease ran out and another worker took it).
  bool renew_job_lease(const std::string& job_id, const std::string& worker_id);
  void complete_job(const std::string& job_id);
  // Retries later (after 2^attempts seconds) until kMaxJobAttempts, then gives up for good.
  void fail_job(const std::string& job_id, const std::string& error);
  std::int64_t pending_jobs();

  // ---- retention (server_retention.cpp): P6
  // Deletes recordings older than each workspace's retention (unless the workspace or the
  // recording is on hold) and returns their blob names for the caller to delete.
  std::vector<std::string> sweep_retention();
  void set_recording_hold(const Principal& who, const std::string& recording_id, bool hold);

  // ---- audit (server_audit.cpp): P14, no IP addresses (P8)
  void audit(const std::string& actor_id, const std::string& workspace_id, const std::string& action,
             const std::string& target_kind, const std::string& target_id);
  std::vector<AuditEntry> audit_log(const Principal& who, const std::string& workspace_id);  // admin+

  UsageStats usage_stats(const Principal& who);  // server admins only (P7: counts only)

  // ---- privacy (server_privacy.cpp): P9, P10, P11
  void set_consent(const std::string& user_id, const std::string& kind, bool granted);
  bool has_consent(const std::string& user_id, const std::string& kind);
  std::vector<std::string> consents(const std::string& user_id);
  // P10: only with the "speaker_identification" consent; withdrawing it deletes the profile.
  void store_voice_profile(const std::string& user_id, const std::vector<float>& embedding);
  std::optional<std::vector<float>> voice_profile(const std::string& user_id);
  // P11: feedback is kept only when given; it is exportable for training only with permission.
  void add_feedback(const Principal& who, const std::string& recording_id, int rating, const std::string& comment,
                    bool training_permission);
  std::vector<std::string> training_feedback_json();  // only rows with permission
  // Everything stored about the user, as JSON documents by table (for the export ZIP).
  std::vector<std::pair<std::string, std::string>> export_user_data(const std::string& user_id);
  // Erasure: the account, its sessions, keys, consents, profile, feedback and the recordings it
  // owns (their blob names are returned for deletion). Refused while a legal hold covers them.
  std::vector<std::string> erase_user(const std::string& user_id);
  std::string log_privacy_request(const std::string& user_id, const std::string& kind, const std::string& handled_by);
  void complete_privacy_request(const std::string& request_id);
  std::vector<PrivacyRequest> privacy_requests(const Principal& who, const std::string& workspace_id);

 private:
  // Turns a recording into a tombstone (id, workspace, status deleted, deleted_at) inside the
  // caller's transaction, dropping its shares, feedback and jobs.
  void tombstone(SqlConnection& db, const std::string& recording_id);

  SqlPool& pool_;
  ServerClock clock_;
};

}  // namespace hush::store
