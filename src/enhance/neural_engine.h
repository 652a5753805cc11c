// Hush's default engine: HushNet per-bin gains on a 50 Hz STFT grid (20 ms window, 10 ms hop,
// 10 ms delay) at every supported rate.
//
// The window is always 20 ms. Where the FFT is the window's length (8/16/32/48 kHz) bin k sits
// at k * 50 Hz and the model's 161 bins (0-8 kHz) are the first bins of this rate's spectrum,
// scaled to the 16 kHz level. At 44.1 kHz the 882-sample window is zero-padded to a 900-point
// FFT (kissfft allocates for a factor of 7), so power and gains are interpolated between the
// 49 Hz and 50 Hz grids. At 8 kHz the bins above 4 kHz are absent and fed as silence (the
// model is trained on such band-limited input). Above 8 kHz (32/44.1/48 kHz) every bin gets the mean of the model's
// 6-8 kHz gains: noise and speech above 8 kHz (fricatives, breath) move with that band.
//
// With a deep filter (HushNet v2) the lowest model bins also get a complex filter over this and
// the previous hops' input spectra, scaled by 1 - floor (strength 0 dB passes the input), and
// their magnitude is then kept at or above floor * |input| like every other bin's. It filters the engine's own bins: at 44.1 kHz the
// coefficients are interpolated onto the 49 Hz grid like the gains.
//
// A model with a gain release (HushNet v3) limits how fast each model bin's gain falls, before
// the floor and the interpolation onto this rate's bins. With a release power exponent the gain
// a bin holds is first scaled by the change of the input power, as RNNoise 0.2 does.
#pragma once

#include <complex>

#include "dsp/arena.h"
#include "dsp/stft.h"
#include "enhance/noise_engine.h"
#include "nn/hushnet.h"

namespace hush::enhance {

class NeuralEngine final : public NoiseEngine {
 public:
  NeuralEngine(dsp::Arena& arena, int sample_rate_hz, const nn::HushNet& model);

  float process(const float* in, float* out, float floor_gain) override;
  int latency_samples() const override { return stft_.latency_samples(); }
  void reset() override;

 private:
  void deep_filter(float floor_gain);
  void limit_release();
  // Spectra in the ring: df_order_ - 1 past hops of df_bins_ bins (one slot when there are none).
  std::size_t df_history_size() const {
    return static_cast<std::size_t>((df_order_ > 1 ? df_order_ - 1 : 1) * df_bins_);
  }

  const nn::HushNet& model_;
  int bins_;         // STFT bins at this rate
  int model_bins_;   // the model's bins (161)
  float model_bins_per_bin_;  // STFT bin spacing / model bin spacing
  float power_scale_;
  dsp::StreamingStft stft_;
  std::complex<float>* spectrum_ = nullptr;
  float* stft_power_ = nullptr;  // |X|^2 per STFT bin, on the 16 kHz scale
  float* power_ = nullptr;       // the same on the model's grid
  float* gains_ = nullptr;
  float* released_gains_ = nullptr;  // last hop's gains after the release limit (models with one)
  // Compensated release: model-grid power averaged over release_smooth_bins, this and last hop.
  float* smoothed_power_ = nullptr;
  float* last_smoothed_power_ = nullptr;
  float* state_ = nullptr;
  float* scratch_ = nullptr;
  // Deep filter: coefficients of this hop, and a ring of the last df_order - 1 input spectra
  // of the bins it covers (df_bins_ of this rate's bins).
  int df_bins_ = 0;
  int df_order_ = 0;
  int df_history_at_ = 0;
  float* df_coefs_ = nullptr;
  std::complex<float>* df_history_ = nullptr;
  std::complex<float>* df_low_ = nullptr;  // this hop's filtered part, added after the gains
};

}  // namespace hush::enhance
