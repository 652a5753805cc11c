// Drives Hush's two-way call pipeline (hush.h, hush_call_*) over whole simulated signals, the
// way an audio device would: one 10 ms frame at a time, the played frame queued as the echo
// reference (hush_call_analyze_render) just before the microphone frame that may hold its echo.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "hush.h"

namespace hush::bench {

struct CallSetup {
  int echo_canceller = HUSH_AEC_OFF;  // hush_echo_canceller
  int rate_hz = 16000;
  int engine = HUSH_ENGINE_NEURAL;
  float capture_strength_db = 25.0f;  // 0: no noise suppression on the capture path
  int agc = 1;
  float background_voice_db = 0.0f;
  int echo_delay_ms = 0;              // the delay hint (0 = unknown)
};

// "off", "webrtc", "speex" (the names `hush call --aec` takes).
std::string aec_name(int echo_canceller);
int aec_from_name(const std::string& name);  // throws hush::Error for an unknown name

struct CallRun {
  std::vector<float> out;  // capture output aligned with the mic: out[n] answers mic[n]
  int latency_samples = 0; // hush_call_capture_latency_samples
  int aligned_by = 0;      // samples dropped from the front of the output
  hush_call_stats stats{};
};

// Runs the capture path over `mic` with `far` as the played signal (same length, a whole
// number of frames). The output's first `align_samples` (< 0: the reported latency) are
// dropped and the end is flushed with silence, so out has mic's length. Throws hush::Error
// when the call cannot be created or a frame fails.
CallRun run_call(const CallSetup& setup, std::span<const float> far, std::span<const float> mic,
                 int align_samples = -1);

// Like run_call but keeps the raw output (out[n] = what process_capture wrote for mic sample
// n, latency not removed): for measuring the latency independently.
std::vector<float> run_call_raw(const CallSetup& setup, std::span<const float> far, std::span<const float> mic,
                                int* latency_samples);

struct Speed {
  double rtf_cpu = 0, rtf_wall = 0;         // seconds per audio second
  double p50_us = 0, p99_us = 0, max_us = 0; // CPU time per 10 ms frame
  long long frames = 0;
};

// Times the whole two-way pipeline per frame: process_render(incoming) -> analyze_render(what
// render produced) -> process_capture(mic). CPU time of this thread (see util/cpu_time.h).
Speed time_call(const CallSetup& setup, std::span<const float> incoming, std::span<const float> mic);

}  // namespace hush::bench
