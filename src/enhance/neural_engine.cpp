#include "enhance/neural_engine.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hush::enhance {
namespace {

constexpr int kWindowHops = 2;              // 20 ms window, the model's framing
constexpr float kModelBinHz = 50.0f;        // = 1 / 20 ms
constexpr float kHighBandFromHz = 6000.0f;  // gains of 6-8 kHz drive everything above 8 kHz
constexpr float kSpeechLoHz = 300.0f, kSpeechHiHz = 4000.0f;
constexpr float kFloorEps = 1e-12f;  // FLOOR_EPS in train/hushnn/model.py

// Linear interpolation of v[0..n) at fractional index `at`; 0 beyond the end.
float sample_at(const float* v, int n, float at) {
  const int i = static_cast<int>(at);
  if (i >= n) return 0.0f;
  const float frac = at - static_cast<float>(i);
  if (frac == 0.0f || i + 1 >= n) return v[i];
  return v[i] + frac * (v[i + 1] - v[i]);
}

}  // namespace

NeuralEngine::NeuralEngine(dsp::Arena& arena, int sample_rate_hz, const nn::HushNet& model)
    : model_(model),
      model_bins_(model.dims().bins),
      stft_(arena, sample_rate_hz / 100, kWindowHops) {
  bins_ = stft_.bins();
  model_bins_per_bin_ = static_cast<float>(sample_rate_hz) / static_cast<float>(stft_.fft_size()) / kModelBinHz;
  // FFT magnitudes grow with the window length; bring them to the 320-point scale.
  const float scale = static_cast<float>(model.dims().window) / static_cast<float>(stft_.window_size());
  power_scale_ = scale * scale;
  spectrum_ = arena.array<std::complex<float>>(static_cast<std::size_t>(bins_));
  stft_power_ = arena.array<float>(static_cast<std::size_t>(bins_));
  power_ = arena.array<float>(static_cast<std::size_t>(model_bins_));
  gains_ = arena.array<float>(static_cast<std::size_t>(model_bins_));
  if (model.dims().gain_release > 0.0f) released_gains_ = arena.array<float>(static_cast<std::size_t>(model_bins_));
  if (model.dims().gain_release > 0.0f && model.dims().release_power_exponent > 0.0f) {
    smoothed_power_ = arena.array<float>(static_cast<std::size_t>(model_bins_));
    last_smoothed_power_ = arena.array<float>(static_cast<std::size_t>(model_bins_));
  }
  state_ = arena.array<float>(model.state_floats());
  scratch_ = arena.array<float>(model.scratch_floats());
  const nn::HushNetDims& d = model.dims();
  if (d.df_bins > 0) {
    df_order_ = d.df_order;
    const float last_df_model_bin = static_cast<float>(d.df_bins - 1);
    while (df_bins_ < bins_ && static_cast<float>(df_bins_) * model_bins_per_bin_ <= last_df_model_bin) ++df_bins_;
    df_coefs_ = arena.array<float>(model.df_coef_floats());
    df_history_ = arena.array<std::complex<float>>(df_history_size());
    df_low_ = arena.array<std::complex<float>>(static_cast<std::size_t>(df_bins_));
  }
  if (state_) reset();
}

void NeuralEngine::reset() {
  stft_.reset();
  std::memset(state_, 0, sizeof(float) * model_.state_floats());
  if (df_history_) {
    std::fill_n(df_history_, df_history_size(), std::complex<float>());
  }
  df_history_at_ = 0;
  if (released_gains_) std::fill_n(released_gains_, model_bins_, 0.0f);
  if (last_smoothed_power_) std::fill_n(last_smoothed_power_, model_bins_, 0.0f);
}

// df_low_[k] <- (1 - floor) sum_i c_{k,i} X_k(t - i) on the deep filter's bins (process() adds
// the gain part and applies the floor bound); spectrum_ is still the input here. The input
// spectra then go into the ring for the next hops.
void NeuralEngine::deep_filter(float floor_gain) {
  const int order = df_order_;
  const int model_df_bins = model_.dims().df_bins;
  const float filter_scale = 1.0f - floor_gain;
  for (int k = 0; k < df_bins_; ++k) {
    const float at = static_cast<float>(k) * model_bins_per_bin_;
    const int m = std::min(static_cast<int>(at), model_df_bins - 1);
    const float frac = m + 1 < model_df_bins ? at - static_cast<float>(m) : 0.0f;
    std::complex<float> filtered;
    for (int i = 0; i < order; ++i) {
      const float* c0 = df_coefs_ + 2 * (m * order + i);
      std::complex<float> c(c0[0], c0[1]);
      if (frac > 0.0f) c += frac * (std::complex<float>(c0[2 * order], c0[2 * order + 1]) - c);
      // Tap i is the input i hops ago: the ring holds hops t-1 .. t-order+1, newest at the
      // slot before df_history_at_.
      const std::complex<float> x =
          i == 0 ? spectrum_[k] : df_history_[((df_history_at_ - i + order - 1) % (order - 1)) * df_bins_ + k];
      filtered += c * x;
    }
    filtered *= filter_scale;
    if (!std::isfinite(filtered.real()) || !std::isfinite(filtered.imag())) filtered = {};
    if (order > 1) df_history_[df_history_at_ * df_bins_ + k] = spectrum_[k];
    df_low_[k] = filtered;
  }
  if (order > 1) df_history_at_ = (df_history_at_ + 1) % (order - 1);
}

