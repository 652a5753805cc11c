// The capture path's real lag, measured by cross-correlating what goes in with what comes out
// (the library reports its latency, hush_call_capture_latency_samples; this checks it). The
// sample-level scores of hush-bench call (SI-SDR, STOI) align outputs by these measurements.
#pragma once

#include <cstdint>
#include <span>

#include "apps/hush-bench/call_metrics.h"
#include "apps/hush-bench/call_run.h"

namespace hush::bench {

inline constexpr double kMaxLagMs = 100.0;       // the search range
inline constexpr double kMinAlignCorrelation = 0.5;  // a weaker peak is not trusted for alignment

// An irregular click train (50..150 ms apart, so the correlation has one peak) through
// `setup` with a silent far end. `reported` receives hush_call_capture_latency_samples.
Lag click_lag(const CallSetup& setup, std::uint64_t seed, int* reported);

// Speech (`speech16k`, 16 kHz, resampled to the setup's rate) plus `noise_dbfs` mic noise
// through `setup` with a silent far end.
Lag speech_lag(const CallSetup& setup, std::span<const float> speech16k, double noise_dbfs, std::uint64_t seed,
               int* reported);

}  // namespace hush::bench
