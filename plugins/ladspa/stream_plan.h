// How a plugin instance meets the library: at which rate it processes, and how much the
// output is held back so that any host block size (down to one sample) finds output ready.
#pragma once

#include <cstddef>

namespace hush::ladspa {

// Host rates an instance accepts; others make instantiate() fail.
inline constexpr int kMinHostRateHz = 1000;
inline constexpr int kMaxHostRateHz = 384000;

// The library's rate for a host rate: the same one when supported, else the nearest supported
// rate above it (48 kHz at most), so no band is lost -- the rule of the offline path
// (enhance/offline_denoise.h, processing_rate_for).
int processing_rate_for(int host_rate_hz);

struct StreamPlanInput {
  int host_rate_hz;
  int processing_rate_hz;
  int frame_size;            // samples per 10 ms at the processing rate
  int processor_latency;     // processing-rate samples
  int down_taps;             // resampler lengths (0 when the host rate is native)
  int up_taps;
};

struct StreamPlan {
  // Zeros the output ring holds after activate(): the most the chain ever owes the host.
  std::size_t prefill = 0;
  // The fullest the output ring gets.
  std::size_t ring_capacity = 0;
  // Whole host samples the output lags the input (rounded; exact at native rates).
  int latency_samples = 0;
  double exact_latency_samples = 0.0;
};

// Counts, sample by sample over one full period of the chain's pattern (down-resampling
// clock, 10 ms framing, up-resampling clock), how many output samples are ready after each
// input sample. Deterministic: the result depends only on the rates and frame size.
StreamPlan plan_stream(const StreamPlanInput& in);

}  // namespace hush::ladspa
