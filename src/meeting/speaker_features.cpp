#include "meeting/speaker_features.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "dsp/fft.h"
#include "util/error.h"

namespace hush::meeting {
namespace {

constexpr int kFftSize = 512;
constexpr int kBins = kFftSize / 2 + 1;
constexpr double kMelLowHz = 20.0;
constexpr double kMelHighHz = 7600.0;
constexpr float kPreEmphasis = 0.97f;
constexpr double kPi = std::numbers::pi;

double hz_to_mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

// Triangular HTK-style mel filters, kMelBands x kBins.
std::vector<float> mel_filters() {
  std::vector<float> w(static_cast<std::size_t>(kMelBands) * kBins, 0.0f);
  const double lo = hz_to_mel(kMelLowHz), hi = hz_to_mel(kMelHighHz);
  std::vector<double> edges_hz(kMelBands + 2);
  for (int i = 0; i < kMelBands + 2; ++i) edges_hz[i] = mel_to_hz(lo + (hi - lo) * i / (kMelBands + 1));
  for (int b = 0; b < kMelBands; ++b) {
    for (int k = 0; k < kBins; ++k) {
      const double f = double(k) * kSpeakerRateHz / kFftSize;
      const double up = (f - edges_hz[b]) / (edges_hz[b + 1] - edges_hz[b]);
      const double down = (edges_hz[b + 2] - f) / (edges_hz[b + 2] - edges_hz[b + 1]);
      w[static_cast<std::size_t>(b) * kBins + k] = static_cast<float>(std::max(0.0, std::min(up, down)));
    }
  }
  return w;
}

// Orthonormal DCT-II rows 1..kCepstra of a kMelBands-point log spectrum.
std::vector<float> dct_rows() {
  std::vector<float> d(static_cast<std::size_t>(kCepstra) * kMelBands);
  for (int c = 0; c < kCepstra; ++c)
    for (int m = 0; m < kMelBands; ++m)
      d[static_cast<std::size_t>(c) * kMelBands + m] =
          static_cast<float>(std::sqrt(2.0 / kMelBands) * std::cos(kPi * (c + 1) * (m + 0.5) / kMelBands));
  return d;
}

}  // namespace

FrameFeatures compute_frame_features(std::span<const float> x) {
  static const std::vector<float> filters = mel_filters();
  static const std::vector<float> dct = dct_rows();
  FrameFeatures f;
  const std::size_t n = x.size();
  f.frames = static_cast<int>((n + kFrameHopSamples - 1) / kFrameHopSamples);
  f.cepstra.assign(static_cast<std::size_t>(f.frames) * kCepstra, 0.0f);
  f.deltas.assign(f.cepstra.size(), 0.0f);
  f.log_energy_db.assign(static_cast<std::size_t>(f.frames), -120.0f);
  if (f.frames == 0) return f;

  std::vector<float> window(kFrameWindowSamples);
  for (int i = 0; i < kFrameWindowSamples; ++i)
    window[i] = static_cast<float>(0.54 - 0.46 * std::cos(2.0 * kPi * i / (kFrameWindowSamples - 1)));
  dsp::RealFft fft(kFftSize);
  std::vector<float> frame(kFftSize, 0.0f);
  std::vector<std::complex<float>> spectrum(kBins);
  std::vector<float> power(kBins), log_mel(kMelBands);
  const auto sample = [&](long long i) -> float {
    if (i < 0 || i >= static_cast<long long>(n)) return 0.0f;
    const float v = x[static_cast<std::size_t>(i)];
    return std::isfinite(v) ? v : 0.0f;
  };
  for (int t = 0; t < f.frames; ++t) {
    const long long start = static_cast<long long>(t) * kFrameHopSamples + kFrameHopSamples / 2 - kFrameWindowSamples / 2;
    double energy = 0.0;
    for (int i = 0; i < kFrameWindowSamples; ++i) {
      const float s = sample(start + i);
      energy += double(s) * s;
      frame[i] = (s - kPreEmphasis * sample(start + i - 1)) * window[i];
    }
    std::fill(frame.begin() + kFrameWindowSamples, frame.end(), 0.0f);
    f.log_energy_db[t] = static_cast<float>(10.0 * std::log10(energy / kFrameWindowSamples + 1e-12));
    fft.forward(frame.data(), spectrum.data());
    for (int k = 0; k < kBins; ++k) power[k] = std::norm(spectrum[k]);
    for (int b = 0; b < kMelBands; ++b) {
      const float* w = &filters[static_cast<std::size_t>(b) * kBins];
      double e = 0.0;
      for (int k = 0; k < kBins; ++k) e += double(w[k]) * power[k];
      log_mel[b] = static_cast<float>(std::log(e + 1e-8));
    }
    float* c = &f.cepstra[static_cast<std::size_t>(t) * kCepstra];
    for (int k = 0; k < kCepstra; ++k) {
      const float* d = &dct[static_cast<std::size_t>(k) * kMelBands];
      double v = 0.0;
      for (int m = 0; m < kMelBands; ++m) v += double(d[m]) * log_mel[m];
      c[k] = static_cast<float>(v);
    }
  }
  // Deltas: the least-squares slope over +-2 frames (edges repeat the end frames).
  for (int t = 0; t < f.frames; ++t) {
    for (int k = 0; k < kCepstra; ++k) {
      double num = 0.0;
      for (int d = 1; d <= 2; ++d) {
        const int a = std::min(f.frames - 1, t + d), b = std::max(0, t - d);
        num += d * (double(f.cepstra[static_cast<std::size_t>(a) * kCepstra + k]) -
                    f.cepstra[static_cast<std::size_t>(b) * kCepstra + k]);
      }
      f.deltas[static_cast<std::size_t>(t) * kCepstra + k] = static_cast<float>(num / 10.0);
    }
  }
  return f;
}

int window_stats(const FrameFeatures& f, int first, int last, std::span<const std::uint8_t> use,
                 std::span<float> out) {
  if (out.size() != static_cast<std::size_t>(kStatsDims))
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "window_stats: output must hold kStatsDims values");
  first = std::clamp(first, 0, f.frames);
  last = std::clamp(last, first, f.frames);
  int marked = 0;
  for (int t = first; t < last; ++t) marked += (static_cast<std::size_t>(t) < use.size() && use[t]) ? 1 : 0;
  const bool all = marked < kMinStatsFrames;
  double sum[kCepstra] = {}, sum2[kCepstra] = {}, dsum[kCepstra] = {}, dsum2[kCepstra] = {};
  int count = 0;
  for (int t = first; t < last; ++t) {
    if (!all && !use[t]) continue;
    ++count;
    const float* c = &f.cepstra[static_cast<std::size_t>(t) * kCepstra];
    const float* d = &f.deltas[static_cast<std::size_t>(t) * kCepstra];
    for (int k = 0; k < kCepstra; ++k) {
      sum[k] += c[k];
      sum2[k] += double(c[k]) * c[k];
      dsum[k] += d[k];
      dsum2[k] += double(d[k]) * d[k];
    }
  }
  std::fill(out.begin(), out.end(), 0.0f);
  if (count == 0) return 0;
  for (int k = 0; k < kCepstra; ++k) {
    const double m = sum[k] / count, dm = dsum[k] / count;
    out[k] = static_cast<float>(m);
    out[kCepstra + k] = static_cast<float>(std::sqrt(std::max(0.0, sum2[k] / count - m * m)));
    out[2 * kCepstra + k] = static_cast<float>(std::sqrt(std::max(0.0, dsum2[k] / count - dm * dm)));
  }
  return count;
}

}  // namespace hush::meeting
