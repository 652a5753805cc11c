// Pieces of STOI shared between src/metrics/*.cpp (not part of the metrics interface).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace hush::metrics::detail {

inline constexpr int kStoiRateHz = 10000;

// Resamples to 10 kHz exactly as pystoi's resample_oct does (Octave's resample: a Kaiser-windowed
// sinc FIR at 60 dB rejection applied as scipy.signal.resample_poly would). Output length is
// ceil(n * 10000 / rate). The filter is designed once per object because for rates sharing few
// factors with 10 kHz it is long (about 14 M taps at 191999 Hz).
class StoiResampler {
 public:
  // Throws for rates outside [1000, 192000] Hz.
  explicit StoiResampler(int sample_rate_hz);
  std::vector<double> operator()(std::span<const double> signal) const;

 private:
  std::int64_t up_ = 1;
  std::int64_t down_ = 1;
  std::vector<double> filter_;  // empty when the rate is already 10 kHz
};

// STOI/ESTOI of two equally long 10 kHz signals (the part of stoi() after resampling).
double stoi_at_10k(std::span<const double> clean, std::span<const double> degraded, bool extended);

}  // namespace hush::metrics::detail
