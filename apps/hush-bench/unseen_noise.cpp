#include "apps/hush-bench/unseen_noise.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "audio/noise_synth.h"
#include "util/error.h"

namespace hush::bench {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// RBJ cookbook band-pass (0 dB peak), run in place. Hand-written: six lines, and Hush's own
// filters live in the real-time engine, not in a reusable form.
void band_pass(std::vector<float>& x, double centre_hz, double q, int rate_hz) {
  const double w = kTwoPi * centre_hz / rate_hz, alpha = std::sin(w) / (2.0 * q), a0 = 1.0 + alpha;
  const double b0 = alpha / a0, b2 = -alpha / a0, a1 = -2.0 * std::cos(w) / a0, a2 = (1.0 - alpha) / a0;
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (auto& v : x) {
    const double y = b0 * v + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1, x1 = v, y2 = y1, y1 = y;
    v = static_cast<float>(y);
  }
}

std::vector<float> white(std::size_t n, std::mt19937& rng) {
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> x(n);
  for (auto& v : x) v = dist(rng);
  return x;
}

void add_scaled(std::vector<float>& to, std::vector<float> x, float rms) {
  audio::normalize_rms(x);
  for (std::size_t i = 0; i < to.size(); ++i) to[i] += rms * x[i];
}

std::vector<float> unit(std::vector<float> x) {
  audio::normalize_rms(x);
  return x;
}

}  // namespace

std::vector<float> siren_noise(std::size_t n, int rate_hz, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const double period_s = std::uniform_real_distribution<double>(2.5, 4.0)(rng);
  std::vector<float> x(n);
  double phase = std::uniform_real_distribution<double>(0.0, kTwoPi)(rng);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / rate_hz;
    const double f_hz = 650.0 + 800.0 * (0.5 - 0.5 * std::cos(kTwoPi * t / period_s));
    phase += kTwoPi * f_hz / rate_hz;
    const double swell = 0.6 + 0.4 * std::sin(kTwoPi * t / 9.0);  // the vehicle approaching
    x[i] = static_cast<float>(swell * (std::sin(phase) + 0.5 * std::sin(2 * phase) + 0.25 * std::sin(3 * phase)));
  }
  add_scaled(x, audio::pink_noise(n, seed + 1), 0.1f);
  return unit(std::move(x));
}

std::vector<float> ringing_noise(std::size_t n, int rate_hz, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const double ring_start_s = std::uniform_real_distribution<double>(0.0, 2.0)(rng);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / rate_hz;
    const double ring_t = t + ring_start_s;
    const bool ringing = std::fmod(ring_t, 2.0) < 1.0;
    const double ring = ringing ? std::sin(kTwoPi * 440 * t) + std::sin(kTwoPi * 480 * t) : 0.0;
    // Four 100 ms beeps, then 0.6 s of quiet; a square-ish 3 kHz tone with its third harmonic.
    const double cycle = std::fmod(t, 1.4);
    const bool beeping = cycle < 0.8 && std::fmod(cycle, 0.2) < 0.1;
    const double third = 2 * 9000 < rate_hz ? std::sin(kTwoPi * 9000 * t) / 3.0 : 0.0;  // no aliasing
    const double beep = beeping ? std::sin(kTwoPi * 3000 * t) + third : 0.0;
    x[i] = static_cast<float>(ring + 0.5 * beep);
  }
  return unit(std::move(x));
}

std::vector<float> vacuum_noise(std::size_t n, int rate_hz, std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto roar = white(n, rng);
  band_pass(roar, 1500.0, 0.8, rate_hz);
  std::vector<float> x(n, 0.0f);
  add_scaled(x, std::move(roar), 1.0f);
  add_scaled(x, audio::pink_noise(n, seed + 1), 0.5f);
  const double f0_hz = std::uniform_real_distribution<double>(280.0, 420.0)(rng);
  std::vector<float> whine(n);
  double phase = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / rate_hz;
    phase += kTwoPi * f0_hz * (1.0 + 0.03 * std::sin(kTwoPi * t / 3.0)) / rate_hz;
    double v = 0.0;
    for (int k = 1; k <= 8; ++k) v += std::sin(k * phase) / k;
    whine[i] = static_cast<float>(v);
  }
  add_scaled(x, std::move(whine), 0.4f);
  return unit(std::move(x));
}

