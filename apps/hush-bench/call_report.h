// Results of hush-bench call and their Markdown / JSON form.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/hush-bench/call.h"
#include "apps/hush-bench/call_metrics.h"
#include "apps/hush-bench/call_run.h"

namespace hush::bench {

// "AEC alone": capture_strength_db 0, agc off. "full capture path": the defaults (noise
// suppression 25 dB, AGC on), which also remove residual echo.
enum class CapturePath { aec_alone, full };
std::string path_name(CapturePath p);

struct EchoResult {
  int scenario = 0;
  std::string aec;
  CapturePath path = CapturePath::aec_alone;
  int rate_hz = 0;
  std::string error;  // non-empty: the run failed (e.g. a rate the canceller does not support)
  PhaseErle single_talk, after_change;
  NearEndScores double_talk;
  hush_call_stats stats{};
  int latency_samples = 0;  // reported
  int aligned_samples = 0;  // used to align the output (the measured lag where there is one)
};

struct BackgroundResult {
  int mixture = 0;
  float background_voice_db = 0;
  std::string error;
  BackgroundScores scores;
  int aligned_samples = 0;
};

struct LatencyResult {
  std::string aec;
  int rate_hz = 0;
  std::string error;
  int reported_samples = 0;
  // Measured: clicks and speech through the AEC alone, speech through the full capture path.
  Lag click, speech_alone, speech_full;
};

struct SpeedResult {
  std::string aec;
  int rate_hz = 0;
  float background_voice_db = 0;
  std::string error;
  Speed speed;
};

struct CallResults {
  CallBenchOptions options;
  std::vector<EchoScenario> scenarios;          // components dropped (parameters only)
  std::vector<BackgroundMixture> mixtures;      // likewise
  std::vector<EchoResult> echo;
  std::vector<BackgroundResult> background;
  std::vector<LatencyResult> latency;
  std::vector<SpeedResult> speed;
  std::string cpu;
  double seconds = 0;                           // wall time of the whole run
};

std::string call_markdown(const CallResults& r);
nlohmann::json call_json(const CallResults& r);

}  // namespace hush::bench
