#include "store/sqlite_library.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "crypto/hush_home.h"
#include "store/sqlite_schema.h"
#include "util/error.h"

namespace hush::store {
namespace {

constexpr const char* kMeetingColumns =
    "SELECT m.id, m.title, m.created_at, m.duration_s, m.audio_path, m.source, m.on_hold, "
    "EXISTS (SELECT 1 FROM transcripts t WHERE t.meeting_id = m.id), "
    "EXISTS (SELECT 1 FROM notes n WHERE n.meeting_id = m.id) FROM meetings m ";

// The retention limit in days, capped so days * 86400 cannot overflow (and 100 years is
// "forever" in practice anyway).
constexpr int kMaxRetentionDays = 36500;

MeetingInfo meeting_from_row(const Stmt& st) {
  MeetingInfo m;
  m.id = st.column_int64(0);
  m.title = st.column_text(1);
  m.created_at_s = st.column_int64(2);
  m.duration_s = st.column_double(3);
  m.audio_path = st.column_text(4);
  m.source = st.column_text(5);
  m.on_hold = st.column_int64(6) != 0;
  m.has_transcript = st.column_int64(7) != 0;
  m.has_notes = st.column_int64(8) != 0;
  return m;
}

// Creates `home` (0700) and returns the database path inside it.
std::string prepare_library_path(const std::string& home) {
  if (home.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "the meeting library needs a data directory");
  make_private_dirs(home);
  return home + "/library.db";
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

void remove_file(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw Error(HUSH_ERR_IO, path + ": cannot delete the meeting's audio: " + std::generic_category().message(errno));
}

}  // namespace

std::int64_t system_clock_now_s() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string recordings_dir(const std::string& home) { return home + "/recordings"; }

std::vector<std::string> audio_file_variants(const std::string& audio_path) {
  // `hush record --encrypt` writes "<name>.ogg.enc" where a plain recording is "<name>.ogg".
  static const std::string kEncrypted = ".enc";
  if (audio_path.empty()) return {};
  if (audio_path.size() > kEncrypted.size() && audio_path.ends_with(kEncrypted))
    return {audio_path, audio_path.substr(0, audio_path.size() - kEncrypted.size())};
  return {audio_path, audio_path + kEncrypted};
}

std::unique_ptr<MeetingLibrary> open_meeting_library(const std::string& home, Clock clock) {
  return std::make_unique<SqliteMeetingLibrary>(home, std::move(clock));
}

SqliteMeetingLibrary::SqliteMeetingLibrary(const std::string& home, Clock clock)
    : db_(prepare_library_path(home)), clock_(clock ? std::move(clock) : Clock(system_clock_now_s)) {
  // The library is private: owner-only before the first write creates -wal and -shm (SQLite
  // gives those the database file's mode).
  ::chmod(db_.path().c_str(), 0600);
  db_.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
  if (enable_wal(db_.handle(), db_.path(), "the meeting library", kBusyTimeoutMs) != "wal")
    throw Error(HUSH_ERR_IO, db_.path() + ": cannot switch the library to WAL mode");
  // secure_delete: deleted content is overwritten with zeros (P5). temp_store: sorts and
  // temporary tables stay in memory, never in a temp file outside HUSH_HOME.
  db_.exec("PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
           "PRAGMA synchronous = NORMAL");
  if (db_.query_int("PRAGMA secure_delete") != 1)
    throw Error(HUSH_ERR_INTERNAL, "this SQLite build cannot turn on secure_delete");
  migrate(db_);
}

// ---------------------------------------------------------------------------------------------
// Meetings

MeetingId SqliteMeetingLibrary::add_meeting(const NewMeeting& m) {
  if (m.title.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "a meeting needs a title");
  if (!std::isfinite(m.duration_s) || m.duration_s < 0)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "meeting duration must be a finite number of seconds >= 0");
  std::string audio;
  if (!m.audio_path.empty()) {
    audio = absolute_path(m.audio_path);
    struct stat st {};
    if (::stat(audio.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      throw Error(HUSH_ERR_IO, m.audio_path + ": no such audio file");
  }
  Transaction tx(db_);
  if (!audio.empty() && !settings().recording_enabled)
    throw Error(HUSH_ERR_INVALID_ARGUMENT,
                "recording is off: the library keeps no audio (turn it on with hush meetings settings --recording on)");
  Stmt(db_, "INSERT INTO meetings (title, created_at, duration_s, audio_path, source) VALUES (?, ?, ?, ?, ?)")
      .bind(1, m.title)
      .bind(2, m.created_at_s.value_or(clock_()))
      .bind(3, m.duration_s)
      .bind(4, audio)
      .bind(5, m.source)
      .run();
  const MeetingId id = db_.last_insert_rowid();
  tx.commit();
  return id;
}

std::vector<MeetingInfo> SqliteMeetingLibrary::query_meetings(const std::string& where_sql, MeetingId id_param) {
  Stmt st(db_, std::string(kMeetingColumns) + where_sql);
  if (where_sql.find('?') != std::string::npos) st.bind(1, id_param);
  std::vector<MeetingInfo> out;
  while (st.step()) out.push_back(meeting_from_row(st));
  return out;
}

MeetingInfo SqliteMeetingLibrary::require_meeting(MeetingId id) {
  std::vector<MeetingInfo> found = query_meetings("WHERE m.id = ?", id);
  if (found.empty())
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "no meeting with ID " + std::to_string(id) + " (see hush meetings list)");
  return found.front();
}

std::vector<MeetingInfo> SqliteMeetingLibrary::list() {
  return query_meetings("ORDER BY m.created_at DESC, m.id DESC", 0);
}

std::optional<MeetingInfo> SqliteMeetingLibrary::find_by_audio_path(const std::string& audio_path) {
  if (audio_path.empty()) return std::nullopt;
  Stmt st(db_, std::string(kMeetingColumns) + "WHERE m.audio_path = ? ORDER BY m.id LIMIT 1");
  st.bind(1, absolute_path(audio_path));
  if (!st.step()) return std::nullopt;
  return meeting_from_row(st);
}

Meeting SqliteMeetingLibrary::get(MeetingId id) {
  Meeting out;
  out.info = require_meeting(id);
  Stmt t(db_, "SELECT json FROM transcripts WHERE meeting_id = ?");
  t.bind(1, id);
  // A row that no longer parses is a corrupt library, reported as such rather than crashing.
  try {
    if (t.step()) out.transcript = meeting::transcript_from_json(nlohmann::json::parse(t.column_text(0)));
    Stmt n(db_, "SELECT json FROM notes WHERE meeting_id = ?");
    n.bind(1, id);
    if (n.step()) out.notes = meeting::notes_from_json(nlohmann::json::parse(n.column_text(0)));
  } catch (const nlohmann::json::exception& e) {
    throw Error(HUSH_ERR_FORMAT, db_.path() + ": meeting " + std::to_string(id) + " has unreadable JSON: " + e.what());
  }
  return out;
}

void SqliteMeetingLibrary::set_hold(MeetingId id, bool on_hold) {
  Transaction tx(db_);
  require_meeting(id);
  Stmt(db_, "UPDATE meetings SET on_hold = ? WHERE id = ?").bind(1, on_hold ? 1 : 0).bind(2, id).run();
  tx.commit();
}

// ---------------------------------------------------------------------------------------------
// Transcript and notes (P3)

void SqliteMeetingLibrary::require_notes_enabled(const char* what) {
  if (!settings().notes_enabled)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, std::string("meeting notes are off, so the library stores no ") + what +
                                               " (turn them on with hush meetings settings --notes on)");
}

void SqliteMeetingLibrary::attach_transcript(MeetingId id, const meeting::Transcript& transcript) {
  const std::string json = meeting::to_json(transcript).dump();
  Transaction tx(db_);
  require_notes_enabled("transcripts");
  const MeetingInfo m = require_meeting(id);
  Stmt(db_, "DELETE FROM search_index WHERE meeting_id = ? AND kind = 'transcript'").bind(1, id).run();
  Stmt(db_, "DELETE FROM segments WHERE meeting_id = ?").bind(1, id).run();
  const bool replacing = m.has_transcript;
  Stmt(db_, "INSERT OR REPLACE INTO transcripts (meeting_id, json) VALUES (?, ?)").bind(1, id).bind(2, json).run();
  Stmt seg(db_, "INSERT INTO segments (meeting_id, idx, start_s, end_s, speaker, text) VALUES (?, ?, ?, ?, ?, ?)");
  Stmt fts(db_, "INSERT INTO search_index (text, meeting_id, kind, start_s, end_s) VALUES (?, ?, 'transcript', ?, ?)");
  for (std::size_t i = 0; i < transcript.segments.size(); ++i) {
    const meeting::Segment& s = transcript.segments[i];
    seg.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, s.start_s).bind(4, s.end_s);
    seg.bind(5, transcript.speaker_label(s.speaker)).bind(6, s.text).run();
    seg.reset();
    fts.bind(1, s.text).bind(2, id).bind(3, s.start_s).bind(4, s.end_s).run();
    fts.reset();
  }
  if (m.duration_s <= 0 && transcript.duration_s > 0)
    Stmt(db_, "UPDATE meetings SET duration_s = ? WHERE id = ?").bind(1, transcript.duration_s).bind(2, id).run();
  // A corrected transcript may have removed something on purpose: leave none of the old text.
  if (replacing) purge_search_index();
  tx.commit();
  if (replacing) checkpoint_truncate();
}

