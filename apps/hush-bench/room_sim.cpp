#include "room_sim.h"  // relative: tests/unit/test_room_sim.cpp compiles this file too

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "audio/noise_synth.h"
#include "dsp/fft.h"
#include "util/error.h"

namespace hush::bench::sim {
namespace {

constexpr double kSpeedOfSoundMPerS = 343.0;
constexpr double kWallMarginM = 0.3;
constexpr double kPi = std::numbers::pi;

// Image positions along one axis relative to the microphone, with their wall-reflection
// counts: x = 2nL + s reflects 2|n| times, x = 2nL - s reflects |2n - 1| times.
struct AxisImages {
  std::vector<double> offset_m;
  std::vector<int> reflections;
};

AxisImages axis_images(double room_m, double source_m, double mic_m, double max_dist_m) {
  AxisImages a;
  const int order = static_cast<int>(std::ceil(max_dist_m / (2.0 * room_m))) + 1;
  for (int n = -order; n <= order; ++n) {
    a.offset_m.push_back(2.0 * n * room_m + source_m - mic_m);
    a.reflections.push_back(std::abs(2 * n));
    a.offset_m.push_back(2.0 * n * room_m - source_m - mic_m);
    a.reflections.push_back(std::abs(2 * n - 1));
  }
  return a;
}

void check_inside(const Room& room, const Point& p, const char* what) {
  for (int d = 0; d < 3; ++d)
    if (!(p[d] > 0.0 && p[d] < room.size_m[d]))
      throw Error(HUSH_ERR_INVALID_ARGUMENT, std::string("image_source_rir: ") + what + " is outside the room");
}

}  // namespace

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * double(next() >> 11) * 0x1.0p-53; }

