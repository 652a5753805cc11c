// Streaming short-time Fourier analysis/synthesis for 10 ms hops (weighted overlap-add).
//
// Window = window_hops * hop samples, square-root periodic Hann for analysis and synthesis,
// so analysis·synthesis is a Hann window that sums to a constant at this hop: unmodified
// spectra reconstruct the input exactly, delayed by (window_hops - 1) * hop samples.
// The FFT is zero-padded to a size with only factors 2, 3, 5 (fast in kissfft).
#pragma once

#include <complex>

#include "dsp/arena.h"
#include "dsp/fft.h"

namespace hush::dsp {

class StreamingStft {
 public:
  // Lays out its buffers in `arena`; in sizing mode it only counts bytes.
  StreamingStft(Arena& arena, int hop, int window_hops);
  ~StreamingStft();
  StreamingStft(const StreamingStft&) = delete;
  StreamingStft& operator=(const StreamingStft&) = delete;

  int hop() const { return hop_; }
  int window_size() const { return window_; }
  int fft_size() const { return fft_size_; }
  int bins() const { return fft_size_ / 2 + 1; }
  int latency_samples() const { return window_ - hop_; }

  // Takes `hop` new samples, fills `spectrum` (bins() values) for the newest window.
  void analyze(const float* in, std::complex<float>* spectrum);
  // Takes the (modified) spectrum of the same window, writes `hop` finished samples.
  void synthesize(const std::complex<float>* spectrum, float* out);
  void reset();

  static int fast_fft_size(int at_least);

 private:
  int hop_, window_, fft_size_;
  float synthesis_scale_ = 1.0f;
  float* window_coeffs_ = nullptr;  // sqrt-Hann, window_ values
  float* input_history_ = nullptr;  // last window_ input samples
  float* overlap_ = nullptr;        // window_ samples of pending output
  float* scratch_ = nullptr;        // fft_size_ samples
  RealFft* fft_ = nullptr;
};

}  // namespace hush::dsp
