// Hush's statistical noise suppressor, the fallback engine and the neural engine's baseline.
//
// Optimally-modified log-spectral amplitude (OM-LSA) gain (Cohen & Berdugo, Signal Processing
// 2001) with decision-directed a-priori SNR (Ephraim & Malah 1985), IMCRA noise tracking and
// its speech presence probability (Cohen 2003). The gain is the LSA gain raised to the
// presence probability times the floor gain to the absence probability, so noise-only bins
// fall to the floor smoothly instead of flickering (musical noise); the floor keeps a natural,
// attenuated copy of the noise as comfort noise.
#pragma once

#include <complex>

#include "dsp/arena.h"
#include "dsp/stft.h"
#include "enhance/imcra.h"
#include "enhance/noise_engine.h"
#include "enhance/speech_presence.h"

namespace hush::enhance {

struct SpectralParams {
  int window_hops = 2;           // analysis window = window_hops * 10 ms
  float dd_alpha = 0.98f;        // decision-directed smoothing of the a-priori SNR
  float xi_min_db = -25.0f;      // lower bound of the a-priori SNR (musical-noise control)
};

class SpectralEngine final : public NoiseEngine {
 public:
  SpectralEngine(dsp::Arena& arena, int sample_rate_hz, const SpectralParams& params = {});

  float process(const float* in, float* out, float floor_gain) override;
  int latency_samples() const override { return stft_.latency_samples(); }
  void reset() override;

 private:
  SpectralParams params_;
  int bins_;
  int vad_lo_bin_, vad_hi_bin_;  // speech band used for the returned probability
  float xi_min_;
  int frames_seen_ = 0;
  dsp::StreamingStft stft_;
  ImcraNoiseTracker tracker_;
  SpeechPresence presence_model_;
  std::complex<float>* spectrum_ = nullptr;
  float* power_ = nullptr;
  float* xi_ = nullptr;
  float* gamma_ = nullptr;
  float* presence_ = nullptr;
  float* absence_prior_ = nullptr;  // q per bin, for the gain
  float* prev_clean_power_ratio_ = nullptr;  // G_H1^2 * gamma of the previous frame
};

}  // namespace hush::enhance
