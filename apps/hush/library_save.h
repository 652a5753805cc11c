// Putting a meeting into the private library (src/store) from the CLI: `hush meetings add`,
// `hush transcribe --save` and `hush record` all come through here, so they share one rule
// set: the library keeps its own copy of the audio (deleting a meeting never touches the
// user's file), a file already in the library gets its transcript/notes replaced instead of a
// second meeting, the privacy switches are checked before anything is written (P3: notes off
// stores no transcript or notes; recording off keeps no audio), and a failure part-way leaves
// nothing behind.
#pragma once

#include <optional>
#include <string>

#include "meeting/notes.h"
#include "meeting/transcript.h"
#include "store/meeting_library.h"

namespace hush::cli {

struct LibraryEntry {
  std::string audio_path;  // "" for none
  std::string title;       // "" = the file's name
  std::string source;      // "import", "hush transcribe", "hush record"
  double duration_s = 0.0;
  std::optional<meeting::Transcript> transcript;
  std::optional<meeting::Notes> notes;
  // true: an audio file already in the library is updated; false: it is an error.
  bool update_existing = false;
};

// Returns the meeting's id. Throws hush::Error (HUSH_ERR_INVALID_ARGUMENT when a privacy
// switch forbids what was asked, naming the setting to change).
store::MeetingId save_to_library(store::MeetingLibrary& library, const std::string& home, const LibraryEntry& entry);

}  // namespace hush::cli
