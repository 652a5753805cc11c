// The C++ engine reproduces the PyTorch model: train/golden.py ran a fixed 2 s input through the
// shipped model in PyTorch (tests/data/hushnet-golden-*.f32); the built-in model must give the
// same samples to 1e-4. HUSH_GOLDEN_PREFIX points at a freshly generated pair instead (the
// `torch_parity` test does that when PyTorch is installed).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "hush.h"

namespace {

std::vector<float> read_f32(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  EXPECT_TRUE(in) << path;
  const auto bytes = static_cast<std::size_t>(in.tellg());
  std::vector<float> v(bytes / sizeof(float));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
  return v;
}

}  // namespace

TEST(NeuralEngine, MatchesPyTorchTo1e4) {
  const char* env = std::getenv("HUSH_GOLDEN_PREFIX");
  const std::string prefix = env ? env : std::string(HUSH_SOURCE_DIR) + "/tests/data/hushnet-golden";
  const auto in = read_f32(prefix + "-in.f32");
  const auto expected = read_f32(prefix + "-out.f32");
  ASSERT_EQ(in.size(), expected.size());
  ASSERT_GT(in.size(), 16000u);

  hush_denoiser_config c = hush_denoiser_default_config();
  c.sample_rate_hz = 16000;
  c.engine = HUSH_ENGINE_NEURAL;
  c.strength_db = 25.0f;  // as train/golden.py
  hush_denoiser* d = nullptr;
  ASSERT_EQ(hush_denoiser_create(&c, &d), HUSH_OK);
  const int hop = 160, latency = hush_denoiser_latency_samples(d);
  ASSERT_EQ(latency, 160);
  std::vector<float> out(in.size());
  for (std::size_t at = 0; at + hop <= in.size(); at += hop) hush_denoiser_process(d, &out[at], &in[at]);
  hush_denoiser_destroy(d);

  double worst = 0.0, energy = 0.0;
  for (std::size_t n = 0; n + latency < in.size(); ++n) {
    worst = std::max(worst, double(std::fabs(out[n + latency] - expected[n])));
    energy += double(expected[n]) * expected[n];
  }
  EXPECT_GT(energy, 1.0) << "the reference output is (nearly) silent";
  EXPECT_LT(worst, 1e-4);
  std::printf("largest difference from PyTorch: %.3g\n", worst);
}
