// Feeds arbitrary bytes to the in-memory audio reader: anything may be rejected with
// hush::Error, but nothing may crash, leak, hang or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <span>

#include "audio/audio_file.h"
#include "util/error.h"

namespace {
// Small enough that 32 channels of it stay far below libFuzzer's 2 GB RSS limit, large enough
// that a few KB of FLAC or Opus can still decode to completion.
constexpr std::int64_t kFuzzMaxFrames = std::int64_t{1} << 21;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const hush::audio::AudioBuffer audio =
        hush::audio::read_audio_memory(std::span(data, size), "<fuzz>", kFuzzMaxFrames);
    // Touch every sample so that a decoder handing back uninitialised memory shows up in MSan
    // builds, and check the promises the readers make.
    float sum = 0;
    for (const float v : audio.samples) {
      if (!(v >= -1.0f && v <= 1.0f)) __builtin_trap();
      sum += v;
    }
    if (audio.frames() == 0 || audio.channels < 1 || audio.channels > 32) __builtin_trap();
    if (audio.sample_rate_hz < hush::audio::kMinFileRateHz ||
        audio.sample_rate_hz > hush::audio::kMaxFileRateHz) {
      __builtin_trap();
    }
    static_cast<void>(sum);
  } catch (const hush::Error&) {
    // Rejecting bad input is the expected outcome for most inputs.
  }
  return 0;
}
