#include "enhance/spectral_engine.h"

#include <algorithm>
#include <cmath>

#include "dsp/expint.h"

namespace hush::enhance {
namespace {

constexpr float kMaxGamma = 1e4f;  // keeps v and exp() in range on transients

int hop_for(int sample_rate_hz) { return sample_rate_hz / 100; }

int speech_band_bin(int sample_rate_hz, const dsp::StreamingStft& stft, float hz) {
  const float bin_hz = static_cast<float>(sample_rate_hz) / static_cast<float>(stft.fft_size());
  return std::clamp(static_cast<int>(hz / bin_hz), 1, stft.bins() - 1);
}

}  // namespace

SpectralEngine::SpectralEngine(dsp::Arena& arena, int sample_rate_hz, const SpectralParams& params)
    : params_(params),
      stft_(arena, hop_for(sample_rate_hz), params.window_hops),
      tracker_(arena, stft_.bins(), params.imcra_subwindow_frames),
      presence_model_(arena, stft_.bins(), speech_band_bin(sample_rate_hz, stft_, 300.0f),
                      speech_band_bin(sample_rate_hz, stft_, 3400.0f)) {
  bins_ = stft_.bins();
  vad_lo_bin_ = speech_band_bin(sample_rate_hz, stft_, 300.0f);
  vad_hi_bin_ = speech_band_bin(sample_rate_hz, stft_, 3400.0f);
  xi_min_ = std::pow(10.0f, params.xi_min_db / 10.0f);
  noise_scale_ = std::pow(10.0f, params.noise_overestimate_db / 10.0f);
  spectrum_ = arena.array<std::complex<float>>(bins_);
  power_ = arena.array<float>(bins_);
  xi_ = arena.array<float>(bins_);
  gamma_ = arena.array<float>(bins_);
  presence_ = arena.array<float>(bins_);
  absence_prior_ = arena.array<float>(bins_);
  prev_clean_power_ratio_ = arena.array<float>(bins_);
}

void SpectralEngine::reset() {
  stft_.reset();
  tracker_.reset();
  presence_model_.reset();
  frames_seen_ = 0;
}

float SpectralEngine::process(const float* in, float* out, float floor_gain) {
  stft_.analyze(in, spectrum_);
  for (int k = 0; k < bins_; ++k) power_[k] = std::norm(spectrum_[k]);

  // Start tracking on the first full analysis window, not on the zero history before it.
  if (!tracker_.started() && ++frames_seen_ < params_.window_hops) {
    stft_.synthesize(spectrum_, out);
    return 0.0f;
  }
  if (!tracker_.started()) {
    tracker_.start(power_);
    for (int k = 0; k < bins_; ++k) prev_clean_power_ratio_[k] = 1.0f;
  }
  const float* noise = tracker_.noise_psd();
  const float alpha = params_.dd_alpha;
  for (int k = 0; k < bins_; ++k) {
    gamma_[k] = std::min(power_[k] / (noise_scale_ * noise[k]), kMaxGamma);
    const float ml = std::max(gamma_[k] - 1.0f, 0.0f);
    xi_[k] = std::max(alpha * prev_clean_power_ratio_[k] + (1.0f - alpha) * ml, xi_min_);
  }
  tracker_.update(power_, xi_, gamma_, presence_);
  presence_model_.absence_probability(xi_, absence_prior_);

  float presence_sum = 0.0f;
  const float log_floor = std::log(floor_gain);
  for (int k = 0; k < bins_; ++k) {
    const float xi = xi_[k];
    const float v = gamma_[k] * xi / (1.0f + xi);
    // LSA gain; exp(0.5*E1(v)) -> 1 as v grows, so skip the special function there.
    const float lsa_boost = v > 10.0f ? 1.0f : std::exp(0.5f * dsp::expint_e1(v));
    const float gain_h1 = std::min(xi / (1.0f + xi) * lsa_boost, 1.0f);
    prev_clean_power_ratio_[k] = gain_h1 * gain_h1 * gamma_[k];

    const float q = absence_prior_[k];
    const float p = 1.0f / (1.0f + q / (1.0f - q) * (1.0f + xi) * std::exp(-std::min(v, 80.0f)));
    const float log_gain = p * std::log(std::max(gain_h1, 1e-6f)) + (1.0f - p) * log_floor;
    const float gain = std::max(std::exp(log_gain), floor_gain);
    spectrum_[k] *= gain;
    if (k >= vad_lo_bin_ && k < vad_hi_bin_) presence_sum += p;
  }
  stft_.synthesize(spectrum_, out);
  return std::clamp(presence_sum / static_cast<float>(vad_hi_bin_ - vad_lo_bin_), 0.0f, 1.0f);
}

}  // namespace hush::enhance
