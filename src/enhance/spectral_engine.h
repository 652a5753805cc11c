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
  // Defaults chosen on the dev set (0-10 dB SNR; see README "Tuning"): a 30 ms window
  // resolves harmonics better than 20 ms (+0.2 dB SI-SDR, +0.008 STOI) within the 20 ms
  // latency budget; DD alpha 0.9 instead of the textbook 0.98 follows speech onsets faster
  // (STOI -0.024 -> +0.006); an 0.64 s minimum window follows changing noise sooner.
  int window_hops = 3;           // analysis window = window_hops * 10 ms; latency (window_hops-1)*10 ms
  float dd_alpha = 0.9f;         // decision-directed smoothing of the a-priori SNR
  float xi_min_db = -25.0f;      // lower bound of the a-priori SNR (musical-noise control)
  float noise_overestimate_db = 0.0f;  // scales the noise PSD used for the gain
  int imcra_subwindow_frames = 8;      // IMCRA V: minimum window = 8 * V frames
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
  float noise_scale_;
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
