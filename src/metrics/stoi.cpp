// STOI (Taal et al. 2011) and ESTOI (Jensen & Taal 2016), following pystoi step for step so
// that scores agree with the numbers published with most enhancement papers.

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>
#include <numbers>
#include <vector>

#include "dsp/fft.h"
#include "metrics/metrics.h"
#include "metrics/stoi_internal.h"
#include "util/error.h"

namespace hush::metrics {
namespace detail {
namespace {

constexpr int kFrame = 256;            // 25.6 ms analysis window
constexpr int kHop = kFrame / 2;
constexpr int kFftSize = 512;          // frames are zero-padded to this
constexpr int kBands = 15;             // one-third octaves, 150 Hz .. ~4.3 kHz
constexpr double kLowestCentreHz = 150.0;
constexpr int kSegment = 30;           // frames per short-time segment (384 ms)
constexpr double kBetaDb = -15.0;      // lower signal-to-distortion bound for the clipping
constexpr double kDynamicRangeDb = 40.0;
// numpy's float64 eps: pystoi adds it to norms, and matching it keeps results identical for
// near-silent bands.
constexpr double kEps = std::numeric_limits<double>::epsilon();

using Envelope = std::vector<std::array<double, kBands>>;  // [frame][band] magnitudes

// MATLAB's hanning(N): the symmetric Hann window without its two zero end points.
std::array<double, kFrame> matlab_hann() {
  std::array<double, kFrame> w{};
  for (int i = 0; i < kFrame; ++i) {
    w[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * (i + 1) / (kFrame + 1));
  }
  return w;
}

// Frames start at 0, kHop, ... strictly below size - kFrame, so (as in pystoi) a frame that
// would end exactly at the last sample is not used.
std::size_t frame_count(std::size_t size) {
  if (size <= std::size_t{kFrame}) return 0;
  return (size - kFrame + kHop - 1) / kHop;
}

struct BandEdges {
  std::array<int, kBands> low{};   // first FFT bin of each band
  std::array<int, kBands> high{};  // one past the last
};

// Band edges snap to the nearest bin (first one on a tie, like numpy's argmin).
BandEdges third_octave_bands() {
  BandEdges edges;
  auto nearest_bin = [](double hz) {
    int best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (int k = 0; k <= kFftSize / 2; ++k) {
      const double f = double(kStoiRateHz) * k / kFftSize;
      const double d = (f - hz) * (f - hz);
      if (d < best_d) {
        best_d = d;
        best = k;
      }
    }
    return best;
  };
  for (int b = 0; b < kBands; ++b) {
    edges.low[b] = nearest_bin(kLowestCentreHz * std::pow(2.0, (2.0 * b - 1.0) / 6.0));
    edges.high[b] = nearest_bin(kLowestCentreHz * std::pow(2.0, (2.0 * b + 1.0) / 6.0));
  }
  return edges;
}

// Drops the frames where the clean signal is more than 40 dB below its loudest frame and
// overlap-adds the windowed frames that remain, for both signals with the clean signal's mask.
void remove_silent_frames(std::span<const double> x, std::span<const double> y,
                          std::vector<double>& x_out, std::vector<double>& y_out) {
  const auto w = matlab_hann();
  const std::size_t frames = frame_count(x.size());
  if (frames == 0) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "STOI: signal too short (under 30 frames of speech)");
  }
  std::vector<double> energy_db(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    double sum = 0.0;
    for (int i = 0; i < kFrame; ++i) {
      const double v = w[i] * x[f * kHop + i];
      sum += v * v;
    }
    energy_db[f] = 20.0 * std::log10(std::sqrt(sum) + kEps);
  }
  const double loudest = *std::max_element(energy_db.begin(), energy_db.end());

