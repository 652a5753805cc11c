#include "dsp/fft.h"

#include <kissfft/kiss_fftr.h>

#include <cstdlib>

#include "util/error.h"

namespace hush::dsp {
namespace {

std::size_t one_plan_bytes(int size) {
  std::size_t bytes = 0;
  kiss_fftr_alloc(size, 0, nullptr, &bytes);  // sizing call: allocates nothing
  return (bytes + 15) & ~std::size_t{15};
}

}  // namespace

std::size_t RealFft::plan_bytes(int size) { return 2 * one_plan_bytes(size); }

RealFft::RealFft(int size, void* memory) : size_(size), owns_memory_(memory == nullptr) {
  if (size < 2 || size % 2 != 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "FFT size must be even");
  std::size_t one = one_plan_bytes(size);
  char* base = static_cast<char*>(memory);
  if (owns_memory_) {
    base = static_cast<char*>(std::malloc(2 * one));
    if (!base) throw Error(HUSH_ERR_OUT_OF_MEMORY, "out of memory for FFT plan");
  }
  std::size_t len = one;
  forward_plan_ = kiss_fftr_alloc(size, 0, base, &len);
  len = one;
  inverse_plan_ = kiss_fftr_alloc(size, 1, base + one, &len);
  if (!forward_plan_ || !inverse_plan_) {
    if (owns_memory_) std::free(base);
    throw Error(HUSH_ERR_INTERNAL, "kissfft could not build a plan");
  }
}

RealFft::~RealFft() {
  if (owns_memory_) std::free(forward_plan_);  // both plans live in one block starting here
}

void RealFft::forward(const float* time, std::complex<float>* spectrum) const {
  kiss_fftr(static_cast<kiss_fftr_cfg>(forward_plan_), time,
            reinterpret_cast<kiss_fft_cpx*>(spectrum));
}

void RealFft::inverse(const std::complex<float>* spectrum, float* time) const {
  kiss_fftri(static_cast<kiss_fftr_cfg>(inverse_plan_),
             reinterpret_cast<const kiss_fft_cpx*>(spectrum), time);
  const float scale = 1.0f / static_cast<float>(size_);
  for (int i = 0; i < size_; ++i) time[i] *= scale;
}

}  // namespace hush::dsp
