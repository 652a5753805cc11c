#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <span>
#include <vector>

#include "audio/audio_checks.h"
#include "audio/audio_file.h"
#include "audio/temp_file.h"

namespace hush::audio {
namespace {

constexpr std::size_t kChunkFrames = 16384;

std::string lowercase_extension(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

int output_format(const std::string& path, WavSampleFormat wav_format) {
  const std::string ext = lowercase_extension(path);
  if (ext == ".flac") return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
  if (ext != ".wav") fail(HUSH_ERR_INVALID_ARGUMENT, path, "output must be .wav or .flac");
  switch (wav_format) {
    case WavSampleFormat::pcm16: return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    case WavSampleFormat::pcm24: return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
    case WavSampleFormat::float32: return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  }
  fail(HUSH_ERR_INVALID_ARGUMENT, path, "unknown WAV sample format");
}

// Refused before any file exists, so a bad call leaves nothing behind either.
SF_INFO checked_info(const std::string& path, const AudioBuffer& audio, int format) {
  if (audio.channels < 1 || audio.channels > kMaxChannels ||
      audio.samples.size() % static_cast<std::size_t>(audio.channels) != 0) {
    fail(HUSH_ERR_INVALID_ARGUMENT, path,
         "cannot write " + std::to_string(audio.samples.size()) + " samples as " +
             std::to_string(audio.channels) + " channels");
  }
  if (audio.sample_rate_hz < kMinFileRateHz || audio.sample_rate_hz > kMaxFileRateHz) {
    fail(HUSH_ERR_INVALID_ARGUMENT, path,
         "cannot write sample rate " + std::to_string(audio.sample_rate_hz) + " Hz");
  }
  SF_INFO info{};
  info.samplerate = audio.sample_rate_hz;
  info.channels = audio.channels;
  info.format = format;
  if (!sf_format_check(&info)) {
    fail(HUSH_ERR_INVALID_ARGUMENT, path,
         ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC ? "FLAC" : "WAV") +
             std::string(" cannot hold ") + std::to_string(audio.channels) + " channels");
  }
  return info;
}

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};

// Integer formats would wrap or saturate unpredictably past full scale; NaN has no PCM value.
void prepare_chunk(std::span<const float> in, bool integer_format, std::vector<float>& out) {
  out.assign(in.begin(), in.end());
  if (integer_format) {
    sanitize_samples(out);
  } else {
    for (float& v : out) v = v == v ? v : 0.0f;
  }
}

}  // namespace

void write_audio(const std::string& path, const AudioBuffer& audio, WavSampleFormat wav_format) {
  const int format = output_format(path, wav_format);
  SF_INFO info = checked_info(path, audio, format);
  const bool integer_format = (format & SF_FORMAT_SUBMASK) != SF_FORMAT_FLOAT;

  TempFile temp(path);
  std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open_fd(temp.fd(), SFM_WRITE, &info, SF_FALSE));
  if (!file) fail_write(path, sf_error_number(sf_error(nullptr)));

  const std::span<const float> samples(audio.samples);
  const std::size_t chunk = kChunkFrames * static_cast<std::size_t>(audio.channels);
  std::vector<float> buffer;
  for (std::size_t start = 0; start < samples.size(); start += chunk) {
    const std::span<const float> part =
        samples.subspan(start, std::min(chunk, samples.size() - start));
    prepare_chunk(part, integer_format, buffer);
    const auto frames = static_cast<sf_count_t>(part.size() / audio.channels);
    if (sf_writef_float(file.get(), buffer.data(), frames) != frames) {
      fail_write(path, sf_strerror(file.get()));
    }
  }
  // Closing writes the final header (data length, FLAC STREAMINFO): it can fail too.
  const int close_error = sf_close(file.release());
  if (close_error != 0) fail_write(path, sf_error_number(close_error));
  temp.commit();
}

}  // namespace hush::audio