double Rng::gaussian() {
  const double u1 = (double(next() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]: log is finite
  const double u2 = double(next() >> 11) * 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
}

Room random_room(Rng& rng) {
  Room r;
  r.size_m = {rng.uniform(3.0, 8.0), rng.uniform(3.0, 8.0), rng.uniform(2.5, 3.5)};
  r.rt60_s = rng.uniform(0.2, 0.7);
  return r;
}

double distance_m(const Point& a, const Point& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

Point random_point(Rng& rng, const Room& room) {
  Point p;
  for (int d = 0; d < 3; ++d) p[d] = rng.uniform(kWallMarginM, room.size_m[d] - kWallMarginM);
  return p;
}

Point random_point_near(Rng& rng, const Room& room, const Point& anchor, double min_m, double max_m) {
  // A random direction at a random distance, retried until the point lands inside the room.
  for (int attempt = 0; attempt < 10000; ++attempt) {
    const double dist = rng.uniform(min_m, max_m);
    const Point dir{rng.gaussian(), rng.gaussian(), 0.3 * rng.gaussian()};  // people and laptops sit at similar heights
    const double norm = std::sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
    if (norm < 1e-9) continue;
    Point p;
    bool ok = true;
    for (int d = 0; d < 3; ++d) {
      p[d] = anchor[d] + dist * dir[d] / norm;
      ok = ok && p[d] > kWallMarginM && p[d] < room.size_m[d] - kWallMarginM;
    }
    if (ok) return p;
  }
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "random_point_near: no point at that distance fits in the room");
}

double rir_length_s(const Room& room) { return 1.2 * room.rt60_s + 0.05; }

std::vector<float> image_source_rir(const Room& room, const Point& source, const Point& mic, int rate_hz,
                                    double length_s) {
  if (rate_hz < 1000 || rate_hz > 192000 || !(length_s > 0.0 && length_s <= 4.0) || !(room.rt60_s > 0.0))
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "image_source_rir: bad rate, length or RT60");
  check_inside(room, source, "the source");
  check_inside(room, mic, "the microphone");
  const auto& L = room.size_m;
  const double volume = L[0] * L[1] * L[2];
  const double surface = 2.0 * (L[0] * L[1] + L[0] * L[2] + L[1] * L[2]);
  const double absorption = std::min(0.99, 0.161 * volume / (surface * room.rt60_s));  // Sabine
  const double beta = std::sqrt(1.0 - absorption);  // pressure reflection coefficient, all walls

  const auto n_samples = static_cast<std::size_t>(length_s * rate_hz);
  const double max_dist = length_s * kSpeedOfSoundMPerS;
  const AxisImages ax = axis_images(L[0], source[0], mic[0], max_dist);
  const AxisImages ay = axis_images(L[1], source[1], mic[1], max_dist);
  const AxisImages az = axis_images(L[2], source[2], mic[2], max_dist);
  int max_refl = 0;
  for (const AxisImages* a : {&ax, &ay, &az}) max_refl += *std::max_element(a->reflections.begin(), a->reflections.end());
  std::vector<double> beta_pow(std::size_t(max_refl) + 1, 1.0);
  for (std::size_t k = 1; k < beta_pow.size(); ++k) beta_pow[k] = beta_pow[k - 1] * beta;

  // 9-tap Hann-windowed sinc (window half-width 5) for the fractional part of each delay:
  // sin(pi (k - f)) = -(-1)^k sin(pi f), and the window's cosine comes from an angle sum, so
  // each image costs two sin/cos calls instead of eighteen.
  constexpr int kHalfTaps = 4;
  std::array<double, 2 * kHalfTaps + 1> cos_k{}, sin_k{};
  for (int k = -kHalfTaps; k <= kHalfTaps; ++k) {
    cos_k[std::size_t(k + kHalfTaps)] = std::cos(kPi * k / 5.0);
    sin_k[std::size_t(k + kHalfTaps)] = std::sin(kPi * k / 5.0);
  }
  std::vector<double> h(n_samples + 2 * kHalfTaps + 2, 0.0);
  const double max_dist2 = max_dist * max_dist;
  for (std::size_t i = 0; i < ax.offset_m.size(); ++i) {
    const double dx2 = ax.offset_m[i] * ax.offset_m[i];
    if (dx2 >= max_dist2) continue;
    for (std::size_t j = 0; j < ay.offset_m.size(); ++j) {
      const double dxy2 = dx2 + ay.offset_m[j] * ay.offset_m[j];
      if (dxy2 >= max_dist2) continue;
      for (std::size_t k = 0; k < az.offset_m.size(); ++k) {
        const double d2 = dxy2 + az.offset_m[k] * az.offset_m[k];
        if (d2 >= max_dist2) continue;
        const double d = std::sqrt(d2);
        const int refl = ax.reflections[i] + ay.reflections[j] + az.reflections[k];
        const double amp = beta_pow[std::size_t(refl)] / (4.0 * kPi * std::max(d, 0.05));
        const double delay = d / kSpeedOfSoundMPerS * rate_hz;
        const double whole = std::floor(delay);
        const double frac = delay - whole;
        const double sin_pf = std::sin(kPi * frac);
        const double cos_f5 = std::cos(kPi * frac / 5.0), sin_f5 = std::sin(kPi * frac / 5.0);
        for (int t = -kHalfTaps; t <= kHalfTaps; ++t) {
          const long long idx = static_cast<long long>(whole) + t;
          if (idx < 0 || idx >= static_cast<long long>(n_samples)) continue;
          const double x = t - frac;
          const double sinc = std::abs(x) < 1e-12 ? 1.0 : -((t & 1) ? -1.0 : 1.0) * sin_pf / (kPi * x);
          const std::size_t ti = std::size_t(t + kHalfTaps);
          const double window = 0.5 + 0.5 * (cos_k[ti] * cos_f5 + sin_k[ti] * sin_f5);  // cos(pi (t - f) / 5)
          h[std::size_t(idx)] += amp * sinc * window;
        }
      }
    }
  }
  h.resize(n_samples);
  double peak = 0.0;
  for (double v : h) peak = std::max(peak, std::abs(v));
  std::vector<float> out(n_samples);
  for (std::size_t i = 0; i < n_samples; ++i) out[i] = peak > 0 ? static_cast<float>(h[i] / peak) : 0.0f;
  return out;
}

std::vector<float> convolve(std::span<const float> x, std::span<const float> h) {
  std::vector<float> y(x.size(), 0.0f);
  if (x.empty() || h.empty()) return y;
  int size = 1024;
  while (std::size_t(size) < 2 * h.size()) size *= 2;
  const std::size_t block = std::size_t(size) - h.size() + 1;
  dsp::RealFft fft(size);
  std::vector<std::complex<float>> H(std::size_t(fft.bins())), X(H.size());
  std::vector<float> buf(std::size_t(size), 0.0f);
  std::copy(h.begin(), h.end(), buf.begin());
  fft.forward(buf.data(), H.data());
  for (std::size_t start = 0; start < x.size(); start += block) {
    const std::size_t n = std::min(block, x.size() - start);
    std::fill(buf.begin(), buf.end(), 0.0f);
    std::copy(x.begin() + std::ptrdiff_t(start), x.begin() + std::ptrdiff_t(start + n), buf.begin());
    fft.forward(buf.data(), X.data());
    for (std::size_t b = 0; b < X.size(); ++b) X[b] *= H[b];
    fft.inverse(X.data(), buf.data());
    const std::size_t m = std::min(std::size_t(size), x.size() - start);
    for (std::size_t i = 0; i < m; ++i) y[start + i] += buf[i];
  }
  return y;
}

