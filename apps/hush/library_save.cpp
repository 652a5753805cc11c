#include "apps/hush/library_save.h"

#include <cstdio>
#include <filesystem>

#include "crypto/hush_home.h"
#include "util/error.h"

namespace hush::cli {
namespace {

namespace fs = std::filesystem;

std::string normalized(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

// Copies `audio` into the library's recordings folder (unless it is already there), so the
// library owns the copy it will delete; the user's original is never touched.
std::string adopt_audio(const std::string& home, const std::string& audio) {
  const std::string dir = store::recordings_dir(home);
  const fs::path src = normalized(audio);
  if (src.parent_path() == fs::path(dir).lexically_normal()) return src.string();
  make_private_dirs(dir);
  const std::string stem = src.filename().string();
  fs::path dest = fs::path(dir) / stem;
  for (int i = 2; fs::exists(dest); ++i) dest = fs::path(dir) / (std::to_string(i) + "-" + stem);
  std::error_code ec;
  fs::copy_file(src, dest, fs::copy_options::none, ec);
  if (ec) throw Error(HUSH_ERR_IO, audio + ": cannot copy into " + dir + ": " + ec.message());
  fs::permissions(dest, fs::perms::owner_read | fs::perms::owner_write, ec);
  return dest.string();
}

std::optional<store::MeetingInfo> find_existing(store::MeetingLibrary& lib, const std::string& home,
                                                const std::string& audio) {
  const std::string original = normalized(audio);
  if (auto m = lib.find_by_audio_path(original)) return m;
  // The library's copy of a file added earlier carries the same name in recordings/.
  const fs::path copy = fs::path(store::recordings_dir(home)) / fs::path(original).filename();
  if (fs::exists(copy) && fs::file_size(copy) == fs::file_size(original))
    if (auto m = lib.find_by_audio_path(copy.string())) return m;
  return std::nullopt;
}

void attach(store::MeetingLibrary& lib, store::MeetingId id, const LibraryEntry& e) {
  if (e.transcript) lib.attach_transcript(id, *e.transcript);
  if (e.notes) lib.attach_notes(id, *e.notes);
}

}  // namespace

store::MeetingId save_to_library(store::MeetingLibrary& lib, const std::string& home, const LibraryEntry& e) {
  const store::LibrarySettings settings = lib.settings();
  if ((e.transcript || e.notes) && !settings.notes_enabled)
    throw Error(HUSH_ERR_INVALID_ARGUMENT,
                "meeting notes are off, so the library stores no transcript or notes; nothing was saved "
                "(hush meetings settings --notes on)");
  if (!e.audio_path.empty()) {
    if (auto existing = find_existing(lib, home, e.audio_path)) {
      if (!e.update_existing)
        throw Error(HUSH_ERR_INVALID_ARGUMENT,
                    normalized(e.audio_path) + " is already in the library as meeting " + std::to_string(existing->id));
      attach(lib, existing->id, e);
      return existing->id;
    }
  }
  store::NewMeeting m;
  m.title = e.title.empty() ? fs::path(e.audio_path).stem().string() : e.title;
  if (m.title.empty()) m.title = "meeting";
  m.duration_s = e.duration_s;
  m.source = e.source;
  const bool keep_audio = !e.audio_path.empty() && settings.recording_enabled;
  if (!e.audio_path.empty() && !settings.recording_enabled && !e.transcript && !e.notes)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "recording is off, so the library keeps no audio (hush meetings settings --recording on)");
  if (!e.audio_path.empty() && !keep_audio)
    std::fprintf(stderr, "hush: recording is off: the library keeps the transcript but not the audio\n");
  if (keep_audio) m.audio_path = adopt_audio(home, e.audio_path);
  store::MeetingId id = 0;
  try {
    id = lib.add_meeting(m);
  } catch (...) {
    std::error_code ec;  // remove our copy; never the user's own file
    if (keep_audio && m.audio_path != normalized(e.audio_path)) fs::remove(m.audio_path, ec);
    throw;
  }
  try {
    attach(lib, id, e);
  } catch (...) {
    lib.delete_meeting(id);  // all or nothing
    throw;
  }
  return id;
}

}  // namespace hush::cli