std::vector<float> traffic_noise(std::size_t n, int rate_hz, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> x(n, 0.0f);
  add_scaled(x, audio::brown_noise(n, seed + 1), 0.5f);
  auto hiss = white(n, rng);
  band_pass(hiss, 1200.0, 0.5, rate_hz);
  audio::normalize_rms(hiss);
  std::uniform_real_distribution<double> gap_s(2.0, 5.0), width_s(0.6, 1.2), engine_hz(60.0, 120.0);
  for (double pass_s = std::uniform_real_distribution<double>(0.0, 2.0)(rng); pass_s < double(n) / rate_hz + 2.0;
       pass_s += gap_s(rng)) {
    const double width = width_s(rng), f_hz = engine_hz(rng);
    double phase = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double dt = double(i) / rate_hz - pass_s;
      if (std::fabs(dt) > 4.0 * width) continue;
      const double envelope = std::exp(-0.5 * (dt / width) * (dt / width));
      phase += kTwoPi * f_hz * (dt < 0 ? 1.06 : 0.94) / rate_hz;  // pitch drops as it passes
      const double engine = std::sin(phase) + 0.6 * std::sin(2 * phase) + 0.3 * std::sin(3 * phase);
      x[i] += static_cast<float>(envelope * (1.5 * hiss[i] + 0.8 * engine));
    }
  }
  return unit(std::move(x));
}

std::vector<float> blender_noise(std::size_t n, int rate_hz, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const double f0_hz = std::uniform_real_distribution<double>(150.0, 250.0)(rng);
  std::uniform_real_distribution<double> on_s(0.5, 1.5), off_s(0.3, 1.0);
  auto grind = white(n, rng);
  band_pass(grind, 3000.0, 0.7, rate_hz);
  audio::normalize_rms(grind);
  std::vector<float> x(n, 0.0f);
  double phase = 0.0, level = 0.0;
  std::size_t i = 0;
  bool on = true;
  while (i < n) {
    const auto stretch = static_cast<std::size_t>((on ? on_s(rng) : off_s(rng)) * rate_hz);
    for (std::size_t end = std::min(n, i + stretch); i < end; ++i) {
      level += ((on ? 1.0 : 0.0) - level) * (on ? 0.0005 : 0.0002);  // spin-up and spin-down
      phase += kTwoPi * f0_hz * (0.7 + 0.3 * level) / rate_hz;
      double motor = 0.0;
      for (int k = 1; k <= 20; ++k) motor += std::sin(k * phase) / std::pow(k, 0.7);
      x[i] = static_cast<float>(level * (0.3 * motor + 0.8 * grind[i]));
    }
    on = !on;
  }
  return unit(std::move(x));
}

std::vector<float> hammering_noise(std::size_t n, int rate_hz, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> gap_s(0.25, 0.9), pause_s(0.8, 2.0), f_hz(150.0, 900.0),
      decay_s(0.03, 0.08), level(0.5, 1.0);
  std::uniform_int_distribution<int> group(2, 6);
  std::normal_distribution<double> click(0.0, 1.0);
  std::vector<float> x(n, 0.0f);
  add_scaled(x, audio::pink_noise(n, seed + 1), 0.01f);
  double t_s = std::uniform_real_distribution<double>(0.0, 0.5)(rng);
  while (t_s < double(n) / rate_hz) {
    for (int k = group(rng); k > 0; --k, t_s += gap_s(rng)) {
      const double f = f_hz(rng), decay = decay_s(rng), a = level(rng);
      const auto start = static_cast<std::size_t>(t_s * rate_hz);
      for (std::size_t i = start; i < std::min(n, start + std::size_t(6 * decay * rate_hz)); ++i) {
        const double dt = double(i - start) / rate_hz;
        const double transient = dt < 0.003 ? click(rng) : 0.0;
        x[i] += static_cast<float>(a * (std::exp(-dt / decay) * std::sin(kTwoPi * f * dt) + 0.7 * transient));
      }
    }
    t_s += pause_s(rng);
  }
  return unit(std::move(x));
}

const std::vector<std::string>& unseen_noise_names() {
  static const std::vector<std::string> names = {"siren", "ringing", "vacuum", "traffic", "blender", "hammering"};
  return names;
}

std::vector<float> unseen_noise(const std::string& name, std::size_t n, int rate_hz, std::uint32_t seed) {
  if (name == "siren") return siren_noise(n, rate_hz, seed);
  if (name == "ringing") return ringing_noise(n, rate_hz, seed);
  if (name == "vacuum") return vacuum_noise(n, rate_hz, seed);
  if (name == "traffic") return traffic_noise(n, rate_hz, seed);
  if (name == "blender") return blender_noise(n, rate_hz, seed);
  if (name == "hammering") return hammering_noise(n, rate_hz, seed);
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "unknown unseen noise kind: " + name);
}

}  // namespace hush::bench
