#include "dsp/stft.h"

#include <cmath>
#include <cstring>
#include <new>
#include <numbers>

namespace hush::dsp {

int StreamingStft::fast_fft_size(int at_least) {
  for (int n = at_least + (at_least & 1);; n += 2) {
    int m = n;
    for (int f : {2, 3, 5}) {
      while (m % f == 0) m /= f;
    }
    if (m == 1) return n;
  }
}

StreamingStft::StreamingStft(Arena& arena, int hop, int window_hops)
    : hop_(hop), window_(hop * window_hops), fft_size_(fast_fft_size(hop * window_hops)) {
  window_coeffs_ = arena.array<float>(window_);
  input_history_ = arena.array<float>(window_);
  overlap_ = arena.array<float>(window_);
  scratch_ = arena.array<float>(fft_size_);
  void* fft_object = arena.bytes(sizeof(RealFft));
  void* plan = arena.bytes(RealFft::plan_bytes(fft_size_));
  if (!window_coeffs_ || !fft_object || !plan) return;  // sizing pass (or block too small)

  fft_ = new (fft_object) RealFft(fft_size_, plan);
  for (int n = 0; n < window_; ++n) {
    const double hann = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * n / window_);
    window_coeffs_[n] = static_cast<float>(std::sqrt(hann));
  }
  // A periodic Hann at hop window/K overlap-adds to K/2.
  synthesis_scale_ = 2.0f / static_cast<float>(window_hops);
}

StreamingStft::~StreamingStft() {
  if (fft_) fft_->~RealFft();
}

void StreamingStft::reset() {
  std::memset(input_history_, 0, sizeof(float) * window_);
  std::memset(overlap_, 0, sizeof(float) * window_);
}

void StreamingStft::analyze(const float* in, std::complex<float>* spectrum) {
  std::memmove(input_history_, input_history_ + hop_, sizeof(float) * (window_ - hop_));
  std::memcpy(input_history_ + window_ - hop_, in, sizeof(float) * hop_);
  for (int n = 0; n < window_; ++n) scratch_[n] = input_history_[n] * window_coeffs_[n];
  for (int n = window_; n < fft_size_; ++n) scratch_[n] = 0.0f;
  fft_->forward(scratch_, spectrum);
}

void StreamingStft::synthesize(const std::complex<float>* spectrum, float* out) {
  fft_->inverse(spectrum, scratch_);
  // Samples past the window (zero padding) are dropped: the synthesis window is zero there.
  for (int n = 0; n < window_; ++n) {
    overlap_[n] += scratch_[n] * window_coeffs_[n] * synthesis_scale_;
  }
  std::memcpy(out, overlap_, sizeof(float) * hop_);
  std::memmove(overlap_, overlap_ + hop_, sizeof(float) * (window_ - hop_));
  std::memset(overlap_ + window_ - hop_, 0, sizeof(float) * hop_);
}

}  // namespace hush::dsp
