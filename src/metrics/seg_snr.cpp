#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "metrics/metrics.h"
#include "util/error.h"

namespace hush::metrics {
namespace {

constexpr double kMinSnrDb = -10.0;
constexpr double kMaxSnrDb = 35.0;
constexpr double kSilenceRangeDb = 40.0;  // same speech dynamic range STOI assumes

}  // namespace

double seg_snr_db(std::span<const float> reference, std::span<const float> estimate,
                  int sample_rate_hz) {
  if (sample_rate_hz <= 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "segmental SNR: bad rate");
  const std::size_t n = std::min(reference.size(), estimate.size());
  const auto frame = static_cast<std::size_t>(std::lround(0.030 * sample_rate_hz));
  const std::size_t hop = std::max<std::size_t>(frame / 2, 1);
  if (frame < 2 || n < frame) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "segmental SNR: signal shorter than one 30 ms frame");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(reference[i]) || !std::isfinite(estimate[i])) {
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "segmental SNR: signal contains NaN or infinity");
    }
  }

  std::vector<double> window(frame);
  for (std::size_t i = 0; i < frame; ++i) {
    window[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * double(i + 1) / double(frame + 1));
  }

  std::vector<double> signal_energy;
  std::vector<double> noise_energy;
  for (std::size_t start = 0; start + frame <= n; start += hop) {
    double s = 0.0;
    double e = 0.0;
    for (std::size_t i = 0; i < frame; ++i) {
      const double r = window[i] * reference[start + i];
      const double d = window[i] * (double(reference[start + i]) - double(estimate[start + i]));
      s += r * r;
      e += d * d;
    }
    signal_energy.push_back(s);
    noise_energy.push_back(e);
  }

  const double loudest = *std::max_element(signal_energy.begin(), signal_energy.end());
  if (!(loudest > 0.0)) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "segmental SNR: reference is all zeros");
  }
  const double threshold = loudest * std::pow(10.0, -kSilenceRangeDb / 10.0);

  double sum = 0.0;
  std::size_t kept = 0;
  for (std::size_t f = 0; f < signal_energy.size(); ++f) {
    const double s = signal_energy[f];
    if (s <= 0.0 || s < threshold) continue;
    const double e = noise_energy[f];
    const double snr = e > 0.0 ? 10.0 * std::log10(s / e) : kMaxSnrDb;
    sum += std::clamp(snr, kMinSnrDb, kMaxSnrDb);
    ++kept;
  }
  return sum / double(kept);  // kept >= 1: the loudest frame always passes
}

}  // namespace hush::metrics
