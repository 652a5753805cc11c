#include "meeting/recorder.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>

#include "audio/opus_writer.h"
#include "crypto/hush_home.h"
#include "crypto/keyring.h"
#include "meeting/encrypted_sink.h"
#include "util/error.h"

namespace hush::meeting {
namespace {

constexpr std::size_t kBlockFrames = audio::kOpusRateHz / 50;    // 20 ms, an Opus frame
constexpr std::size_t kMeterFrames = audio::kOpusRateHz / 10;    // level report every 100 ms

volatile std::sig_atomic_t g_stop_requested = 0;

void on_stop_signal(int) { g_stop_requested = 1; }

std::string local_time(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char text[64];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

std::unique_ptr<audio::ByteSink> open_sink(const RecorderConfig& config) {
  if (!config.encrypt) return std::make_unique<audio::FileSink>(config.output_path);
  crypto::Keyring keyring = config.keyring_path.empty() ? crypto::Keyring::open_default()
                                                        : crypto::Keyring(config.keyring_path);
  const crypto::SecretKey key = keyring.get_or_create(crypto::kRecordingsKeyName);
  return std::make_unique<EncryptedSink>(config.output_path, key, crypto::kRecordingsKeyName);
}

float to_dbfs(float peak) { return peak > 1e-6f ? 20.0f * std::log10(peak) : -120.0f; }

}  // namespace

RecordingResult record(std::vector<std::unique_ptr<audio::CaptureSource>> sources, const RecorderConfig& config) {
  if (config.max_duration_s < 0.0 || !std::isfinite(config.max_duration_s)) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "recording duration must be >= 0 seconds");
  }
  RecordingResult result;
  result.path = config.output_path;
  result.encrypted = config.encrypt;
  result.channels = static_cast<int>(sources.size());
  if (result.channels < 1 || result.channels > 2) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "recording needs one or two sources");
  }

  std::unique_ptr<audio::ByteSink> sink = open_sink(config);
  audio::OpusWriterConfig writer_config;
  writer_config.channels = result.channels;
  writer_config.title = config.title;
  writer_config.date = local_time("%Y-%m-%dT%H:%M:%S%z");
  audio::OpusWriter writer(*sink, writer_config);
  audio::CaptureMixer mixer(std::move(sources));

  const std::int64_t max_frames = config.max_duration_s > 0.0
                                      ? std::llround(config.max_duration_s * audio::kOpusRateHz)
                                      : std::numeric_limits<std::int64_t>::max();
  const auto channels = static_cast<std::size_t>(result.channels);
  std::vector<float> block;
  float peaks[2] = {0.0f, 0.0f};
  std::size_t meter_frames = 0;
  auto block_size = [&] {
    return static_cast<std::size_t>(std::min<std::int64_t>(kBlockFrames, max_frames - writer.frames_written()));
  };
  auto consume = [&] {
    writer.write(block);
    for (std::size_t i = 0; i < block.size(); ++i) peaks[i % channels] = std::max(peaks[i % channels], std::fabs(block[i]));
    meter_frames += block.size() / channels;
    if (meter_frames >= kMeterFrames && config.on_levels) {
      RecorderLevels levels;
      levels.elapsed_s = double(writer.frames_written()) / audio::kOpusRateHz;
      levels.channels = result.channels;
      for (std::size_t c = 0; c < channels; ++c) levels.peak_dbfs[c] = to_dbfs(peaks[c]);
      config.on_levels(levels);
      peaks[0] = peaks[1] = 0.0f;
      meter_frames = 0;
    }
  };

  try {
    while (writer.frames_written() < max_frames) {
      if (config.should_stop && config.should_stop()) {
        result.stopped = true;
        break;
      }
      if (!mixer.next_block(block, block_size())) break;
      if (!block.empty()) consume();
    }
    // What the sources delivered before they were stopped still belongs to the recording.
    mixer.stop();
    while (writer.frames_written() < max_frames && mixer.next_block(block, block_size())) {
      if (!block.empty()) consume();
    }
    result.alignment = mixer.stats();
  } catch (...) {
    try {
      mixer.stop();
      writer.finish();
    } catch (...) {  // the first error is the one to report
    }
    throw;
  }
  writer.finish();
  result.duration_s = double(writer.frames_written()) / audio::kOpusRateHz;
  return result;
}

std::string default_recording_path(bool encrypted) {
  const std::string dir = hush_home_dir() + "/recordings";
  make_private_dirs(dir);
  const std::string stem = dir + "/" + local_time("%Y-%m-%d_%H-%M-%S");
  const std::string ext = encrypted ? ".ogg.enc" : ".ogg";
  std::string path = stem + ext;
  for (int n = 2; ::access(path.c_str(), F_OK) == 0; ++n) path = stem + "-" + std::to_string(n) + ext;
  return path;
}

StopOnSignals::StopOnSignals() {
  g_stop_requested = 0;
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // the writer's write(2)s resume rather than fail with EINTR
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
}

StopOnSignals::~StopOnSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

bool StopOnSignals::requested() { return g_stop_requested != 0; }

}  // namespace hush::meeting
