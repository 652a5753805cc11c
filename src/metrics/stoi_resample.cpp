// Why STOI does not use hush::audio::resample (libsoxr): pystoi resamples with a port of
// Octave's resample(). Below 4.6 kHz the two agree to -67 dB, but Octave's filter stays flat to
// ~4.75 kHz (-1.6 dB at 4.9 kHz) where soxr's HQ filter is already at -34 dB, so on speech the
// outputs differ at -29.5 dB. The silence mask uses full-band frame energies on a hard 40 dB
// threshold, so that difference flips frames in or out, which shifts every later segment:
// STOI/ESTOI moved by up to 0.0011 on tests/quality/test_stoi_reference.cpp, over half the
// +-0.002 promised. With the Octave filter replicated, all six reference values agree to 5e-5.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <numbers>
#include <vector>

#include "metrics/stoi_internal.h"
#include "util/error.h"

namespace hush::metrics::detail {
namespace {

double sinc(double x) {
  if (x == 0.0) return 1.0;
  const double px = std::numbers::pi * x;
  return std::sin(px) / px;
}

// Modified Bessel function I0 by its power series: for the Kaiser window's arguments (<= 5.7)
// it converges to double precision in about 20 terms and is faster than std::cyl_bessel_i,
// which matters for the multi-million-tap filters of awkward rates.
double bessel_i0(double x) {
  const double q = 0.25 * x * x;
  double term = 1.0;
  double sum = 1.0;
  for (int k = 1; k < 500 && term > 1e-17 * sum; ++k) {
    term *= q / (double(k) * double(k));
    sum += term;
  }
  return sum;
}

// Octave's resample() filter design, as ported to pystoi's _resample_window_oct: an ideal
// low-pass at the narrower Nyquist, roll-off a tenth of that, Kaiser window for 60 dB. The
// expressions keep pystoi's order of operations so that the length (a ceil) comes out the same.
std::vector<double> design_filter(std::int64_t up, std::int64_t down) {
  const double stopband_cutoff = 1.0 / (2.0 * double(std::max(up, down)));
  const double roll_off_width = stopband_cutoff / 10.0;
  const double rejection_db = -20.0 * -3.0;
  const auto half = static_cast<std::int64_t>(
      std::ceil((rejection_db - 8.0) / (28.714 * roll_off_width)));
  const double beta = 0.1102 * (rejection_db - 8.7);
  const double i0_beta = bessel_i0(beta);

  // Symmetric, so each Bessel evaluation (the slow part for long filters) serves two taps.
  std::vector<double> h(static_cast<std::size_t>(2 * half + 1));
  for (std::int64_t t = 0; t <= half; ++t) {
    const double ideal =
        2.0 * double(up) * stopband_cutoff * sinc(2.0 * stopband_cutoff * double(t));
    const double ratio = double(t) / double(half);
    const double kaiser =
        bessel_i0(beta * std::sqrt(std::max(0.0, 1.0 - ratio * ratio))) / i0_beta;
    h[half + t] = kaiser * ideal;
    h[half - t] = kaiser * ideal;
  }
  // Unit sum as in pystoi; resample_poly then multiplies by `up` to make up for the zeros it
  // stuffs between input samples.
  double sum = 0.0;
  for (double v : h) sum += v;
  for (double& v : h) v = v / sum * double(up);
  return h;
}

}  // namespace

StoiResampler::StoiResampler(int sample_rate_hz) {
  if (sample_rate_hz < 1000 || sample_rate_hz > 192000) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "STOI: sample rate must be within 1000..192000 Hz");
  }
  if (sample_rate_hz == kStoiRateHz) return;
  const std::int64_t g = std::gcd(std::int64_t{kStoiRateHz}, std::int64_t{sample_rate_hz});
  up_ = kStoiRateHz / g;
  down_ = sample_rate_hz / g;
  filter_ = design_filter(up_, down_);
}

std::vector<double> StoiResampler::operator()(std::span<const double> signal) const {
  if (filter_.empty()) return {signal.begin(), signal.end()};
  const auto half = static_cast<std::int64_t>(filter_.size() - 1) / 2;
  const std::int64_t up = up_;
  const std::int64_t down = down_;

  // resample_poly centres the filter on each output sample: y[m] = sum_i h[half + m*down - i*up]
  // x[i], with zeros outside the signal ("constant" padding).
  const auto n = static_cast<std::int64_t>(signal.size());
  const std::int64_t n_out = (n * up + down - 1) / down;
  std::vector<double> out(static_cast<std::size_t>(n_out));
  for (std::int64_t m = 0; m < n_out; ++m) {
    const std::int64_t centre = m * down + half;  // filter index for input i is centre - i*up
    const std::int64_t lowest = centre - 2 * half;  // inputs need i*up >= this
    const std::int64_t i_first = lowest <= 0 ? 0 : (lowest + up - 1) / up;
    const std::int64_t i_last = std::min(n - 1, centre / up);
    double acc = 0.0;
    for (std::int64_t i = i_first; i <= i_last; ++i) acc += filter_[centre - i * up] * signal[i];
    out[m] = acc;
  }
  return out;
}

}  // namespace hush::metrics::detail
