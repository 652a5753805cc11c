// A-priori speech absence probability for the OM-LSA gain (Cohen & Berdugo, "Speech
// enhancement for non-stationary noise environments", Signal Processing 81, 2001, sec. 3).
//
// Speech is judged present where the recursively averaged a-priori SNR is high locally
// (3 bins), globally (31 bins) and over the whole frame; requiring all three keeps isolated
// noise peaks from being taken for speech, which is what makes residual noise "musical".
#pragma once

#include "dsp/arena.h"

namespace hush::enhance {

class SpeechPresence {
 public:
  SpeechPresence(dsp::Arena& arena, int bins, int band_lo_bin, int band_hi_bin);

  // xi: this frame's a-priori SNR per bin. Writes q (speech absence probability) per bin.
  void absence_probability(const float* xi, float* q);
  void reset();

 private:
  void smooth(const float* in, float* out, const float* kernel, int half_width) const;

  int bins_, band_lo_, band_hi_;
  float frame_zeta_prev_ = 0.0f;
  float zeta_peak_ = 1.0f;
  float* zeta_ = nullptr;         // recursive average of xi
  float* local_ = nullptr;
  float* global_ = nullptr;
  float* local_kernel_ = nullptr;
  float* global_kernel_ = nullptr;
};

}  // namespace hush::enhance
