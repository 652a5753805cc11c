// The on-device MeetingLibrary: one SQLite file ($HUSH_HOME/library.db) in WAL mode with
// secure_delete on, so deleted rows and freed pages are overwritten with zeros, and every
// deletion ends with a WAL checkpoint that truncates the -wal file (privacy P5).
// Internal header: callers use open_meeting_library() from meeting_library.h.
#pragma once

#include <string>
#include <vector>

#include "store/meeting_library.h"
#include "store/sqlite_db.h"

namespace hush::store {

class SqliteMeetingLibrary final : public MeetingLibrary {
 public:
  SqliteMeetingLibrary(const std::string& home, Clock clock);

  MeetingId add_meeting(const NewMeeting& meeting) override;
  void attach_transcript(MeetingId id, const meeting::Transcript& transcript) override;
  void attach_notes(MeetingId id, const meeting::Notes& notes) override;
  void set_hold(MeetingId id, bool on_hold) override;

  std::optional<MeetingInfo> find_by_audio_path(const std::string& audio_path) override;
  std::vector<MeetingInfo> list() override;
  std::vector<SearchResult> search(const std::string& query, const SearchOptions& options) override;
  Meeting get(MeetingId id) override;
  void delete_meeting(MeetingId id) override;
  void delete_notes(MeetingId id) override;

  LibrarySettings settings() override;
  void set_notes_enabled(bool enabled) override;
  void set_recording_enabled(bool enabled) override;
  void set_retention_days(int days) override;
  std::vector<MeetingId> sweep(std::int64_t now_s) override;

  void enroll_speaker(const std::string& name, std::span<const float> embedding, bool consent) override;
  std::vector<SpeakerProfile> speakers() override;
  std::optional<std::vector<float>> speaker_embedding(const std::string& name) override;
  void withdraw_speaker(const std::string& name) override;

 private:
  // Inside an open transaction: the meeting's row, or HUSH_ERR_INVALID_ARGUMENT "no meeting ID".
  MeetingInfo require_meeting(MeetingId id);
  std::vector<MeetingInfo> query_meetings(const std::string& where_sql, MeetingId id_param);
  // P3, checked inside the write transaction so a concurrent "notes off" cannot slip between.
  void require_notes_enabled(const char* what);
  // Inside an open transaction: removes the rows, search entries and audio files.
  void delete_inside_transaction(const MeetingInfo& meeting);
  // Merges the FTS5 index so terms of deleted rows leave its b-trees (secure_delete then
  // zeroes the freed pages).
  void purge_search_index();
  // Copies the WAL into the database and truncates it to zero bytes, so no deleted content
  // lingers in the -wal file.
  void checkpoint_truncate();

  Db db_;
  Clock clock_;
};

}  // namespace hush::store