  x_out.clear();
  y_out.clear();
  std::size_t kept = 0;
  for (std::size_t f = 0; f < frames; ++f) {
    if (!(loudest - kDynamicRangeDb - energy_db[f] < 0.0)) continue;
    x_out.resize(kept * kHop + kFrame, 0.0);
    y_out.resize(kept * kHop + kFrame, 0.0);
    for (int i = 0; i < kFrame; ++i) {
      x_out[kept * kHop + i] += w[i] * x[f * kHop + i];
      y_out[kept * kHop + i] += w[i] * y[f * kHop + i];
    }
    ++kept;
  }
}

// One-third-octave band magnitudes of each STFT frame (Eq. 1 of Taal et al.).
Envelope band_envelope(std::span<const double> signal, const BandEdges& edges,
                       const dsp::RealFft& fft) {
  const auto w = matlab_hann();
  const std::size_t frames = frame_count(signal.size());
  Envelope env(frames);
  std::vector<float> time(kFftSize, 0.0f);
  std::vector<std::complex<float>> spectrum(fft.bins());
  std::vector<double> power(fft.bins());
  for (std::size_t f = 0; f < frames; ++f) {
    for (int i = 0; i < kFrame; ++i) time[i] = static_cast<float>(w[i] * signal[f * kHop + i]);
    // RealFft is single precision; its ~1e-7 relative error is far below the 1e-4 to which
    // the scores match pystoi, so a double FFT would buy nothing.
    fft.forward(time.data(), spectrum.data());
    for (int k = 0; k < fft.bins(); ++k) power[k] = std::norm(std::complex<double>(spectrum[k]));
    for (int b = 0; b < kBands; ++b) {
      double sum = 0.0;
      for (int k = edges.low[b]; k < edges.high[b]; ++k) sum += power[k];
      env[f][b] = std::sqrt(sum);
    }
  }
  return env;
}

using Segment = std::array<std::array<double, kSegment>, kBands>;  // [band][frame]

Segment segment_at(const Envelope& env, std::size_t first_frame) {
  Segment s{};
  for (int b = 0; b < kBands; ++b) {
    for (int t = 0; t < kSegment; ++t) s[b][t] = env[first_frame + t][b];
  }
  return s;
}

template <std::size_t N>
double norm(const std::array<double, N>& v) {
  double sum = 0.0;
  for (double x : v) sum += x * x;
  return std::sqrt(sum);
}

template <std::size_t N>
void remove_mean(std::array<double, N>& v) {
  double mean = 0.0;
  for (double x : v) mean += x;
  mean /= double(N);
  for (double& x : v) x -= mean;
}

// Sum over bands of the correlation between clean and normalised-and-clipped degraded envelopes.
double stoi_segment(Segment x, Segment y) {
  const double clip = std::pow(10.0, -kBetaDb / 20.0);
  double sum = 0.0;
  for (int b = 0; b < kBands; ++b) {
    auto& xb = x[b];
    auto& yb = y[b];
    const double scale = norm(xb) / (norm(yb) + kEps);
    for (int t = 0; t < kSegment; ++t) yb[t] = std::min(yb[t] * scale, xb[t] * (1.0 + clip));
    remove_mean(xb);
    remove_mean(yb);
    const double nx = norm(xb) + kEps;
    const double ny = norm(yb) + kEps;
    double dot = 0.0;
    for (int t = 0; t < kSegment; ++t) dot += (xb[t] / nx) * (yb[t] / ny);
    sum += dot;
  }
  return sum;
}

// Rows (bands over time) then columns (spectra) to zero mean and unit norm. pystoi dithers
// with eps-sized noise first so that a constant row divides by a tiny nonzero norm; leaving
// such a row at zero is deterministic and changes nothing for real signals.
void row_column_normalise(Segment& s) {
  for (auto& row : s) {
    remove_mean(row);
    const double n = norm(row);
    const double inv = n > 0.0 ? 1.0 / n : 0.0;
    for (double& v : row) v *= inv;
  }
  for (int t = 0; t < kSegment; ++t) {
    std::array<double, kBands> column{};
    for (int b = 0; b < kBands; ++b) column[b] = s[b][t];
    remove_mean(column);
    const double n = norm(column);
    const double inv = n > 0.0 ? 1.0 / n : 0.0;
    for (int b = 0; b < kBands; ++b) s[b][t] = column[b] * inv;
  }
}

double estoi_segment(Segment x, Segment y) {
  row_column_normalise(x);
  row_column_normalise(y);
  double sum = 0.0;
  for (int b = 0; b < kBands; ++b) {
    for (int t = 0; t < kSegment; ++t) sum += x[b][t] * y[b][t];
  }
  return sum / kSegment;
}

}  // namespace

double stoi_at_10k(std::span<const double> clean, std::span<const double> degraded,
                   bool extended) {
  const std::size_t n = std::min(clean.size(), degraded.size());
  std::vector<double> x;
  std::vector<double> y;
  remove_silent_frames(clean.first(n), degraded.first(n), x, y);

  const BandEdges edges = third_octave_bands();
  const dsp::RealFft fft(kFftSize);
  const Envelope x_env = band_envelope(x, edges, fft);
  const Envelope y_env = band_envelope(y, edges, fft);
  if (x_env.size() < std::size_t{kSegment}) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT,
                "STOI: signal too short (under 30 frames of speech after removing silence)");
  }

  const std::size_t segments = x_env.size() - kSegment + 1;
  double sum = 0.0;
  for (std::size_t m = 0; m < segments; ++m) {
    const Segment xs = segment_at(x_env, m);
    const Segment ys = segment_at(y_env, m);
    sum += extended ? estoi_segment(xs, ys) : stoi_segment(xs, ys) / kBands;
  }
  return sum / double(segments);
}

}  // namespace detail

double stoi(std::span<const float> clean, std::span<const float> degraded, int sample_rate_hz,
            bool extended) {
  const std::size_t n = std::min(clean.size(), degraded.size());
  std::vector<double> x(n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(clean[i]) || !std::isfinite(degraded[i])) {
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "STOI: signal contains NaN or infinity");
    }
    x[i] = clean[i];
    y[i] = degraded[i];
  }
  const detail::StoiResampler resample(sample_rate_hz);
  return detail::stoi_at_10k(resample(x), resample(y), extended);
}

}  // namespace hush::metrics
