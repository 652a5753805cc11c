#include "enhance/imcra.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hush::enhance {
namespace {

// Cohen 2003, Table I (tuned there for 8–16 ms hops; Hush hops 10 ms).
constexpr float kAlphaS = 0.9f;      // time smoothing of the power spectrum
constexpr float kAlphaD = 0.85f;     // noise averaging when speech is surely absent
constexpr float kBeta = 1.47f;       // bias compensation of the recursive average
constexpr int kSubwindows = 8;       // U: minimum search over U*V frames (1.2 s at V = 15)
constexpr float kBmin = 1.66f;       // bias of the minimum statistics
constexpr float kGamma0 = 4.6f;      // rough speech-absence thresholds
constexpr float kGamma1 = 3.0f;
constexpr float kZeta0 = 1.67f;
constexpr float kMaxAbsence = 0.998f;  // keeps q/(1-q) finite
constexpr float kTiny = 1e-20f;
// The first frames are assumed noise-only and averaged plainly: without this, a first frame
// that is quieter than the noise (half-filled window, digital silence) would pin the minimum
// low and hold the noise estimate down for a whole minimum window (>1 s).
constexpr int kWarmupFrames = 10;

}  // namespace

ImcraNoiseTracker::ImcraNoiseTracker(dsp::Arena& arena, int bins, int subwindow_frames)
    : bins_(bins), subwindow_frames_(subwindow_frames) {
  smoothed_ = arena.array<float>(bins);
  min_ = arena.array<float>(bins);
  min_tmp_ = arena.array<float>(bins);
  min_ring_ = arena.array<float>(bins * kSubwindows);
  smoothed2_ = arena.array<float>(bins);
  min2_ = arena.array<float>(bins);
  min2_tmp_ = arena.array<float>(bins);
  min2_ring_ = arena.array<float>(bins * kSubwindows);
  raw_noise_ = arena.array<float>(bins);
  noise_psd_ = arena.array<float>(bins);
  scratch_a_ = arena.array<float>(bins);
  scratch_b_ = arena.array<float>(bins);
}

// Hann window of width 3 across frequency: b = [1/4, 1/2, 1/4], mirrored at the edges.
void ImcraNoiseTracker::smooth_over_frequency(const float* in, float* out) const {
  if (bins_ == 1) {
    out[0] = in[0];
    return;
  }
  out[0] = 0.5f * in[0] + 0.5f * in[1];
  for (int k = 1; k < bins_ - 1; ++k) out[k] = 0.25f * in[k - 1] + 0.5f * in[k] + 0.25f * in[k + 1];
  out[bins_ - 1] = 0.5f * in[bins_ - 1] + 0.5f * in[bins_ - 2];
}

void ImcraNoiseTracker::start(const float* power) {
  smooth_over_frequency(power, smoothed_);
  for (int k = 0; k < bins_; ++k) {
    const float s = std::max(smoothed_[k], kTiny);
    smoothed_[k] = s;
    min_[k] = min_tmp_[k] = s;
    smoothed2_[k] = min2_[k] = min2_tmp_[k] = s;
    raw_noise_[k] = std::max(power[k], kTiny);
    noise_psd_[k] = raw_noise_[k];
  }
  for (int u = 0; u < kSubwindows; ++u) {
    std::memcpy(min_ring_ + u * bins_, smoothed_, sizeof(float) * bins_);
    std::memcpy(min2_ring_ + u * bins_, smoothed_, sizeof(float) * bins_);
  }
  frame_in_subwindow_ = 0;
  ring_slot_ = 0;
  frames_since_start_ = 0;
  started_ = true;
}

// Minimum over the last U subwindows of V frames (Cohen's Smin/Stmp bookkeeping).
void ImcraNoiseTracker::track_minimum(float* s, float* s_min, float* s_tmp, float* ring,
                                      const float* fresh, int bins, int slot, bool subwindow_done,
                                      int ring_slots) {
  for (int k = 0; k < bins; ++k) {
    s[k] = kAlphaS * s[k] + (1.0f - kAlphaS) * fresh[k];
    s_min[k] = std::min(s_min[k], s[k]);
    s_tmp[k] = std::min(s_tmp[k], s[k]);
  }
  if (!subwindow_done) return;
  float* stored = ring + slot * bins;
  std::memcpy(stored, s_tmp, sizeof(float) * bins);
  for (int k = 0; k < bins; ++k) {
    float m = ring[k];
    for (int u = 1; u < ring_slots; ++u) m = std::min(m, ring[u * bins + k]);
    s_min[k] = m;
    s_tmp[k] = s[k];
  }
}

