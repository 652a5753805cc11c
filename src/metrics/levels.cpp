#include "metrics/levels.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hush::metrics {
namespace {

constexpr double kSilenceDb = -200.0;

double to_db(double power) { return power > 0.0 ? 10.0 * std::log10(power) : kSilenceDb; }

double percentile(std::vector<double> v, double fraction) {
  const auto k = static_cast<std::size_t>(fraction * double(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

LevelStats analyze_levels(std::span<const float> mono, int sample_rate_hz) {
  LevelStats stats;
  if (mono.empty() || sample_rate_hz <= 0) return stats;
  double peak = 0.0, total = 0.0;
  for (float v : mono) {
    peak = std::max(peak, double(std::fabs(v)));
    total += double(v) * v;
  }
  stats.peak_dbfs = peak > 0.0 ? 20.0 * std::log10(peak) : kSilenceDb;
  stats.rms_dbfs = to_db(total / double(mono.size()));

  const std::size_t frame = std::max(1, sample_rate_hz / 50);
  std::vector<double> frame_power;
  for (std::size_t start = 0; start + frame <= mono.size(); start += frame) {
    double e = 0.0;
    for (std::size_t i = start; i < start + frame; ++i) e += double(mono[i]) * mono[i];
    frame_power.push_back(e / double(frame));
  }
  if (frame_power.empty()) return stats;
  const double floor = percentile(frame_power, 0.10);
  const double active = percentile(frame_power, 0.95);
  stats.noise_floor_dbfs = to_db(floor);
  stats.active_level_dbfs = to_db(active);
  if (floor > 0.0 && active > floor) stats.estimated_snr_db = to_db((active - floor) / floor);
  else if (floor <= 0.0 && active > 0.0) stats.estimated_snr_db = 100.0;  // digital silence floor
  return stats;
}

}  // namespace hush::metrics
