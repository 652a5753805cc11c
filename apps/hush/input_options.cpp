#include "apps/hush/input_options.h"

#include "meeting/recording_file.h"
#include "util/error.h"

namespace hush::cli {
namespace {

bool has_raw_extension(const std::string& path) {
  for (const char* ext : {".raw", ".pcm"}) {
    const std::string e(ext);
    if (path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

audio::RawSampleFormat parse_raw_format(const std::string& name) {
  if (name == "s16le") return audio::RawSampleFormat::s16le;
  if (name == "s24le") return audio::RawSampleFormat::s24le;
  if (name == "s32le") return audio::RawSampleFormat::s32le;
  if (name == "f32le") return audio::RawSampleFormat::f32le;
  if (name == "u8") return audio::RawSampleFormat::u8;
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "unknown raw format '" + name + "' (s16le s24le s32le f32le u8)");
}

}  // namespace

void add_input_options(CLI::App& cmd, InputOptions& options) {
  cmd.add_option("--raw-rate", options.raw_rate_hz, "Read input as raw PCM at this sample rate");
  cmd.add_option("--raw-channels", options.raw_channels, "Channels of raw PCM input")->capture_default_str();
  cmd.add_option("--raw-format", options.raw_format, "Raw PCM sample format: s16le s24le s32le f32le u8")
      ->capture_default_str();
}

audio::AudioBuffer read_input(const std::string& path, const InputOptions& options) {
  if (options.raw_rate_hz > 0 || has_raw_extension(path)) {
    audio::RawPcmFormat format;
    format.sample_rate_hz = options.raw_rate_hz > 0 ? options.raw_rate_hz : 16000;
    format.channels = options.raw_channels;
    format.sample_format = parse_raw_format(options.raw_format);
    return audio::read_raw_pcm(path, format);
  }
  return meeting::read_recording(path);  // plain audio, or a recording encrypted at rest
}

}  // namespace hush::cli
