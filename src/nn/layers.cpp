#include "nn/layers.h"

#include <cmath>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HUSH_NN_X86 1
#endif

namespace hush::nn {
namespace {

void dense_scalar(const float* w, const float* b, int out, int in, const float* x, float* y) {
  for (int o = 0; o < out; ++o) {
    const float* row = w + static_cast<long>(o) * in;
    // Four partial sums, like the SIMD kernel, so the two round alike and the loop pipelines.
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    int i = 0;
    for (; i + 4 <= in; i += 4) {
      s0 += row[i] * x[i];
      s1 += row[i + 1] * x[i + 1];
      s2 += row[i + 2] * x[i + 2];
      s3 += row[i + 3] * x[i + 3];
    }
    for (; i < in; ++i) s0 += row[i] * x[i];
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

// Four rows at a time share each load of x: the product is bound by reading the weights.
__attribute__((target("avx2,fma"))) void dense_avx2(const float* w, const float* b, int out, int in,
                                                    const float* x, float* y) {
  const int vec_end = in & ~7;
  int o = 0;
  for (; o + 4 <= out; o += 4) {
    const float* r0 = w + static_cast<long>(o) * in;
    const float* r1 = r0 + in;
    const float* r2 = r1 + in;
    const float* r3 = r2 + in;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (int i = 0; i < vec_end; i += 8) {
      const __m256 xv = _mm256_loadu_ps(x + i);
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + i), xv, a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + i), xv, a1);
      a2 = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + i), xv, a2);
      a3 = _mm256_fmadd_ps(_mm256_loadu_ps(r3 + i), xv, a3);
    }
    float s0 = horizontal_sum(a0), s1 = horizontal_sum(a1), s2 = horizontal_sum(a2), s3 = horizontal_sum(a3);
    for (int i = vec_end; i < in; ++i) {
      s0 += r0[i] * x[i];
      s1 += r1[i] * x[i];
      s2 += r2[i] * x[i];
      s3 += r3[i] * x[i];
    }
    y[o] = b[o] + s0;
    y[o + 1] = b[o + 1] + s1;
    y[o + 2] = b[o + 2] + s2;
    y[o + 3] = b[o + 3] + s3;
  }
  for (; o < out; ++o) {
    const float* r = w + static_cast<long>(o) * in;
    __m256 a = _mm256_setzero_ps();
    for (int i = 0; i < vec_end; i += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(r + i), _mm256_loadu_ps(x + i), a);
    float s = horizontal_sum(a);
    for (int i = vec_end; i < in; ++i) s += r[i] * x[i];
    y[o] = b[o] + s;
  }
}

bool cpu_has_avx2_fma() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

}  // namespace

Kernel active_kernel() {
#ifdef HUSH_NN_X86
  static const Kernel k = cpu_has_avx2_fma() ? Kernel::avx2 : Kernel::scalar;
  return k;
#else
  return Kernel::scalar;
#endif
}

void dense_with(Kernel kernel, const float* w, const float* b, int out, int in, const float* x, float* y) {
#ifdef HUSH_NN_X86
  if (kernel == Kernel::avx2) {
    dense_avx2(w, b, out, in, x, y);
    return;
  }
#endif
  (void)kernel;
  dense_scalar(w, b, out, in, x, y);
}

void dense(const float* w, const float* b, int out, int in, const float* x, float* y) {
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
