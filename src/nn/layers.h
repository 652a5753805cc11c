// The few neural-network layers Hush runs, in float32: dense (matrix-vector) and a GRU step
// with PyTorch's gate equations. Written here because no Debian library offers small-matrix,
// allocation-free, per-frame inference (a BLAS call per 10 ms frame costs more than it saves).
//
// The matrix-vector product has an AVX2+FMA kernel picked at run time and a scalar fallback;
// tests/unit/test_nn_layers.cpp holds the two to each other and to a double-precision reference.
#pragma once

namespace hush::nn {

enum class Kernel { scalar, avx2 };

// The kernel dense() uses on this CPU (avx2 when the CPU has AVX2 and FMA).
Kernel active_kernel();

// y[o] = b[o] + sum_i w[o * in + i] * x[i] for o < out. `w` is row-major [out][in].
void dense(const float* w, const float* b, int out, int in, const float* x, float* y);
void dense_with(Kernel kernel, const float* w, const float* b, int out, int in, const float* x, float* y);

// One GRU layer, PyTorch layout: w_ih [3H][I], w_hh [3H][H], b_ih [3H], b_hh [3H], gates r, z, n.
struct GruWeights {
  const float* w_ih;
  const float* w_hh;
  const float* b_ih;
  const float* b_hh;
  int input;
  int hidden;
};

// h <- GRU(x, h). `scratch` holds 6 * hidden floats.
void gru_step(const GruWeights& g, const float* x, float* h, float* scratch);

float sigmoid(float x);

}  // namespace hush::nn
