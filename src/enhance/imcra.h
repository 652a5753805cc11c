// IMCRA noise tracking (Cohen, "Noise spectrum estimation in adverse environments: improved
// minima controlled recursive averaging", IEEE TSAP 2003).
//
// Two iterations of smoothing + minimum tracking over ~1.2 s find where speech is absent;
// the noise PSD is then averaged recursively with a rate that slows where speech is likely.
// This follows non-stationary noise (a fan starting, traffic) within about a second while
// not absorbing speech into the noise estimate.
#pragma once

#include "dsp/arena.h"

namespace hush::enhance {

class ImcraNoiseTracker {
 public:
  // subwindow_frames: V in Cohen's paper; the minimum is searched over 8 * V frames.
  ImcraNoiseTracker(dsp::Arena& arena, int bins, int subwindow_frames = 15);

  // Starts the estimate from the first frame's power spectrum.
  void start(const float* power);

  // One frame. power = |Y|^2; xi = a-priori SNR and gamma = a-posteriori SNR of this frame
  // (computed against noise_psd() before this call). Writes the speech presence probability
  // per bin and updates noise_psd() for the next frame. No allocation.
  void update(const float* power, const float* xi, const float* gamma, float* presence);

  const float* noise_psd() const { return noise_psd_; }
  bool started() const { return started_; }
  void reset() { started_ = false; }

 private:
  void smooth_over_frequency(const float* in, float* out) const;
  static void track_minimum(float* s, float* s_min, float* s_tmp, float* ring, const float* fresh,
                            int bins, int slot, bool subwindow_done, int ring_slots);

  int bins_;
  int subwindow_frames_;
  int frame_in_subwindow_ = 0;
  int ring_slot_ = 0;
  int frames_since_start_ = 0;
  bool started_ = false;

  float* smoothed_ = nullptr;        // S: time-frequency smoothed power (1st iteration)
  float* min_ = nullptr;             // Smin
  float* min_tmp_ = nullptr;         // Stmp: running minimum of the current subwindow
  float* min_ring_ = nullptr;        // U subwindow minima, bins each
  float* smoothed2_ = nullptr;       // S~: smoothing restricted to speech-absent bins
  float* min2_ = nullptr;
  float* min2_tmp_ = nullptr;
  float* min2_ring_ = nullptr;
  float* raw_noise_ = nullptr;       // lambda~_d, before bias compensation
  float* noise_psd_ = nullptr;       // lambda_d = beta * lambda~_d
  float* scratch_a_ = nullptr;
  float* scratch_b_ = nullptr;
};

}  // namespace hush::enhance
