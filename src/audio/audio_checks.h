// Checks every reader applies, and the one-line error messages they produce.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "hush.h"

namespace hush::audio {

// Throws hush::Error(code, "<name>: <what>"), with `what` flattened to one line.
[[noreturn]] void fail(hush_error code, const std::string& name, const std::string& what);

// HUSH_ERR_FORMAT unless kMinFileRateHz <= rate <= kMaxFileRateHz and 1 <= channels <= 32.
void check_layout(const std::string& name, std::int64_t sample_rate_hz, std::int64_t channels);

// HUSH_ERR_FORMAT "too long" when frames > max_frames.
void check_length(const std::string& name, std::int64_t frames, std::int64_t max_frames);

// Clamps to [-1, 1] and maps NaN to 0: float codecs overshoot, and a corrupt float WAV can
// hold anything, but everything downstream relies on the AudioBuffer range.
void sanitize_samples(std::span<float> samples);

inline constexpr int kMaxChannels = 32;

}  // namespace hush::audio
