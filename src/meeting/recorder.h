// A recording session: live sources (microphone, system audio) -> aligned 2-channel frames
// (audio/capture_mixer.h) -> Ogg Opus (audio/opus_writer.h) -> a plain file, or an encrypted
// one (encrypted_sink.h) with the keyring's "recordings" key. Crash-safe: a killed recorder
// leaves a file that plays up to < 1 s before the kill; a stopped one (SIGINT/SIGTERM, the
// duration limit, or the sources ending) finalizes the stream.
#pragma once

#include <csignal>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "audio/capture.h"
#include "audio/capture_mixer.h"

namespace hush::meeting {

struct RecorderLevels {
  double elapsed_s = 0.0;
  int channels = 0;
  float peak_dbfs[2] = {-120.0f, -120.0f};  // over the last ~100 ms, per channel
};

struct RecorderConfig {
  std::string output_path;            // created; an existing file is refused
  bool encrypt = false;
  std::string keyring_path;           // "" = crypto::Keyring::open_default()
  double max_duration_s = 0.0;        // 0 = until stopped or the sources end
  std::string title;                  // Ogg TITLE comment
  std::function<void(const RecorderLevels&)> on_levels;  // ~10 times a second, if set
  std::function<bool()> should_stop;  // polled at least every 50 ms, if set
};

struct RecordingResult {
  std::string path;
  int channels = 0;
  double duration_s = 0.0;
  bool encrypted = false;
  bool stopped = false;  // by should_stop (a signal), not by the limit or the sources ending
  audio::MixerStats alignment;
};

// Records until should_stop(), the duration limit, or every source ends; returns what it wrote.
// On a source or disk error it still finalizes what it has, then rethrows (HUSH_ERR_IO).
RecordingResult record(std::vector<std::unique_ptr<audio::CaptureSource>> sources, const RecorderConfig& config);

// "$HUSH_HOME/recordings/<YYYY-MM-DD_HH-MM-SS>.ogg" (".ogg.enc" when encrypted), creating the
// directory (0700); a "-2", "-3"... suffix when a recording from the same second exists.
std::string default_recording_path(bool encrypted);

// While alive, SIGINT and SIGTERM only set a flag (requested()); the old handlers come back
// when it goes away. One at a time per process.
class StopOnSignals {
 public:
  StopOnSignals();
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;
  static bool requested();

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace hush::meeting
