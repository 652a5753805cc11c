// Pieces of STOI shared between src/metrics/*.cpp (not part of the metrics interface).
#pragma once

#include <span>
#include <vector>

namespace hush::metrics::detail {

inline constexpr int kStoiRateHz = 10000;

// Resamples to 10 kHz exactly as pystoi's resample_oct does (Octave's resample: a Kaiser-windowed
// sinc FIR at 60 dB rejection applied as scipy.signal.resample_poly would). Output length is
// ceil(n * 10000 / rate). Throws for rates outside [1000, 192000] Hz.
std::vector<double> resample_to_stoi_rate(std::span<const double> signal, int sample_rate_hz);

// STOI/ESTOI of two equally long 10 kHz signals (the part of stoi() after resampling).
double stoi_at_10k(std::span<const double> clean, std::span<const double> degraded, bool extended);

}  // namespace hush::metrics::detail
