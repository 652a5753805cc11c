// Sample-rate conversion with libsoxr (high quality, linear phase).
#pragma once

#include <span>
#include <vector>

namespace hush::audio {

// Resamples interleaved audio with `channels` channels. Returns the input copied when the
// rates are equal. Output length is round(frames * out_rate / in_rate) frames.
std::vector<float> resample(std::span<const float> interleaved, int channels, int in_rate_hz,
                            int out_rate_hz);

}  // namespace hush::audio
