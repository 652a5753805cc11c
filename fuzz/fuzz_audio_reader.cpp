// Feeds arbitrary bytes to the in-memory audio reader: anything may be rejected with
// hush::Error, but nothing may crash, leak, hang or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "audio/audio_file.h"
#include "audio/ogg_crc.h"
#include "util/error.h"

namespace {

// Small enough that 32 channels of it stay far below libFuzzer's 2 GB RSS limit, large enough
// that a few KB of FLAC or Opus can still decode to completion.
constexpr std::int64_t kFuzzMaxFrames = std::int64_t{1} << 21;

// Recomputes the checksum of every complete Ogg page. Without this nearly every mutation of an
// Ogg input breaks a CRC, libogg drops the page, and the Vorbis/Opus decoders behind it are
// never reached with anything but the seeds.
void fix_ogg_checksums(std::uint8_t* data, std::size_t size) {
  std::size_t pos = 0;
  while (pos + 27 <= size && std::memcmp(data + pos, "OggS", 4) == 0) {
    const std::size_t segments = data[pos + 26];
    if (pos + 27 + segments > size) return;
    std::size_t body = 0;
    for (std::size_t i = 0; i < segments; ++i) body += data[pos + 27 + i];
    const std::size_t page_size = 27 + segments + body;
    if (pos + page_size > size) return;
    std::memset(data + pos + 22, 0, 4);
    const std::uint32_t crc = hush::audio::ogg_crc_update(0, data + pos, page_size);
    for (int i = 0; i < 4; ++i) data[pos + 22 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    pos += page_size;
  }
}

}  // namespace

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  const std::size_t new_size = LLVMFuzzerMutate(data, size, max_size);
  // Keep a share of broken checksums so the reader's own CRC rejection stays exercised.
  if (seed % 4 != 0) fix_ogg_checksums(data, new_size);
  return new_size;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const hush::audio::AudioBuffer audio =
        hush::audio::read_audio_memory(std::span(data, size), "<fuzz>", kFuzzMaxFrames);
    // The promises read_audio_memory makes about what it returns.
    for (const float v : audio.samples) {
      if (!(v >= -1.0f && v <= 1.0f)) __builtin_trap();
    }
    if (audio.frames() == 0 || audio.channels < 1 || audio.channels > 32) __builtin_trap();
    if (audio.sample_rate_hz < hush::audio::kMinFileRateHz ||
        audio.sample_rate_hz > hush::audio::kMaxFileRateHz) {
      __builtin_trap();
    }
  } catch (const hush::Error&) {
    // Rejecting bad input is the expected outcome for most inputs.
  }
  return 0;
}
