// The few neural-network layers Hush runs: dense (matrix-vector) and a GRU step with PyTorch's
// gate equations, float32 arithmetic on float32 or IEEE-half weights. Written here because no
// Debian library offers small-matrix, allocation-free, per-frame inference (a BLAS call per
// 10 ms frame costs more than it saves).
//
// The matrix-vector product has an AVX2+FMA(+F16C) kernel picked at run time and a scalar
// fallback; tests/unit/test_nn_layers.cpp holds the two to each other and to a double-precision
// reference, for both weight types.
#pragma once

#include <cstdint>

namespace hush::nn {

enum class Kernel { scalar, avx2 };

// The kernel dense() uses on this CPU (avx2 when the CPU has AVX2, FMA and F16C).
Kernel active_kernel();

// IEEE binary16 -> float32, exact for every value (subnormals, infinities, NaN). Written by
// hand: C++20 has no half type, and a dozen lines are cheaper than a dependency.
float half_to_float(std::uint16_t h);

// A row-major [out][in] weight matrix in float32 or in IEEE half (half the memory and memory
// traffic; products still accumulate in float32). Exactly one pointer is set.
struct Weights {
  Weights() = default;
  Weights(const float* w) : f32(w) {}            // NOLINT: implicit, a float matrix is the usual case
  Weights(const std::uint16_t* w) : f16(w) {}    // NOLINT
  const float* f32 = nullptr;
  const std::uint16_t* f16 = nullptr;
};

// y[o] = b[o] + sum_i w[o * in + i] * x[i] for o < out.
void dense(const Weights& w, const float* b, int out, int in, const float* x, float* y);
void dense_with(Kernel kernel, const Weights& w, const float* b, int out, int in, const float* x, float* y);

// One GRU layer, PyTorch layout: w_ih [3H][I], w_hh [3H][H], b_ih [3H], b_hh [3H], gates r, z, n.
struct GruWeights {
  Weights w_ih;
  Weights w_hh;
  const float* b_ih;
  const float* b_hh;
  int input;
  int hidden;
};

// h <- GRU(x, h). `scratch` holds 6 * hidden floats.
void gru_step(const GruWeights& g, const float* x, float* h, float* scratch);

float sigmoid(float x);

}  // namespace hush::nn
