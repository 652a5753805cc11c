// hush-bench call: measures Hush's two-way call pipeline (hush.h, hush_call_*) on simulated
// laptop calls built from real speech (call_scenarios.h), for each echo canceller:
//  - far-end single talk: ERLE after convergence, convergence time, the dip and re-convergence
//    after an echo-path change;
//  - double talk: how well the near-end talker survives (STOI, SI-SDR vs the talker alone);
//  - background voices: main-talker SI-SDR/STOI gain and background attenuation;
//  - capture-path latency: measured by cross-correlation vs what the library reports;
//  - CPU: real-time factor and per-frame time of the whole two-way pipeline.
// Writes Markdown and JSON (bench/results/call.*).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "apps/hush-bench/call_scenarios.h"

namespace hush::bench {

struct CallBenchOptions {
  std::string data_dir;  // $HUSH_DATA
  std::string markdown_path = "bench/results/call.md";
  std::string json_path = "bench/results/call.json";
  std::vector<std::string> aecs = {"off", "webrtc", "speex"};
  std::vector<int> rates_hz = {16000, 48000};
  std::string engine = "neural";        // noise engine of the pipeline
  int scenarios = 8;                    // echo paths
  EchoTimeline timeline;
  int background_mixtures = 6;
  double background_seconds = 24.0;
  double rtf_seconds = 20.0;            // audio timed per configuration
  SceneLevels levels;
  bool known_delay = false;             // pass each scenario's true delay as echo_delay_ms
  bool quick = false;                   // a smoke run: 2 echo paths, 2 mixtures, short phases
  int threads = 2;
  std::uint64_t seed = 2026;
};

// Returns the exit code (0). Throws hush::Error when the data is missing or the pipeline fails.
int run_call_bench(CallBenchOptions options);

}  // namespace hush::bench
