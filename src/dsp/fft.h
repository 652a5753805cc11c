// Real FFT of any even length, wrapping kissfft (BSD, Debian's libkissfft-float).
// Plans are made once; forward/inverse allocate nothing and are RT-safe.
#pragma once

#include <complex>
#include <cstddef>
#include <span>

namespace hush::dsp {

class RealFft {
 public:
  // Bytes of plan memory for an FFT of `size` points (for caller-owned arenas).
  static std::size_t plan_bytes(int size);

  // `size` must be even and >= 2. When `memory` is given it must hold plan_bytes(size) bytes
  // and outlive this object; otherwise the plan is heap-allocated.
  explicit RealFft(int size, void* memory = nullptr);
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  int size() const { return size_; }
  int bins() const { return size_ / 2 + 1; }

  // time: size() samples -> spectrum: bins() values. Unnormalised.
  void forward(const float* time, std::complex<float>* spectrum) const;
  // spectrum: bins() values -> time: size() samples, scaled by 1/size() (forward∘inverse = id).
  void inverse(const std::complex<float>* spectrum, float* time) const;

 private:
  int size_;
  void* forward_plan_;
  void* inverse_plan_;
  bool owns_memory_;
};

}  // namespace hush::dsp
