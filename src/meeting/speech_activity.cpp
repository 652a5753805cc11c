#include "meeting/speech_activity.h"

#include <algorithm>
#include <cmath>

#include "hush.h"
#include "util/error.h"

namespace hush::meeting {
namespace {

double quantile(std::vector<float> v, double q) {
  const auto k = static_cast<std::size_t>(std::clamp(q, 0.0, 1.0) * double(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// Sets runs of `value` shorter than `min_frames` (not touching the ends when `inner_only`) to
// the other value.
void remove_short_runs(std::vector<std::uint8_t>& mask, std::uint8_t value, int min_frames, bool inner_only) {
  const int n = static_cast<int>(mask.size());
  for (int i = 0; i < n;) {
    if (mask[i] != value) {
      ++i;
      continue;
    }
    int j = i;
    while (j < n && mask[j] == value) ++j;
    const bool at_edge = i == 0 || j == n;
    if (j - i < min_frames && !(inner_only && at_edge))
      std::fill(mask.begin() + i, mask.begin() + j, static_cast<std::uint8_t>(!value));
    i = j;
  }
}

void smooth_mask(std::vector<std::uint8_t>& mask, const SpeechActivityOptions& o) {
  remove_short_runs(mask, 0, static_cast<int>(std::lround(o.bridge_gap_s / kFrameHopS)), true);
  remove_short_runs(mask, 1, static_cast<int>(std::lround(o.min_speech_s / kFrameHopS)), false);
}

}  // namespace

std::vector<float> denoiser_speech_probability(std::span<const float> x) {
  hush_denoiser_config c = hush_denoiser_default_config();
  c.sample_rate_hz = kSpeakerRateHz;
  c.engine = HUSH_ENGINE_DEFAULT;
  hush_denoiser* d = nullptr;
  const int err = hush_denoiser_create(&c, &d);
  if (err < 0) throw Error(static_cast<hush_error>(err), std::string("speech detection: ") + hush_strerror(err));
  const int hop = hush_frame_size(kSpeakerRateHz);
  const int delay_frames = (hush_denoiser_latency_samples(d) + hop / 2) / hop;
  const std::size_t frames = (x.size() + kFrameHopSamples - 1) / kFrameHopSamples;
  std::vector<float> in(static_cast<std::size_t>(hop)), out(in.size()), p;
  p.reserve(frames + static_cast<std::size_t>(delay_frames));
  for (std::size_t t = 0; t < frames + static_cast<std::size_t>(delay_frames); ++t) {
    for (int i = 0; i < hop; ++i) {
      const std::size_t k = t * static_cast<std::size_t>(hop) + static_cast<std::size_t>(i);
      in[i] = k < x.size() ? x[k] : 0.0f;
    }
    p.push_back(std::max(0.0f, hush_denoiser_process(d, out.data(), in.data())));
  }
  hush_denoiser_destroy(d);
  // The probability describes the frame the output holds, delay_frames behind the input.
  return std::vector<float>(p.begin() + delay_frames, p.begin() + delay_frames + static_cast<std::ptrdiff_t>(frames));
}

std::vector<std::uint8_t> detect_speech(std::span<const float> x, const FrameFeatures& f, const SpeechActivityOptions& o) {
  if (o.denoiser_threshold <= 0.0) return detect_speech(f, o);
  const auto p = denoiser_speech_probability(x);
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(f.frames), 0);
  for (std::size_t t = 0; t < mask.size() && t < p.size(); ++t) mask[t] = p[t] > o.denoiser_threshold ? 1 : 0;
  smooth_mask(mask, o);
  return mask;
}

std::vector<std::uint8_t> detect_speech(const FrameFeatures& f, const SpeechActivityOptions& o) {
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(f.frames), 0);
  if (f.frames == 0) return mask;
  // 50 ms moving average so single quiet frames inside words do not flicker.
  std::vector<float> smooth(static_cast<std::size_t>(f.frames));
  for (int t = 0; t < f.frames; ++t) {
    double s = 0.0;
    int c = 0;
    for (int d = -2; d <= 2; ++d) {
      const int u = t + d;
      if (u < 0 || u >= f.frames) continue;
      s += f.log_energy_db[u];
      ++c;
    }
    smooth[t] = static_cast<float>(s / c);
  }
  const double floor_db = quantile(smooth, o.floor_percentile);
  const double peak_db = quantile(smooth, o.peak_percentile);
  if (peak_db < o.silence_peak_db) return mask;
  const double threshold = floor_db + std::max(o.min_margin_db, o.threshold_fraction * (peak_db - floor_db));
  for (int t = 0; t < f.frames; ++t) mask[t] = smooth[t] > threshold ? 1 : 0;
  smooth_mask(mask, o);
  return mask;
}

}  // namespace hush::meeting