void ImcraNoiseTracker::update(const float* power, const float* xi, const float* gamma,
                               float* presence) {
  const bool subwindow_done = ++frame_in_subwindow_ >= subwindow_frames_;
  const bool warming_up = ++frames_since_start_ <= kWarmupFrames;
  if (warming_up) {
    const float w = 1.0f / float(frames_since_start_ + 1);
    for (int k = 0; k < bins_; ++k) {
      raw_noise_[k] += w * (power[k] - raw_noise_[k]);
      smoothed_[k] = min_[k] = min_tmp_[k] = smoothed2_[k] = min2_[k] = min2_tmp_[k] =
          std::max(raw_noise_[k], kTiny);
      noise_psd_[k] = std::max(raw_noise_[k], kTiny);
      presence[k] = 0.0f;
    }
    for (int u = 0; u < kSubwindows; ++u) {
      std::memcpy(min_ring_ + u * bins_, min_, sizeof(float) * bins_);
      std::memcpy(min2_ring_ + u * bins_, min_, sizeof(float) * bins_);
    }
    frame_in_subwindow_ = 0;
    return;
  }

  // Iteration 1: smoothed power and its minimum; a rough speech-absence indicator.
  smooth_over_frequency(power, scratch_a_);
  track_minimum(smoothed_, min_, min_tmp_, min_ring_, scratch_a_, bins_, ring_slot_,
                subwindow_done, kSubwindows);
  float* indicator = scratch_b_;
  for (int k = 0; k < bins_; ++k) {
    const float floor = kBmin * std::max(min_[k], kTiny);
    const bool absent = power[k] / floor < kGamma0 && smoothed_[k] / floor < kZeta0;
    indicator[k] = absent ? 1.0f : 0.0f;
  }

  // Iteration 2: smooth only over speech-absent bins, so speech does not lift the minimum.
  float* masked = scratch_a_;
  for (int k = 0; k < bins_; ++k) {
    const int lo = std::max(0, k - 1), hi = std::min(bins_ - 1, k + 1);
    float num = 0.0f, den = 0.0f;
    for (int j = lo; j <= hi; ++j) {
      const float b = (j == k) ? 0.5f : 0.25f;
      num += b * indicator[j] * power[j];
      den += b * indicator[j];
    }
    // No absent neighbour: keep the previous smoothed value (undo the recursion below).
    masked[k] = den > 0.0f ? num / den : smoothed2_[k];
  }
  track_minimum(smoothed2_, min2_, min2_tmp_, min2_ring_, masked, bins_, ring_slot_,
                subwindow_done, kSubwindows);
  if (subwindow_done) {
    frame_in_subwindow_ = 0;
    ring_slot_ = (ring_slot_ + 1) % kSubwindows;
  }

  for (int k = 0; k < bins_; ++k) {
    // A-priori speech absence probability from the second-iteration minimum.
    const float floor = kBmin * std::max(min2_[k], kTiny);
    const float gamma_min = power[k] / floor;
    const float zeta = smoothed_[k] / floor;
    float q = 0.0f;
    if (zeta < kZeta0) {
      if (gamma_min <= 1.0f) {
        q = 1.0f;
      } else if (gamma_min < kGamma1) {
        q = (kGamma1 - gamma_min) / (kGamma1 - 1.0f);
      }
    }
    q = std::min(q, kMaxAbsence);

    // Conditional speech presence probability given this frame's SNRs.
    const float v = std::min(gamma[k] * xi[k] / (1.0f + xi[k]), 80.0f);
    const float p = 1.0f / (1.0f + q / (1.0f - q) * (1.0f + xi[k]) * std::exp(-v));
    presence[k] = p;

    // Speech-presence-controlled recursive averaging of the noise.
    const float alpha = kAlphaD + (1.0f - kAlphaD) * p;
    raw_noise_[k] = alpha * raw_noise_[k] + (1.0f - alpha) * power[k];
    noise_psd_[k] = std::max(kBeta * raw_noise_[k], kTiny);
  }
}

}  // namespace hush::enhance