void SqliteMeetingLibrary::attach_notes(MeetingId id, const meeting::Notes& notes) {
  const std::string json = meeting::to_json(notes).dump();
  Transaction tx(db_);
  require_notes_enabled("notes");
  const MeetingInfo m = require_meeting(id);
  Stmt(db_, "DELETE FROM search_index WHERE meeting_id = ? AND kind = 'notes'").bind(1, id).run();
  Stmt(db_, "INSERT OR REPLACE INTO notes (meeting_id, json) VALUES (?, ?)").bind(1, id).bind(2, json).run();
  Stmt fts(db_, "INSERT INTO search_index (text, meeting_id, kind, start_s, end_s) VALUES (?, ?, 'notes', ?, ?)");
  auto index = [&](const std::string& text, double start_s, double end_s) {
    if (text.empty()) return;
    fts.bind(1, text).bind(2, id).bind(3, start_s).bind(4, end_s).run();
    fts.reset();
  };
  for (const meeting::NoteLine& l : notes.summary) index(l.text, l.time_s, l.time_s);
  for (const meeting::ActionItem& a : notes.action_items) {
    std::string text = a.text;
    if (!a.owner.empty()) text += " (owner: " + a.owner + ")";
    if (!a.due.empty()) text += " (due: " + a.due + ")";
    index(text, a.time_s, a.time_s);
  }
  for (const meeting::NoteLine& l : notes.decisions) index(l.text, l.time_s, l.time_s);
  for (const meeting::NoteLine& l : notes.questions) index(l.text, l.time_s, l.time_s);
  for (const meeting::Chapter& c : notes.chapters) index(c.title, c.start_s, c.end_s);
  std::string topics;
  for (const std::string& t : notes.topics) topics += (topics.empty() ? "" : ", ") + t;
  index(topics, 0.0, 0.0);
  if (m.has_notes) purge_search_index();
  tx.commit();
  if (m.has_notes) checkpoint_truncate();
}

