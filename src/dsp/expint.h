// Exponential integral E1(x) for the log-spectral-amplitude gain, x > 0.
// Abramowitz & Stegun 5.1.53 (x <= 1, |error| < 2e-7) and 5.1.56 (x > 1, relative error
// < 5e-5): closed forms, so the per-bin gain costs a few flops and no loop. Hand-written
// because no Debian C/C++ library offers a fast single-precision E1 (std::expint is double
// and series-based).
#pragma once

#include <cmath>

namespace hush::dsp {

inline float expint_e1(float x) {
  if (x <= 0.0f) x = 1e-10f;
  if (x <= 1.0f) {
    return -std::log(x) - 0.57721566f +
           x * (0.99999193f + x * (-0.24991055f + x * (0.05519968f +
                x * (-0.00976004f + x * 0.00107857f))));
  }
  const float num = x * x + 2.334733f * x + 0.250621f;
  const float den = x * x + 3.330657f * x + 1.681534f;
  return std::exp(-x) / x * (num / den);
}

}  // namespace hush::dsp
