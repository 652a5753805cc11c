#include "metrics/onset.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "util/error.h"

namespace hush::metrics {
namespace {

constexpr double kKeptLimitDb = 100.0;

double kept_db(double enhanced_energy, double clean_energy) {
  // clean_energy > 0: every frame summed here is active or starts with an active one.
  if (!(enhanced_energy > 0.0)) return -kKeptLimitDb;
  return std::clamp(10.0 * std::log10(enhanced_energy / clean_energy), -kKeptLimitDb, kKeptLimitDb);
}

}  // namespace

OnsetKept onset_energy_kept(std::span<const float> clean, std::span<const float> enhanced, int sample_rate_hz) {
  if (sample_rate_hz <= 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "onset energy: bad rate");
  const std::size_t n = std::min(clean.size(), enhanced.size());
  const auto frame = static_cast<std::size_t>(std::lround(0.010 * sample_rate_hz));
  if (frame < 1 || n < frame) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "onset energy: signal shorter than one 10 ms frame");
  }
  const std::size_t frames = n / frame;
  std::vector<double> ec(frames, 0.0), ee(frames, 0.0);
  for (std::size_t f = 0; f < frames; ++f) {
    for (std::size_t i = f * frame; i < (f + 1) * frame; ++i) {
      if (!std::isfinite(clean[i]) || !std::isfinite(enhanced[i])) {
        throw Error(HUSH_ERR_INVALID_ARGUMENT, "onset energy: signal contains NaN or infinity");
      }
      ec[f] += double(clean[i]) * clean[i];
      ee[f] += double(enhanced[i]) * enhanced[i];
    }
  }
  const double loudest = *std::max_element(ec.begin(), ec.end());
  if (!(loudest > 0.0)) throw Error(HUSH_ERR_INVALID_ARGUMENT, "onset energy: reference is all zeros");
  const double threshold = loudest * std::pow(10.0, -kOnsetActiveRangeDb / 10.0);

  OnsetKept result;
  double onset_clean = 0, onset_enhanced = 0, steady_clean = 0, steady_enhanced = 0;
  std::size_t quiet_run = 0;      // inactive frames just before f
  std::size_t window_left = 0;    // frames of the current onset window still to come
  for (std::size_t f = 0; f < frames; ++f) {
    const bool active = ec[f] > threshold;
    if (active && quiet_run >= std::size_t(kOnsetQuietFrames)) {
      ++result.onsets;
      window_left = kOnsetWindowFrames;
    }
    if (window_left > 0) {
      --window_left;
      ++result.onset_frames;
      onset_clean += ec[f];
      onset_enhanced += ee[f];
    } else if (active) {
      ++result.steady_frames;
      steady_clean += ec[f];
      steady_enhanced += ee[f];
    }
    quiet_run = active ? 0 : quiet_run + 1;
  }
  if (result.onsets > 0) result.onset_kept_db = kept_db(onset_enhanced, onset_clean);
  if (result.steady_frames > 0) result.steady_kept_db = kept_db(steady_enhanced, steady_clean);
  return result;
}

}  // namespace hush::metrics