// ---------------------------------------------------------------------------------------------
// Deletion (P5)

void SqliteMeetingLibrary::purge_search_index() {
  db_.exec("INSERT INTO search_index (search_index) VALUES ('optimize')");
}

void SqliteMeetingLibrary::checkpoint_truncate() {
  // With another handle mid-read the checkpoint cannot finish (busy = 1, or SQLITE_BUSY after
  // the busy timeout); the frames are then overwritten by a later checkpoint. The deletion has
  // committed by now, so that is not reported as a failure of it.
  try {
    Stmt st(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
    st.run();
  } catch (const Error&) {
  }
}

void SqliteMeetingLibrary::delete_inside_transaction(const MeetingInfo& m) {
  Stmt(db_, "DELETE FROM search_index WHERE meeting_id = ?").bind(1, m.id).run();
  Stmt(db_, "DELETE FROM meetings WHERE id = ?").bind(1, m.id).run();  // cascades to the rest
  // Audio goes before COMMIT: if it cannot be removed, the rollback keeps the meeting listed
  // so the user can see it and try again, rather than leaving an orphaned recording.
  // Unlinking is what a file system offers; overwriting in place is not reliable on
  // journaling/copy-on-write file systems and SSDs, which is why recordings can be encrypted
  // at rest (P12) and shredded with their key.
  for (const std::string& path : audio_file_variants(m.audio_path)) remove_file(path);
}

void SqliteMeetingLibrary::delete_meeting(MeetingId id) {
  Transaction tx(db_);
  const MeetingInfo m = require_meeting(id);
  delete_inside_transaction(m);
  purge_search_index();
  tx.commit();
  checkpoint_truncate();
}

void SqliteMeetingLibrary::delete_notes(MeetingId id) {
  Transaction tx(db_);
  if (!require_meeting(id).has_notes) return;
  Stmt(db_, "DELETE FROM search_index WHERE meeting_id = ? AND kind = 'notes'").bind(1, id).run();
  Stmt(db_, "DELETE FROM notes WHERE meeting_id = ?").bind(1, id).run();
  purge_search_index();
  tx.commit();
  checkpoint_truncate();
}

// ---------------------------------------------------------------------------------------------
// Settings and retention (P6)

LibrarySettings SqliteMeetingLibrary::settings() {
  Stmt st(db_, "SELECT notes_enabled, recording_enabled, retention_days FROM settings WHERE id = 1");
  LibrarySettings s;
  if (st.step()) {
    s.notes_enabled = st.column_int64(0) != 0;
    s.recording_enabled = st.column_int64(1) != 0;
    s.retention_days = static_cast<int>(st.column_int64(2));
  }
  return s;
}

void SqliteMeetingLibrary::set_notes_enabled(bool enabled) {
  Stmt(db_, "UPDATE settings SET notes_enabled = ? WHERE id = 1").bind(1, enabled ? 1 : 0).run();
}

void SqliteMeetingLibrary::set_recording_enabled(bool enabled) {
  Stmt(db_, "UPDATE settings SET recording_enabled = ? WHERE id = 1").bind(1, enabled ? 1 : 0).run();
}

void SqliteMeetingLibrary::set_retention_days(int days) {
  if (days < 0 || days > kMaxRetentionDays)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "retention must be 0 (keep forever) to " +
                                               std::to_string(kMaxRetentionDays) + " days, not " + std::to_string(days));
  Stmt(db_, "UPDATE settings SET retention_days = ? WHERE id = 1").bind(1, days).run();
}

std::vector<MeetingId> SqliteMeetingLibrary::sweep(std::int64_t now_s) {
  Transaction tx(db_);
  const int days = settings().retention_days;
  std::vector<MeetingId> deleted;
  if (days == 0) return deleted;
  Stmt st(db_, std::string(kMeetingColumns) + "WHERE m.on_hold = 0 AND m.created_at < ?");
  st.bind(1, now_s - static_cast<std::int64_t>(days) * kSecondsPerDay);
  std::vector<MeetingInfo> expired;
  while (st.step()) expired.push_back(meeting_from_row(st));
  for (const MeetingInfo& m : expired) {
    delete_inside_transaction(m);
    deleted.push_back(m.id);
  }
  if (deleted.empty()) return deleted;
  purge_search_index();
  tx.commit();
  checkpoint_truncate();
  return deleted;
}

}  // namespace hush::store
