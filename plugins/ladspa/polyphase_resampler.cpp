#include "polyphase_resampler.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace hush::ladspa {
namespace {

// Filter design, relative to the lower of the two Nyquist frequencies: flat to 0.84 of it,
// 80 dB down from Nyquist on, so nothing folds back into the band the denoiser works in.
constexpr double kPassEdge = 0.84;
constexpr double kStopEdge = 1.0;
constexpr double kStopbandDb = 80.0;
// Phases finer than this are interpolated linearly between table rows (rates with a huge
// reduced ratio, e.g. 22051 Hz); the error is far below the stopband.
constexpr int kMaxTableRows = 1024;

double bessel_i0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 64 && term > 1e-12 * sum; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
  }
  return sum;
}

double sinc(double x) {
  if (std::fabs(x) < 1e-12) return 1.0;
  const double px = std::numbers::pi * x;
  return std::sin(px) / px;
}

}  // namespace

ResampleClock::ResampleClock(int in_rate_hz, int out_rate_hz) {
  const int g = std::gcd(in_rate_hz, out_rate_hz);
  out_step_ = out_rate_hz / g;
  in_step_ = in_rate_hz / g;
}

int ResampleClock::advance() {
  int n = 0;
  for (; output_due(); next_output()) ++n;
  next_input();
  return n;
}

PolyphaseResampler::PolyphaseResampler(int in_rate_hz, int out_rate_hz)
    : clock_(in_rate_hz, out_rate_hz) {
  // Band edges in cycles per input sample.
  const double nyquist = 0.5 * std::min(1.0, double(out_rate_hz) / in_rate_hz);
  const double transition = (kStopEdge - kPassEdge) * nyquist;
  const double cutoff = 0.5 * (kPassEdge + kStopEdge) * nyquist;
  // Kaiser's estimates of the window shape and length for this stopband and transition.
  const double beta = 0.1102 * (kStopbandDb - 8.7);
  const int length =
      int(std::ceil((kStopbandDb - 8.0) / (2.285 * 2.0 * std::numbers::pi * transition)));
  taps_ = length + (length % 2);
  const double half = taps_ / 2.0;

  exact_rows_ = clock_.out_step() <= kMaxTableRows;
  rows_ = exact_rows_ ? int(clock_.out_step()) : kMaxTableRows;
  max_outputs_ = int((clock_.out_step() + clock_.in_step() - 1) / clock_.in_step());

  table_.assign(std::size_t(rows_ + 1) * taps_, 0.0f);
  std::vector<double> row(taps_);
  const double i0_beta = bessel_i0(beta);
  for (int r = 0; r <= rows_; ++r) {
    const double frac = double(r) / rows_;  // output time past the newest input sample
    double sum = 0.0;
    for (int j = 0; j < taps_; ++j) {       // j: how many samples older than the newest
      const double t = frac + j - half;
      const double u = t / half;
      const double window = std::fabs(u) < 1.0 ? bessel_i0(beta * std::sqrt(1.0 - u * u)) / i0_beta : 0.0;
      row[j] = 2.0 * cutoff * sinc(2.0 * cutoff * t) * window;
      sum += row[j];
    }
    // Unity gain at DC for every phase, so a constant stays exactly constant.
    float* dst = &table_[std::size_t(r) * taps_];
    for (int j = 0; j < taps_; ++j) dst[taps_ - 1 - j] = float(row[j] / sum);
  }
  history_.assign(std::size_t(2) * taps_, 0.0f);
}

float PolyphaseResampler::dot(const float* row) const {
  const float* window = &history_[std::size_t(write_)];  // oldest first
  float acc = 0.0f;
  for (int k = 0; k < taps_; ++k) acc += row[k] * window[k];
  return acc;
}

int PolyphaseResampler::push(float x, float* out) {
  history_[std::size_t(write_)] = x;
  history_[std::size_t(write_ + taps_)] = x;
  write_ = write_ + 1 == taps_ ? 0 : write_ + 1;
  int n = 0;
  for (; clock_.output_due(); clock_.next_output()) {
    const std::int64_t phase = clock_.phase();
    if (exact_rows_) {
      out[n++] = dot(&table_[std::size_t(phase) * taps_]);
    } else {
      const double position = double(phase) * rows_ / double(clock_.out_step());
      const int r = std::min(int(position), rows_ - 1);
      const float w = float(position - r);
      const float a = dot(&table_[std::size_t(r) * taps_]);
      const float b = dot(&table_[std::size_t(r + 1) * taps_]);
      out[n++] = a + w * (b - a);
    }
  }
  clock_.next_input();
  return n;
}

void PolyphaseResampler::reset() {
  std::fill(history_.begin(), history_.end(), 0.0f);
  write_ = 0;
  clock_.reset();
}

}  // namespace hush::ladspa