std::vector<float> loudspeaker(std::span<const float> x, double drive, double highpass_hz, int rate_hz) {
  std::vector<float> y(x.begin(), x.end());
  if (drive > 0.0)
    for (auto& v : y) v = static_cast<float>(std::tanh(drive * v) / drive);
  if (highpass_hz > 0.0) {
    // RBJ cookbook high-pass, Q = 1/sqrt(2) (Butterworth), direct form I.
    const double w0 = 2.0 * kPi * highpass_hz / rate_hz, alpha = std::sin(w0) / std::numbers::sqrt2;
    const double c = std::cos(w0), a0 = 1.0 + alpha;
    const double b0 = (1.0 + c) / 2.0 / a0, b1 = -(1.0 + c) / a0, b2 = b0;
    const double a1 = -2.0 * c / a0, a2 = (1.0 - alpha) / a0;
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (auto& v : y) {
      const double in = v, out = b0 * in + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1, x1 = in, y2 = y1, y1 = out;
      v = static_cast<float>(out);
    }
  }
  return y;
}

double nonlinear_distortion_db(std::span<const float> x, std::span<const float> y) {
  const std::size_t n = std::min(x.size(), y.size());
  double xx = 0, xy = 0;
  for (std::size_t i = 0; i < n; ++i) xx += double(x[i]) * x[i], xy += double(x[i]) * y[i];
  if (xx <= 0) return -200.0;
  const double a = xy / xx;
  double lin = 0, err = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double l = a * x[i], e = y[i] - l;
    lin += l * l, err += e * e;
  }
  return err <= 0 ? -200.0 : 10.0 * std::log10(err / lin);
}

std::vector<float> delayed(std::span<const float> x, std::size_t samples) {
  std::vector<float> y(x.size(), 0.0f);
  for (std::size_t i = samples; i < x.size(); ++i) y[i] = x[i - samples];
  return y;
}

std::vector<float> drifted(std::span<const float> x, double ppm) {
  constexpr int kHalf = 16;
  std::array<double, 2 * kHalf> cos_k{}, sin_k{};
  for (int k = -kHalf + 1; k <= kHalf; ++k) {
    cos_k[std::size_t(k + kHalf - 1)] = std::cos(kPi * k / kHalf);
    sin_k[std::size_t(k + kHalf - 1)] = std::sin(kPi * k / kHalf);
  }
  const double ratio = 1.0 + ppm * 1e-6;
  std::vector<float> y(x.size(), 0.0f);
  const auto size = static_cast<long long>(x.size());
  for (std::size_t n = 0; n < x.size(); ++n) {
    const double t = double(n) * ratio;
    const double whole = std::floor(t), frac = t - whole;
    const auto i0 = static_cast<long long>(whole);
    if (i0 - kHalf >= size) break;
    const double sin_pf = std::sin(kPi * frac);
    const double cos_f = std::cos(kPi * frac / kHalf), sin_f = std::sin(kPi * frac / kHalf);
    double acc = 0.0;
    for (int k = -kHalf + 1; k <= kHalf; ++k) {
      const long long idx = i0 + k;
      if (idx < 0 || idx >= size) continue;
      const double u = k - frac;
      const double sinc = std::abs(u) < 1e-12 ? 1.0 : -((k & 1) ? -1.0 : 1.0) * sin_pf / (kPi * u);
      const std::size_t ki = std::size_t(k + kHalf - 1);
      const double window = 0.5 + 0.5 * (cos_k[ki] * cos_f + sin_k[ki] * sin_f);  // cos(pi (k - f) / 16)
      acc += x[std::size_t(idx)] * sinc * window;
    }
    y[n] = static_cast<float>(acc);
  }
  return y;
}

std::vector<float> mic_noise(std::size_t samples, double level_dbfs, Rng& rng) {
  std::vector<float> n = audio::pink_noise(samples, static_cast<std::uint32_t>(rng.next()));
  audio::normalize_rms(n);
  scale(n, std::pow(10.0, level_dbfs / 20.0));
  return n;
}

std::vector<double> frame_powers(std::span<const float> x, int rate_hz) {
  const std::size_t hop = std::size_t(rate_hz / 100);
  std::vector<double> p(x.size() / hop);
  for (std::size_t f = 0; f < p.size(); ++f) {
    double s = 0;
    for (std::size_t i = f * hop; i < (f + 1) * hop; ++i) s += double(x[i]) * x[i];
    p[f] = s / double(hop);
  }
  return p;
}

double active_level_dbfs(std::span<const float> x, int rate_hz) {
  std::vector<double> p = frame_powers(x, rate_hz);
  if (p.empty()) return -200.0;
  std::vector<double> sorted = p;
  std::sort(sorted.begin(), sorted.end());
  const double top = sorted[sorted.size() * 99 / 100];
  if (top <= 0) return -200.0;
  double sum = 0;
  std::size_t count = 0;
  for (double v : p)
    if (v >= top * 1e-3) sum += v, ++count;
  return 10.0 * std::log10(sum / double(count));
}

void scale(std::vector<float>& x, double gain) {
  for (auto& v : x) v = static_cast<float>(v * gain);
}

}  // namespace hush::bench::sim