// gains_[m] <- max(gains_[m], held), held = release * last hop's gain, as release_limited() in
// train/hushnn/model.py; with a power exponent p the last hop's gain is first scaled by
// (P(t-1) / P(t))^p and capped at 1, as release_compensated(). A NaN gain takes the held value,
// so the memory stays finite.
void NeuralEngine::limit_release() {
  const nn::HushNetDims& d = model_.dims();
  const float release = d.gain_release;
  if (smoothed_power_) {
    const int half = d.release_smooth_bins / 2;
    for (int m = 0; m < model_bins_; ++m) {
      const int lo = std::max(0, m - half), hi = std::min(model_bins_ - 1, m + half);
      float sum = 0.0f;
      for (int j = lo; j <= hi; ++j) sum += power_[j];
      smoothed_power_[m] = sum / static_cast<float>(hi - lo + 1);
    }
  }
  for (int m = 0; m < model_bins_; ++m) {
    float last = released_gains_[m];
    if (smoothed_power_) {
      float ratio = (last_smoothed_power_[m] + d.log_eps) / (smoothed_power_[m] + d.log_eps);
      last *= d.release_power_exponent == 1.0f ? ratio : std::pow(ratio, d.release_power_exponent);
      if (!(last <= 1.0f)) last = 1.0f;  // also a NaN ratio (non-finite input power)
      last_smoothed_power_[m] = smoothed_power_[m];
    }
    const float held = release * last;
    const float g = gains_[m] > held ? gains_[m] : held;
    gains_[m] = g;
    released_gains_[m] = g;
  }
}

float NeuralEngine::process(const float* in, float* out, float floor_gain) {
  stft_.analyze(in, spectrum_);
  for (int k = 0; k < bins_; ++k) stft_power_[k] = std::norm(spectrum_[k]) * power_scale_;
  const float bins_per_model_bin = 1.0f / model_bins_per_bin_;
  for (int m = 0; m < model_bins_; ++m) {
    power_[m] = sample_at(stft_power_, bins_, static_cast<float>(m) * bins_per_model_bin);
  }
  model_.step(power_, state_, scratch_, gains_, df_coefs_);
  std::fill_n(gains_, model_.dims().floor_bins, 0.0f);
  if (released_gains_) limit_release();
  if (df_bins_) deep_filter(floor_gain);
  // The filter on the floored bins goes too. Engine bin k lies at model bin k at every rate but
  // 44.1 kHz, where the grids are 49 and 50 Hz: bin 0 is DC in both, so one floored bin matches.
  std::fill_n(df_low_, std::min(df_bins_, model_.dims().floor_bins), std::complex<float>());

  const int hi_from = static_cast<int>(kHighBandFromHz / kModelBinHz);
  float high_gain = 0.0f;
  for (int m = hi_from; m < model_bins_; ++m) high_gain += gains_[m];
  high_gain /= static_cast<float>(model_bins_ - hi_from);
  const float last_model_bin = static_cast<float>(model_bins_ - 1);
  for (int k = 0; k < bins_; ++k) {
    const float at = static_cast<float>(k) * model_bins_per_bin_;
    const float model_gain = at <= last_model_bin ? sample_at(gains_, model_bins_, at) : high_gain;
    const float g = model_gain > floor_gain ? model_gain : floor_gain;  // a NaN gain falls to the floor
    if (k < df_bins_) {
      // The filtered bin may not fall below the floor either: |Y| >= floor * |X| (as
      // train/hushnn/model.py, with the same epsilon).
      const std::complex<float> y = g * spectrum_[k] + df_low_[k];
      const float raise = floor_gain * std::abs(spectrum_[k]) / (std::abs(y) + kFloorEps);
      spectrum_[k] = raise > 1.0f ? y * raise : y;
    } else {
      spectrum_[k] *= g;
    }
  }
  stft_.synthesize(spectrum_, out);

  // Share of the 0.3-4 kHz energy the model keeps: high in speech, low in noise.
  double kept = 0.0, total = 1e-20;
  for (int m = static_cast<int>(kSpeechLoHz / kModelBinHz); m <= static_cast<int>(kSpeechHiHz / kModelBinHz); ++m) {
    kept += gains_[m] * power_[m];
    total += power_[m];
  }
  return static_cast<float>(kept / total);
}

}  // namespace hush::enhance
