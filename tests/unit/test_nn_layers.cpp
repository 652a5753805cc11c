// The neural layers: the AVX2 kernel against the scalar one, both against double precision, for
// float32 and half weights; half-to-float conversion for every value; and the GRU step against
// PyTorch's equations written out in double.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "nn/layers.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace {

std::vector<float> random_vector(std::size_t n, std::mt19937& rng, float scale = 1.0f) {
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

double sigmoid_ref(double x) { return 1.0 / (1.0 + std::exp(-x)); }

#if defined(__FLT16_MAX__)  // the compiler's own half type, an independent reference
constexpr bool kHaveFloat16 = true;
float reference_half_to_float(std::uint16_t h) { return static_cast<float>(std::bit_cast<_Float16>(h)); }
std::uint16_t to_half(float x) { return std::bit_cast<std::uint16_t>(static_cast<_Float16>(x)); }
#else
constexpr bool kHaveFloat16 = false;
float reference_half_to_float(std::uint16_t) { return 0.0f; }
std::uint16_t to_half(float) { return 0; }
#endif

}  // namespace

// Both kernels on a weight matrix `w` (float or half; `value` gives a weight as the kernels
// read it) with random bias and input, held to each other and to a double-precision product.
template <typename W, typename Value>
void expect_kernels_match_double(const std::vector<W>& w, Value value, int out, int in, std::mt19937& rng) {
  const auto b = random_vector(std::size_t(out), rng);
  const auto x = random_vector(std::size_t(in), rng);
  std::vector<float> y_scalar(out), y_simd(out);
  hush::nn::dense_with(hush::nn::Kernel::scalar, w.data(), b.data(), out, in, x.data(), y_scalar.data());
  hush::nn::dense_with(hush::nn::active_kernel(), w.data(), b.data(), out, in, x.data(), y_simd.data());
  for (int o = 0; o < out; ++o) {
    double ref = b[o];
    for (int i = 0; i < in; ++i) ref += double(value(w[std::size_t(o) * in + i])) * x[i];
    EXPECT_NEAR(y_scalar[o], ref, 1e-5 * (1 + std::fabs(ref))) << out << "x" << in;
    EXPECT_NEAR(y_simd[o], y_scalar[o], 1e-5 * (1 + std::fabs(ref))) << out << "x" << in;
  }
}

TEST(NnLayers, DenseKernelsAgreeWithDoublePrecision) {
  std::mt19937 rng(7);
  for (auto [out, in] : {std::pair{1, 1}, {3, 7}, {4, 8}, {5, 9}, {160, 161}, {576, 192}, {161, 192}, {13, 33}}) {
    const auto w = random_vector(std::size_t(out) * in, rng, 0.1f);
    expect_kernels_match_double(w, [](float v) { return v; }, out, in, rng);
  }
}

TEST(NnLayers, HalfToFloatIsExactForEveryValue) {
  EXPECT_EQ(hush::nn::half_to_float(0x3C00), 1.0f);
  EXPECT_EQ(hush::nn::half_to_float(0xC000), -2.0f);
  EXPECT_EQ(hush::nn::half_to_float(0x7BFF), 65504.0f);           // largest finite
  EXPECT_EQ(hush::nn::half_to_float(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(hush::nn::half_to_float(0x8000), -0.0f);
  EXPECT_TRUE(std::signbit(hush::nn::half_to_float(0x8000)));
  EXPECT_EQ(hush::nn::half_to_float(0xFC00), -INFINITY);
  EXPECT_TRUE(std::isnan(hush::nn::half_to_float(0x7E00)));
  if (!kHaveFloat16) GTEST_SKIP() << "no _Float16 in this compiler to check all 65536 values against";
  for (std::uint32_t h = 0; h <= 0xFFFF; ++h) {
    const float got = hush::nn::half_to_float(static_cast<std::uint16_t>(h));
    const float want = reference_half_to_float(static_cast<std::uint16_t>(h));
    if (std::isnan(want)) {
      ASSERT_TRUE(std::isnan(got)) << std::hex << h;
    } else {
      ASSERT_EQ(std::bit_cast<std::uint32_t>(got), std::bit_cast<std::uint32_t>(want)) << std::hex << h;
    }
  }
}

TEST(NnLayers, HalfWeightKernelsAgreeWithDoublePrecision) {
  if (!kHaveFloat16) GTEST_SKIP() << "no _Float16 in this compiler to round the weights with";
  std::mt19937 rng(9);
  for (auto [out, in] : {std::pair{1, 1}, {3, 7}, {4, 8}, {5, 9}, {160, 161}, {576, 192}, {768, 256}, {13, 33}}) {
    const auto w_float = random_vector(std::size_t(out) * in, rng, 0.1f);
    std::vector<std::uint16_t> w(w_float.size());
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = to_half(w_float[i]);
    expect_kernels_match_double(w, reference_half_to_float, out, in, rng);
  }
}

TEST(NnLayers, Avx2IsUsedWhereTheCpuHasIt) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  const bool f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C);
  const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && f16c;
  EXPECT_EQ(hush::nn::active_kernel() == hush::nn::Kernel::avx2, has);
#else
  EXPECT_EQ(hush::nn::active_kernel(), hush::nn::Kernel::scalar);
#endif
}

TEST(NnLayers, GruStepFollowsPyTorchEquations) {
  std::mt19937 rng(11);
  const int in = 10, hidden = 12;
  const auto w_ih = random_vector(std::size_t(3 * hidden * in), rng, 0.3f);
  const auto w_hh = random_vector(std::size_t(3 * hidden * hidden), rng, 0.3f);
  const auto b_ih = random_vector(std::size_t(3 * hidden), rng, 0.3f);
  const auto b_hh = random_vector(std::size_t(3 * hidden), rng, 0.3f);
  const hush::nn::GruWeights g{w_ih.data(), w_hh.data(), b_ih.data(), b_hh.data(), in, hidden};
  std::vector<float> h(hidden, 0.0f), scratch(6 * hidden);
  std::vector<double> h_ref(hidden, 0.0);
  for (int step = 0; step < 20; ++step) {
    const auto x = random_vector(std::size_t(in), rng);
    std::vector<double> next(hidden);
    for (int j = 0; j < hidden; ++j) {
      double gi[3], gh[3];
      for (int gate = 0; gate < 3; ++gate) {
        const int row = gate * hidden + j;
        gi[gate] = b_ih[row];
        gh[gate] = b_hh[row];
        for (int i = 0; i < in; ++i) gi[gate] += double(w_ih[std::size_t(row) * in + i]) * x[i];
        for (int i = 0; i < hidden; ++i) gh[gate] += double(w_hh[std::size_t(row) * hidden + i]) * h_ref[i];
      }
      const double r = sigmoid_ref(gi[0] + gh[0]);
      const double z = sigmoid_ref(gi[1] + gh[1]);
      const double n = std::tanh(gi[2] + r * gh[2]);
      next[j] = (1 - z) * n + z * h_ref[j];
    }
    h_ref = next;
    hush::nn::gru_step(g, x.data(), h.data(), scratch.data());
    for (int j = 0; j < hidden; ++j) ASSERT_NEAR(h[j], h_ref[j], 1e-5) << "step " << step;
  }
}
