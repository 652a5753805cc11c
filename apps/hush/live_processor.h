// `hush live --input DEV --output DEV`: the call pipeline as a plain real-time processor
// between two sound-server devices, for systems without PipeWire's filter-chain. Audio goes
// through the PulseAudio API (libpulse-simple), which PulseAudio and PipeWire (pipewire-pulse)
// both serve, so no further audio library is needed.
#pragma once

#include <string>

namespace hush::cli {

struct LiveProcessorOptions {
  std::string input;               // source name; "" or "default" = the default source
  std::string output;              // sink name; "" or "default" = the default sink
  bool speaker_path = false;       // clean incoming audio (render path) instead of a microphone
  double duration_s = 0.0;         // stop after this long; 0 = until Ctrl-C / SIGTERM
  bool meter = false;              // draw the level meter even when stdout is not a terminal
  bool quiet = false;              // no start and summary lines on stderr
  std::string engine = "default";  // noise engine name (enhance::engine_from_name)
  std::string model;               // neural model file; "" = built in
  float strength_db = 25.0f;
  float background_voices_db = 0.0f;
  int voice_gate_ms = 0;
  bool agc = true;
  int buffer_ms = 40;              // playback queue (output latency)
};

// Runs until the duration is reached, a stop signal arrives or the input ends. Throws
// hush::Error (HUSH_ERR_IO for devices that cannot be opened or fail).
int run_live_processor(const LiveProcessorOptions& options);

}  // namespace hush::cli
