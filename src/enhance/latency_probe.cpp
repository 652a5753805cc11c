#include "enhance/latency_probe.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hush::enhance {

int measure_latency_samples(const std::function<void(const float* in, float* out)>& process, int frame_size) {
  // A click half a second in: WebRTC's AEC passes audio undelayed during its start-up phase.
  constexpr int kFrames = 60;
  const int click_at = 50 * frame_size + frame_size / 2;
  std::vector<float> in(static_cast<std::size_t>(kFrames * frame_size), 0.0f);
  std::vector<float> out(in.size(), 0.0f);
  in[static_cast<std::size_t>(click_at)] = 0.5f;
  for (int f = 0; f < kFrames; ++f) process(in.data() + f * frame_size, out.data() + f * frame_size);
  const auto peak = std::max_element(out.begin() + click_at, out.end(),
                                     [](float a, float b) { return std::fabs(a) < std::fabs(b); });
  return static_cast<int>(peak - out.begin()) - click_at;
}

}  // namespace hush::enhance
