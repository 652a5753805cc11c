#include "audio/noise_synth.h"

#include <cmath>
#include <numbers>
#include <random>

namespace hush::audio {
namespace {

constexpr float kTwoPi = 2.0f * std::numbers::pi_v<float>;

std::vector<float> gaussian(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> x(n);
  for (auto& v : x) v = dist(rng);
  return x;
}

double mean_square(const std::vector<float>& x) {
  double e = 0.0;
  for (float v : x) e += double(v) * v;
  return x.empty() ? 0.0 : e / double(x.size());
}

}  // namespace

void normalize_rms(std::vector<float>& x) {
  const double ms = mean_square(x);
  if (ms <= 0.0) return;
  const auto scale = static_cast<float>(1.0 / std::sqrt(ms));
  for (auto& v : x) v *= scale;
}

float gain_for_snr(const std::vector<float>& clean, const std::vector<float>& noise, double snr_db) {
  const double noise_ms = mean_square(noise);
  if (noise_ms <= 0.0) return 0.0f;
  return static_cast<float>(std::sqrt(mean_square(clean) / (noise_ms * std::pow(10.0, snr_db / 10.0))));
}

// Paul Kellet's refined pink filter: -3 dB/octave within 0.05 dB over the audio band.
std::vector<float> pink_noise(std::size_t samples, std::uint32_t seed) {
  auto x = gaussian(samples, seed);
  float b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (auto& v : x) {
    const float w = v;
    b0 = 0.99886f * b0 + w * 0.0555179f;
    b1 = 0.99332f * b1 + w * 0.0750759f;
    b2 = 0.96900f * b2 + w * 0.1538520f;
    b3 = 0.86650f * b3 + w * 0.3104856f;
    b4 = 0.55000f * b4 + w * 0.5329522f;
    b5 = -0.7616f * b5 - w * 0.0168980f;
    v = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362f;
    b6 = w * 0.115926f;
  }
  normalize_rms(x);
  return x;
}

std::vector<float> brown_noise(std::size_t samples, std::uint32_t seed) {
  auto x = gaussian(samples, seed);
  float acc = 0.0f;
  for (auto& v : x) {
    acc = 0.998f * acc + 0.05f * v;  // leaky integrator: -6 dB/octave without DC drift
    v = acc;
  }
  normalize_rms(x);
  return x;
}

std::vector<float> hum_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> phase(0.0f, kTwoPi);
  const float fundamental_hz = (seed % 2) ? 50.0f : 60.0f;
  float phases[8];
  for (auto& p : phases) p = phase(rng);
  std::vector<float> x(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    const float t = static_cast<float>(i) / static_cast<float>(sample_rate_hz);
    const float wander = 1.0f + 0.2f * std::sin(kTwoPi * 0.3f * t);
    float v = 0.0f;
    for (int h = 0; h < 8; ++h) {
      const float f = fundamental_hz * float(h + 1);
      if (f < 0.45f * float(sample_rate_hz)) v += std::sin(kTwoPi * f * t + phases[h]) / float(h + 1);
    }
    x[i] = wander * v;
  }
  normalize_rms(x);
  return x;
}

std::vector<float> fan_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed) {
  auto x = gaussian(samples, seed);
  const float cutoff_hz = 600.0f + float(seed % 7) * 150.0f;
  const float a = std::exp(-kTwoPi * cutoff_hz / float(sample_rate_hz));
  const float blade_hz = 90.0f + float(seed % 5) * 20.0f;
  float lp1 = 0.0f, lp2 = 0.0f;
  for (std::size_t i = 0; i < samples; ++i) {
    const float t = static_cast<float>(i) / static_cast<float>(sample_rate_hz);
    lp1 = a * lp1 + (1.0f - a) * x[i];
    lp2 = a * lp2 + (1.0f - a) * lp1;
    x[i] = lp2 * (1.0f + 0.15f * std::sin(kTwoPi * 0.7f * t)) + 0.02f * std::sin(kTwoPi * blade_hz * t);
  }
  normalize_rms(x);
  return x;
}

std::vector<float> keyboard_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> gap_s(0.06f, 0.2f);
  std::uniform_real_distribution<float> level(0.3f, 1.0f);
  std::normal_distribution<float> white(0.0f, 1.0f);
  std::vector<float> x(samples);
  for (auto& v : x) v = 0.01f * white(rng);  // room tone between keystrokes
  const auto click_len = static_cast<std::size_t>(0.012f * float(sample_rate_hz));
  const float decay = std::exp(-1.0f / (0.002f * float(sample_rate_hz)));
  std::size_t at = 0;
  while (true) {
    at += static_cast<std::size_t>(gap_s(rng) * float(sample_rate_hz));
    if (at >= samples) break;
    float env = level(rng), hp_prev = 0.0f;
    for (std::size_t i = 0; i < click_len && at + i < samples; ++i) {
      const float w = white(rng);
      x[at + i] += env * (w - hp_prev);  // first difference: a bright, clicky spectrum
      hp_prev = w;
      env *= decay;
    }
  }
  normalize_rms(x);
  return x;
}

}  // namespace hush::audio
