#include "stream_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "polyphase_resampler.h"

namespace hush::ladspa {

int processing_rate_for(int host_rate_hz) {
  for (int rate : {8000, 16000, 32000, 44100, 48000}) {
    if (rate >= host_rate_hz) return rate;
  }
  return 48000;
}

StreamPlan plan_stream(const StreamPlanInput& in) {
  const bool resampled = in.host_rate_hz != in.processing_rate_hz;
  const std::int64_t frame = in.frame_size;

  // One period: the down clock returns to phase 0 every host/g input samples (processing/g
  // outputs); the framing and the up clock return to their start once the processing-rate
  // count is also a multiple of the frame size. At native rates that is one frame.
  std::int64_t period = frame;
  if (resampled) {
    const std::int64_t g = std::gcd(in.host_rate_hz, in.processing_rate_hz);
    const std::int64_t host_step = in.host_rate_hz / g;
    const std::int64_t proc_step = in.processing_rate_hz / g;
    period = std::lcm(proc_step, frame) / proc_step * host_step;
  }

  ResampleClock down(in.host_rate_hz, in.processing_rate_hz);
  ResampleClock up(in.processing_rate_hz, in.host_rate_hz);
  std::int64_t level = 0, lowest = 0, highest = 0, fill = 0;
  for (std::int64_t t = 0; t < period; ++t) {
    const int mid = resampled ? down.advance() : 1;
    for (int m = 0; m < mid; ++m) {
      if (++fill < frame) continue;
      fill = 0;
      if (resampled) {
        for (std::int64_t s = 0; s < frame; ++s) level += up.advance();
      } else {
        level += frame;
      }
      highest = std::max(highest, level);
    }
    --level;  // the host takes one sample
    lowest = std::min(lowest, level);
  }

  StreamPlan plan;
  plan.prefill = std::size_t(-lowest);
  plan.ring_capacity = std::size_t(-lowest + highest);
  const double ratio = double(in.host_rate_hz) / in.processing_rate_hz;
  plan.exact_latency_samples =
      double(plan.prefill) +
      (resampled ? in.down_taps / 2.0 + (in.processor_latency + in.up_taps / 2.0) * ratio
                 : double(in.processor_latency));
  plan.latency_samples = int(std::lround(plan.exact_latency_samples));
  return plan;
}

}  // namespace hush::ladspa
