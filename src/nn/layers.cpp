#include "nn/layers.h"

#include <bit>
#include <cmath>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define HUSH_NN_X86 1
#endif

namespace hush::nn {

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1Fu;
  const std::uint32_t mantissa = h & 0x3FFu;
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24, exact in float
    const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
    return sign ? -magnitude : magnitude;
  }
  // Rebias the exponent (15 -> 127) and widen the mantissa; all-ones stays inf/NaN.
  const std::uint32_t float_exponent = exponent == 31 ? 255u : exponent + 112u;
  return std::bit_cast<float>(sign | (float_exponent << 23) | (mantissa << 13));
}

namespace {

inline float weight_at(const float* row, int i) { return row[i]; }
inline float weight_at(const std::uint16_t* row, int i) { return half_to_float(row[i]); }

template <typename W>
void dense_scalar(const W* w, const float* b, int out, int in, const float* x, float* y) {
  for (int o = 0; o < out; ++o) {
    const W* row = w + static_cast<long>(o) * in;
    // Four partial sums, like the SIMD kernel, so the two round alike and the loop pipelines.
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    int i = 0;
    for (; i + 4 <= in; i += 4) {
      s0 += weight_at(row, i) * x[i];
      s1 += weight_at(row, i + 1) * x[i + 1];
      s2 += weight_at(row, i + 2) * x[i + 2];
      s3 += weight_at(row, i + 3) * x[i + 3];
    }
    for (; i < in; ++i) s0 += weight_at(row, i) * x[i];
    y[o] = b[o] + ((s0 + s1) + (s2 + s3));
  }
}

#ifdef HUSH_NN_X86
__attribute__((target("avx2,fma"))) float horizontal_sum(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v);
  __m128 hi = _mm256_extractf128_ps(v, 1);
  lo = _mm_add_ps(lo, hi);
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
  return _mm_cvtss_f32(lo);
}

__attribute__((target("avx2,fma,f16c"))) inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
__attribute__((target("avx2,fma,f16c"))) inline __m256 load8(const std::uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

// Four rows at a time share each load of x: the product is bound by reading the weights.
template <typename W>
__attribute__((target("avx2,fma,f16c"))) void dense_avx2(const W* w, const float* b, int out, int in,
                                                         const float* x, float* y) {
  const int vec_end = in & ~7;
  int o = 0;
  for (; o + 4 <= out; o += 4) {
    const W* r0 = w + static_cast<long>(o) * in;
    const W* r1 = r0 + in;
    const W* r2 = r1 + in;
    const W* r3 = r2 + in;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (int i = 0; i < vec_end; i += 8) {
      const __m256 xv = _mm256_loadu_ps(x + i);
      a0 = _mm256_fmadd_ps(load8(r0 + i), xv, a0);
      a1 = _mm256_fmadd_ps(load8(r1 + i), xv, a1);
      a2 = _mm256_fmadd_ps(load8(r2 + i), xv, a2);
      a3 = _mm256_fmadd_ps(load8(r3 + i), xv, a3);
    }
    float s0 = horizontal_sum(a0), s1 = horizontal_sum(a1), s2 = horizontal_sum(a2), s3 = horizontal_sum(a3);
    for (int i = vec_end; i < in; ++i) {
      s0 += weight_at(r0, i) * x[i];
      s1 += weight_at(r1, i) * x[i];
      s2 += weight_at(r2, i) * x[i];
      s3 += weight_at(r3, i) * x[i];
    }
    y[o] = b[o] + s0;
    y[o + 1] = b[o + 1] + s1;
    y[o + 2] = b[o + 2] + s2;
    y[o + 3] = b[o + 3] + s3;
  }
  for (; o < out; ++o) {
    const W* r = w + static_cast<long>(o) * in;
    __m256 a = _mm256_setzero_ps();
    for (int i = 0; i < vec_end; i += 8) a = _mm256_fmadd_ps(load8(r + i), _mm256_loadu_ps(x + i), a);
    float s = horizontal_sum(a);
    for (int i = vec_end; i < in; ++i) s += weight_at(r, i) * x[i];
    y[o] = b[o] + s;
  }
}

bool cpu_has_f16c() {  // CPUID leaf 1, ECX bit 29 (clang 14's __builtin_cpu_supports lacks "f16c")
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C);
}

bool cpu_has_avx2_fma_f16c() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && cpu_has_f16c();
}
#endif

}  // namespace

Kernel active_kernel() {
#ifdef HUSH_NN_X86
  static const Kernel k = cpu_has_avx2_fma_f16c() ? Kernel::avx2 : Kernel::scalar;
  return k;
#else
  return Kernel::scalar;
#endif
}

void dense_with(Kernel kernel, const Weights& w, const float* b, int out, int in, const float* x, float* y) {
#ifdef HUSH_NN_X86
  if (kernel == Kernel::avx2) {
    if (w.f16) dense_avx2(w.f16, b, out, in, x, y);
    else dense_avx2(w.f32, b, out, in, x, y);
    return;
  }
#endif
  (void)kernel;
  if (w.f16) dense_scalar(w.f16, b, out, in, x, y);
  else dense_scalar(w.f32, b, out, in, x, y);
}

void dense(const Weights& w, const float* b, int out, int in, const float* x, float* y) {
  dense_with(active_kernel(), w, b, out, in, x, y);
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

void gru_step(const GruWeights& g, const float* x, float* h, float* scratch) {
  const int n = g.hidden;
  float* gi = scratch;          // W_ih x + b_ih: [r z n]
  float* gh = scratch + 3 * n;  // W_hh h + b_hh: [r z n]
  dense(g.w_ih, g.b_ih, 3 * n, g.input, x, gi);
  dense(g.w_hh, g.b_hh, 3 * n, n, h, gh);
  for (int j = 0; j < n; ++j) {
    const float r = sigmoid(gi[j] + gh[j]);
    const float z = sigmoid(gi[n + j] + gh[n + j]);
    const float cand = std::tanh(gi[2 * n + j] + r * gh[2 * n + j]);
    h[j] = (1.0f - z) * cand + z * h[j];
  }
}

}  // namespace hush::nn
