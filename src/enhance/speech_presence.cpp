#include "enhance/speech_presence.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace hush::enhance {
namespace {

// Cohen & Berdugo 2001, Table 1.
constexpr float kBeta = 0.7f;            // time averaging of xi
constexpr int kLocalHalfWidth = 1;
constexpr int kGlobalHalfWidth = 15;
constexpr float kZetaMin = 0.1f;          // -10 dB
constexpr float kZetaMax = 0.3162278f;    // -5 dB
constexpr float kZetaPeakMin = 1.0f;      // 0 dB
constexpr float kZetaPeakMax = 10.0f;     // 10 dB
constexpr float kMaxAbsence = 0.95f;

float likelihood(float zeta, float lo, float hi) {
  if (zeta <= lo) return 0.0f;
  if (zeta >= hi) return 1.0f;
  return std::log(zeta / lo) / std::log(hi / lo);
}

void hann_kernel(float* k, int half_width) {
  const int n = 2 * half_width + 1;
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) {
    k[i] = 0.5f - 0.5f * std::cos(2.0f * std::numbers::pi_v<float> * float(i + 1) / float(n + 1));
    sum += k[i];
  }
  for (int i = 0; i < n; ++i) k[i] /= sum;
}

}  // namespace

SpeechPresence::SpeechPresence(dsp::Arena& arena, int bins, int band_lo_bin, int band_hi_bin)
    : bins_(bins), band_lo_(band_lo_bin), band_hi_(band_hi_bin) {
  zeta_ = arena.array<float>(bins);
  local_ = arena.array<float>(bins);
  global_ = arena.array<float>(bins);
  local_kernel_ = arena.array<float>(2 * kLocalHalfWidth + 1);
  global_kernel_ = arena.array<float>(2 * kGlobalHalfWidth + 1);
  if (!arena.sizing() && local_kernel_ && global_kernel_) {
    hann_kernel(local_kernel_, kLocalHalfWidth);
    hann_kernel(global_kernel_, kGlobalHalfWidth);
  }
}

void SpeechPresence::reset() {
  for (int k = 0; k < bins_; ++k) zeta_[k] = 0.0f;
  frame_zeta_prev_ = 0.0f;
  zeta_peak_ = 1.0f;
}

// Edges reuse the nearest bin, so the kernel stays normalised.
void SpeechPresence::smooth(const float* in, float* out, const float* kernel, int half_width) const {
  for (int k = 0; k < bins_; ++k) {
    float acc = 0.0f;
    for (int i = -half_width; i <= half_width; ++i) {
      const int j = std::clamp(k + i, 0, bins_ - 1);
      acc += kernel[i + half_width] * in[j];
    }
    out[k] = acc;
  }
}

void SpeechPresence::absence_probability(const float* xi, float* q) {
  for (int k = 0; k < bins_; ++k) zeta_[k] = kBeta * zeta_[k] + (1.0f - kBeta) * xi[k];
  smooth(zeta_, local_, local_kernel_, kLocalHalfWidth);
  smooth(zeta_, global_, global_kernel_, kGlobalHalfWidth);

  float frame_zeta = 0.0f;
  for (int k = band_lo_; k < band_hi_; ++k) frame_zeta += zeta_[k];
  frame_zeta /= float(band_hi_ - band_lo_);

  // Frame likelihood, relative to the peak of the current speech segment so that weak
  // speech after loud speech is still "present".
  float frame_p = 0.0f;
  if (frame_zeta > kZetaMin) {
    if (frame_zeta > frame_zeta_prev_) {
      frame_p = 1.0f;
      zeta_peak_ = std::clamp(frame_zeta, kZetaPeakMin, kZetaPeakMax);
    } else {
      frame_p = likelihood(frame_zeta, zeta_peak_ * kZetaMin, zeta_peak_ * kZetaMax);
    }
  }
  frame_zeta_prev_ = frame_zeta;

  for (int k = 0; k < bins_; ++k) {
    const float present = likelihood(local_[k], kZetaMin, kZetaMax) *
                          likelihood(global_[k], kZetaMin, kZetaMax) * frame_p;
    q[k] = std::min(1.0f - present, kMaxAbsence);
  }
}

}  // namespace hush::enhance
