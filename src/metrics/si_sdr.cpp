#include <algorithm>
#include <cmath>
#include <cstddef>

#include "metrics/metrics.h"
#include "util/error.h"

namespace hush::metrics {
namespace {

// +-300 dB is far beyond anything float audio can resolve (~150 dB), so it reads as "perfect"
// or "nothing of the reference" without producing inf, which breaks averaging over a test set.
constexpr double kLimitDb = 300.0;

}  // namespace

double si_sdr_db(std::span<const float> reference, std::span<const float> estimate) {
  const std::size_t n = std::min(reference.size(), estimate.size());
  if (n == 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "SI-SDR: empty signal");

  double mean_r = 0.0;
  double mean_e = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(reference[i]) || !std::isfinite(estimate[i])) {
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "SI-SDR: signal contains NaN or infinity");
    }
    mean_r += reference[i];
    mean_e += estimate[i];
  }
  mean_r /= double(n);
  mean_e /= double(n);

  double rr = 0.0;
  double er = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = reference[i] - mean_r;
    rr += r * r;
    er += (estimate[i] - mean_e) * r;
  }
  if (!(rr > 0.0)) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "SI-SDR: reference is silent or constant");
  }

  // The residual is summed directly rather than as |e|^2 - |t|^2, which cancels catastrophically
  // for good estimates (exactly the range where SI-SDR is most often quoted).
  const double alpha = er / rr;
  double noise = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = (estimate[i] - mean_e) - alpha * (reference[i] - mean_r);
    noise += d * d;
  }
  const double target = alpha * alpha * rr;
  if (target == 0.0) return -kLimitDb;
  if (noise == 0.0) return kLimitDb;
  return std::clamp(10.0 * std::log10(target / noise), -kLimitDb, kLimitDb);
}

}  // namespace hush::metrics
