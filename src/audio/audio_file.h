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
  std::vector<float> channel(int index) const;  // one channel, de-interleaved; throws if out of range
};

// What a file holds, without decoding all of it.
struct AudioInfo {
  std::string container;  // "WAV", "FLAC", "Ogg", "raw"
  std::string codec;      // "PCM 16-bit", "FLAC 24-bit", "Vorbis", "Opus", ...
  int sample_rate_hz = 0;
  int channels = 0;
  std::int64_t frames = 0;
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
AudioBuffer read_audio(const std::string& path);
AudioBuffer read_raw_pcm(const std::string& path, const RawPcmFormat& format);
// In-memory bytes (for fuzzing and servers): `name` stands in for the path in messages, and
// `max_frames` lets a caller that decodes untrusted input bound the memory it may take.
AudioBuffer read_audio_memory(std::span<const std::uint8_t> bytes,
                              const std::string& name = "<memory>",
                              std::int64_t max_frames = kMaxFileFrames);
AudioInfo probe_audio(const std::string& path);

// Output format from the extension: ".wav" (float32 or pcm16), ".flac" (24-bit).
enum class WavSampleFormat { pcm16, pcm24, float32 };
void write_audio(const std::string& path, const AudioBuffer& audio,
                 WavSampleFormat wav_format = WavSampleFormat::pcm16);

}  // namespace hush::audio
