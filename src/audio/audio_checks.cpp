#include "audio/audio_checks.h"

#include <algorithm>

#include "audio/audio_file.h"
#include "util/error.h"

namespace hush::audio {

void fail(hush_error code, const std::string& name, const std::string& what) {
  std::string line = name + ": " + what;
  // Library messages sometimes end in a newline or a period-newline; callers print one line.
  std::replace_if(
      line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  while (!line.empty() && (line.back() == ' ' || line.back() == '.')) line.pop_back();
  throw Error(code, line);
}

void check_layout(const std::string& name, std::int64_t sample_rate_hz, std::int64_t channels) {
  if (sample_rate_hz < kMinFileRateHz || sample_rate_hz > kMaxFileRateHz) {
    fail(HUSH_ERR_FORMAT, name, "absurd sample rate " + std::to_string(sample_rate_hz) + " Hz");
  }
  if (channels < 1 || channels > kMaxChannels) {
    fail(HUSH_ERR_FORMAT, name, "absurd channel count " + std::to_string(channels));
  }
}

void check_length(const std::string& name, std::int64_t frames, std::int64_t max_frames) {
  if (frames > max_frames) {
    fail(HUSH_ERR_FORMAT, name, "too long (more than " + std::to_string(max_frames) + " frames)");
  }
}

void sanitize_samples(std::span<float> samples) {
  for (float& v : samples) v = v == v ? std::clamp(v, -1.0f, 1.0f) : 0.0f;
}

}  // namespace hush::audio
