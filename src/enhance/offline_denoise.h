// Whole-buffer denoising for files: runs exactly the streaming denoiser, per channel, at a
// supported rate (resampling other rates there and back), and removes the algorithmic
// latency so the output lines up sample-for-sample with the input.
#pragma once

#include <functional>
#include <string>

#include "audio/audio_file.h"
#include "hush.h"

namespace hush::enhance {

// The one mapping of engine names (as typed on command lines) to hush_engine ids:
// "default", "neural", "spectral". Throws hush::Error(HUSH_ERR_UNKNOWN_ENGINE) naming the
// available engines for anything else.
int engine_from_name(const std::string& name);

// The engine that runs for `engine`, by name: HUSH_ENGINE_DEFAULT resolves to "neural", so
// results of `default` and `neural` are labelled (and filed) alike. Throws for an unknown id.
std::string engine_name(int engine);

// Engine names for help texts: "default | neural | spectral".
inline constexpr const char* kEngineNamesHelp = "default | neural | spectral";

struct OfflineOptions {
  int engine = HUSH_ENGINE_DEFAULT;
  float strength_db = 25.0f;
  const hush_model* model = nullptr;  // neural model, not owned (must outlive the call); nullptr = built-in
  std::function<void(double fraction_done)> on_progress;  // called every ~1% of the work
};

struct OfflineStats {
  int processing_rate_hz = 0;
  double processing_seconds = 0.0;  // CPU time of the frame loop (not file I/O or resampling)
  double mean_speech_probability = 0.0;
  long long frames = 0;             // 10 ms frames processed, all channels
};

// The rate the denoiser runs at for a file of `file_rate_hz`: the same rate when supported,
// else the nearest supported rate above it (48 kHz at most), so no band is lost.
int processing_rate_for(int file_rate_hz);

// Throws hush::Error on invalid options.
audio::AudioBuffer denoise_buffer(const audio::AudioBuffer& input, const OfflineOptions& options,
                                  OfflineStats* stats = nullptr);

}  // namespace hush::enhance
