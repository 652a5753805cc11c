#include "meeting/speaker_windows.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace hush::meeting {

std::vector<SpeakerWindow> speaker_windows(const FrameFeatures& f, std::span<const std::uint8_t> speech,
                                           double window_s, double hop_s) {
  if (speech.size() != static_cast<std::size_t>(f.frames))
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker_windows: the speech mask must have one value per frame");
  if (!(window_s > 0.0) || !(hop_s > 0.0) || hop_s > window_s)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker_windows: need 0 < hop <= window");
  const int length = std::max(1, static_cast<int>(std::lround(window_s / kFrameHopS)));
  const int hop = std::max(1, static_cast<int>(std::lround(hop_s / kFrameHopS)));
  std::vector<SpeakerWindow> out;
  for (int a = 0; a < f.frames;) {
    if (!speech[a]) {
      ++a;
      continue;
    }
    int b = a;
    while (b < f.frames && speech[b]) ++b;
    std::vector<int> starts;
    if (b - a <= length) {
      starts.push_back(a);
    } else {
      for (int s = a; s + length < b; s += hop) starts.push_back(s);
      starts.push_back(b - length);
    }
    const std::size_t first_new = out.size();
    for (const int s : starts) {
      SpeakerWindow w;
      w.first_frame = s;
      w.last_frame = std::min(b, s + length);
      w.stats.resize(kStatsDims);
      window_stats(f, w.first_frame, w.last_frame, speech, w.stats);
      out.push_back(std::move(w));
    }
    // Ownership: split between neighbouring windows at the midpoint of their centres.
    for (std::size_t i = first_new; i < out.size(); ++i) {
      const auto centre2 = [&](std::size_t k) { return out[k].first_frame + out[k].last_frame; };
      out[i].own_first = i == first_new ? a : (centre2(i - 1) + centre2(i)) / 4;
      out[i].own_last = i + 1 == out.size() ? b : (centre2(i) + centre2(i + 1)) / 4;
    }
    a = b;
  }
  return out;
}

}  // namespace hush::meeting
