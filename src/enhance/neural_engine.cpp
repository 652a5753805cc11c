#include "enhance/neural_engine.h"

#include <algorithm>
#include <cstring>

namespace hush::enhance {
namespace {

constexpr int kWindowHops = 2;              // 20 ms window, the model's framing
constexpr float kModelBinHz = 50.0f;        // = 1 / 20 ms
constexpr float kHighBandFromHz = 6000.0f;  // gains of 6-8 kHz drive everything above 8 kHz
constexpr float kSpeechLoHz = 300.0f, kSpeechHiHz = 4000.0f;

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
  state_ = arena.array<float>(model.state_floats());
  scratch_ = arena.array<float>(model.scratch_floats());
  if (state_) reset();
}

void NeuralEngine::reset() {
  stft_.reset();
  std::memset(state_, 0, sizeof(float) * model_.state_floats());
}

float NeuralEngine::process(const float* in, float* out, float floor_gain) {
  stft_.analyze(in, spectrum_);
  for (int k = 0; k < bins_; ++k) stft_power_[k] = std::norm(spectrum_[k]) * power_scale_;
  const float bins_per_model_bin = 1.0f / model_bins_per_bin_;
  for (int m = 0; m < model_bins_; ++m) {
    power_[m] = sample_at(stft_power_, bins_, static_cast<float>(m) * bins_per_model_bin);
  }
  model_.step(power_, state_, scratch_, gains_);

  const int hi_from = static_cast<int>(kHighBandFromHz / kModelBinHz);
  float high_gain = 0.0f;
  for (int m = hi_from; m < model_bins_; ++m) high_gain += gains_[m];
  high_gain /= static_cast<float>(model_bins_ - hi_from);
  const float last_model_bin = static_cast<float>(model_bins_ - 1);
  for (int k = 0; k < bins_; ++k) {
    const float at = static_cast<float>(k) * model_bins_per_bin_;
    const float model_gain = at <= last_model_bin ? sample_at(gains_, model_bins_, at) : high_gain;
    const float g = model_gain > floor_gain ? model_gain : floor_gain;  // a NaN gain falls to the floor
    spectrum_[k] *= g;
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
