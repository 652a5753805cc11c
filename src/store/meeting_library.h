// The private meeting library: meetings with their audio, transcript and notes, full-text
// search, retention, and opt-in speaker profiles. The interface is backend-neutral so the
// server (issue 6) can put PostgreSQL behind the same calls; open_meeting_library() gives the
// on-device SQLite one ($HUSH_HOME/library.db).
//
// Privacy promises it keeps (docs/privacy.md, each with a test in tests/policy/):
//   P3  with notes off, attach_transcript / attach_notes store nothing;
//   P5  delete_meeting leaves no residue: rows, search index, audio, WAL and free pages;
//   P6  sweep() deletes meetings older than the retention limit unless on hold;
//   P10 speaker embeddings only with consent; withdraw() deletes them.
//
// Thread safety: one MeetingLibrary per thread; several (in threads or processes) may open the
// same library at once, writers wait on each other up to kBusyTimeoutMs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "meeting/notes.h"
#include "meeting/transcript.h"

namespace hush::store {

using MeetingId = std::int64_t;
// Seconds since the Unix epoch (UTC). The clock is injectable so retention can be tested.
using Clock = std::function<std::int64_t()>;
std::int64_t system_clock_now_s();

inline constexpr int kBusyTimeoutMs = 5000;
inline constexpr std::int64_t kSecondsPerDay = 86400;

struct NewMeeting {
  std::string title;
  std::optional<std::int64_t> created_at_s;  // default: the library's clock
  double duration_s = 0.0;
  std::string audio_path;  // "" when there is no recording; deleted with the meeting
  std::string source;      // how it got here, e.g. "hush record", "import"
};

struct MeetingInfo {
  MeetingId id = 0;
  std::string title;
  std::int64_t created_at_s = 0;
  double duration_s = 0.0;
  std::string audio_path;
  std::string source;
  bool has_transcript = false;
  bool has_notes = false;
  bool on_hold = false;  // legal hold: retention sweeps skip it
};

struct Meeting {
  MeetingInfo info;
  std::optional<meeting::Transcript> transcript;
  std::optional<meeting::Notes> notes;
};

struct LibrarySettings {
  bool notes_enabled = true;      // P3: off = no transcript, summary or action item is stored
  bool recording_enabled = true;  // off = add_meeting refuses an audio path
  int retention_days = 0;         // 0 = keep forever
};

struct SearchOptions {
  std::string highlight_open = "[";
  std::string highlight_close = "]";
  int max_meetings = 50;
  int hits_per_meeting = 3;
};

struct SearchHit {
  std::string kind;  // "transcript" or "notes"
  double start_s = 0.0;
  double end_s = 0.0;
  std::string snippet;  // the matching text with highlight marks around the matched words
};

struct SearchResult {
  MeetingInfo meeting;
  std::vector<SearchHit> hits;  // best first
};

struct SpeakerProfile {
  std::string name;
  std::int64_t consent_at_s = 0;
  std::size_t dimensions = 0;
};

class MeetingLibrary {
 public:
  virtual ~MeetingLibrary() = default;

  // Throws HUSH_ERR_INVALID_ARGUMENT for an empty title, a negative duration or an audio path
  // while recording is off; HUSH_ERR_IO when the audio file does not exist.
  virtual MeetingId add_meeting(const NewMeeting& meeting) = 0;
  // Replace the meeting's transcript / notes. Refused (HUSH_ERR_INVALID_ARGUMENT, nothing
  // written) while notes are off. Unknown id: HUSH_ERR_INVALID_ARGUMENT.
  virtual void attach_transcript(MeetingId id, const meeting::Transcript& transcript) = 0;
  virtual void attach_notes(MeetingId id, const meeting::Notes& notes) = 0;
  virtual void set_hold(MeetingId id, bool on_hold) = 0;

  virtual std::optional<MeetingInfo> find_by_audio_path(const std::string& audio_path) = 0;
  virtual std::vector<MeetingInfo> list() = 0;  // newest first
  // `query`: words (all must match), "quoted phrases", prefix* words. Throws
  // HUSH_ERR_INVALID_ARGUMENT with a clear message for an unusable query (no words, an
  // unbalanced quote); never passes user text to the FTS5 parser unescaped.
  virtual std::vector<SearchResult> search(const std::string& query, const SearchOptions& options = {}) = 0;
  virtual Meeting get(MeetingId id) = 0;  // unknown id: HUSH_ERR_INVALID_ARGUMENT

  // Removes the meeting's rows, search entries and audio file (and its encrypted variant), then
  // truncates the WAL, so nothing of it stays in any file of the library.
  virtual void delete_meeting(MeetingId id) = 0;
  // Removes only the meeting's notes (and their search entries), with the same no-residue
  // guarantee; the meeting, its audio and transcript stay. No notes: nothing happens.
  virtual void delete_notes(MeetingId id) = 0;

  virtual LibrarySettings settings() = 0;
  virtual void set_notes_enabled(bool enabled) = 0;
  virtual void set_recording_enabled(bool enabled) = 0;
  virtual void set_retention_days(int days) = 0;  // 0 = forever; negative: HUSH_ERR_INVALID_ARGUMENT
  // Deletes every meeting created before now_s - retention_days (none when retention is 0),
  // except those on hold. Returns the deleted ids.
  virtual std::vector<MeetingId> sweep(std::int64_t now_s) = 0;

  // P10: refused (HUSH_ERR_INVALID_ARGUMENT, nothing stored) without consent, with an empty
  // name, or an empty or non-finite embedding. Enrolling an existing name replaces it.
  virtual void enroll_speaker(const std::string& name, std::span<const float> embedding, bool consent) = 0;
  virtual std::vector<SpeakerProfile> speakers() = 0;
  virtual std::optional<std::vector<float>> speaker_embedding(const std::string& name) = 0;
  // Deletes the profile and its embedding (no residue, as delete_meeting). Unknown name:
  // HUSH_ERR_INVALID_ARGUMENT.
  virtual void withdraw_speaker(const std::string& name) = 0;
};

// The library's audio files live here ($home/recordings).
std::string recordings_dir(const std::string& home);
// The files a recording may occupy: the plain file and its encrypted-at-rest variant
// ("x.ogg" and "x.ogg.enc", as hush record names them), whichever of the two is given.
std::vector<std::string> audio_file_variants(const std::string& audio_path);

// Opens (creating and migrating if needed) the SQLite library at `home`/library.db, creating
// `home` with mode 0700. `home` is normally hush::hush_home_dir() (crypto/hush_home.h);
// `clock` defaults to the system clock.
std::unique_ptr<MeetingLibrary> open_meeting_library(const std::string& home, Clock clock = {});

}  // namespace hush::store
