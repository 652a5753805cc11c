// Level statistics for `hush info`: peak, RMS and a blind (no reference) SNR estimate.
#pragma once

#include <span>

namespace hush::metrics {

struct LevelStats {
  double peak_dbfs = -200.0;
  double rms_dbfs = -200.0;
  double noise_floor_dbfs = -200.0;  // 10th percentile of 20 ms frame levels
  double active_level_dbfs = -200.0; // 95th percentile of 20 ms frame levels
  double estimated_snr_db = 0.0;     // power ratio of (active - floor) to floor
};

// Percentiles of short-frame power are a cheap, engine-independent SNR estimate that is
// good for stationary noise and speech with pauses; it underestimates SNR when there are no
// pauses at all. Silence gives -200 dBFS levels and 0 dB SNR.
LevelStats analyze_levels(std::span<const float> mono, int sample_rate_hz);

}  // namespace hush::metrics
