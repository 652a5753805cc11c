// Reading and writing audio files: WAV/FLAC/Ogg Vorbis (libsndfile), Ogg Opus (libopusfile),
// raw PCM; writing WAV/FLAC atomically (temp file + rename, so a failure leaves nothing behind).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hush::audio {

// Interleaved float samples in [-1, 1] (readers clamp, and map NaN to 0, so this holds for
// float files too).
struct AudioBuffer {
  int sample_rate_hz = 0;
  int channels = 0;
  std::vector<float> samples;  // frames() * channels values, interleaved

  std::size_t frames() const { return channels > 0 ? samples.size() / channels : 0; }
  double duration_s() const { return sample_rate_hz > 0 ? double(frames()) / sample_rate_hz : 0.0; }
  std::vector<float> channel(int index) const;  // de-interleaved; throws if out of range
  std::vector<float> mono() const;              // the mean of the channels per frame
};

// What a file holds, without decoding all of it.
struct AudioInfo {
  std::string container;  // "WAV", "FLAC", "Ogg", "raw"
  std::string codec;      // "PCM 16-bit", "FLAC 24-bit", "Vorbis", "Opus", ...
  int sample_rate_hz = 0;
  int channels = 0;
  std::int64_t frames = 0;  // -1 when the container does not say
};

// Raw headerless PCM needs its layout spelled out.
enum class RawSampleFormat { s16le, s24le, s32le, f32le, u8 };
struct RawPcmFormat {
  int sample_rate_hz = 16000;
  int channels = 1;
  RawSampleFormat sample_format = RawSampleFormat::s16le;
};

// Highest/lowest sample rate Hush accepts from a file (anything else is "absurd").
inline constexpr int kMinFileRateHz = 8000;
inline constexpr int kMaxFileRateHz = 192000;
// Largest file Hush decodes into memory: 4 hours of 48 kHz stereo.
inline constexpr std::int64_t kMaxFileFrames = std::int64_t{4} * 3600 * 48000;

// Each throws hush::Error (HUSH_ERR_IO for missing/unreadable, HUSH_ERR_FORMAT for corrupt,
// truncated, empty, unsupported codec or absurd rate) with a one-line message naming the file.
// A file cut short decodes up to where it ends (unless its codec reports an error there). Ogg
// files must hold a single logical stream (chained or multiplexed ones are refused; see
// ogg_page.h), which means reading them through once to check.
AudioBuffer read_audio(const std::string& path);
// An out-of-range rate or channel count in `format` is HUSH_ERR_INVALID_ARGUMENT: the caller
// chose it, the file did not.
AudioBuffer read_raw_pcm(const std::string& path, const RawPcmFormat& format);
// In-memory bytes (for fuzzing and servers): `name` stands in for the path in messages, and
// `max_frames` lets a caller that decodes untrusted input bound the memory it may take.
AudioBuffer read_audio_memory(std::span<const std::uint8_t> bytes,
                              const std::string& name = "<memory>",
                              std::int64_t max_frames = kMaxFileFrames);
// Reads headers only (plus, for Ogg, the page scan above); fails like read_audio on bad or empty
// files but does not apply kMaxFileFrames, so `hush info` can still describe a long file.
AudioInfo probe_audio(const std::string& path);

// Output format from the extension: ".wav" (float32 or pcm16), ".flac" (24-bit).
enum class WavSampleFormat { pcm16, pcm24, float32 };
void write_audio(const std::string& path, const AudioBuffer& audio,
                 WavSampleFormat wav_format = WavSampleFormat::pcm16);

}  // namespace hush::audio
