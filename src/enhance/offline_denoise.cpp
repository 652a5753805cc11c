#include "enhance/offline_denoise.h"

#include <algorithm>
#include <memory>

#include "audio/resample.h"
#include "util/cpu_time.h"
#include "util/error.h"

namespace hush::enhance {
namespace {

struct DenoiserDeleter {
  void operator()(hush_denoiser* d) const { hush_denoiser_destroy(d); }
};
using DenoiserPtr = std::unique_ptr<hush_denoiser, DenoiserDeleter>;

}  // namespace

int engine_from_name(const std::string& name) {
  if (name == "default") return HUSH_ENGINE_DEFAULT;
  if (name == "neural") return HUSH_ENGINE_NEURAL;
  if (name == "spectral") return HUSH_ENGINE_SPECTRAL;
  throw Error(HUSH_ERR_UNKNOWN_ENGINE, "unknown engine '" + name + "' (available: neural, spectral)");
}

std::string engine_name(int engine) {
  switch (engine) {
    case HUSH_ENGINE_DEFAULT:  // hush.h: the default is the neural engine
    case HUSH_ENGINE_NEURAL: return "neural";
    case HUSH_ENGINE_SPECTRAL: return "spectral";
    default: throw Error(HUSH_ERR_UNKNOWN_ENGINE, "unknown engine id " + std::to_string(engine));
  }
}

int processing_rate_for(int file_rate_hz) {
  for (int rate : {8000, 16000, 32000, 44100, 48000}) {
    if (rate >= file_rate_hz) return rate;
  }
  return 48000;
}

audio::AudioBuffer denoise_buffer(const audio::AudioBuffer& input, const OfflineOptions& options,
                                  OfflineStats* stats) {
  const int rate = processing_rate_for(input.sample_rate_hz);
  hush_denoiser_config config = hush_denoiser_default_config();
  config.sample_rate_hz = rate;
  config.engine = options.engine;
  config.strength_db = options.strength_db;
  config.model = options.model;

  std::vector<DenoiserPtr> denoisers;
  for (int c = 0; c < input.channels; ++c) {
    hush_denoiser* d = nullptr;
    const int err = hush_denoiser_create(&config, &d);
    if (err < 0) throw Error(static_cast<hush_error>(err), hush_strerror(err));
    denoisers.emplace_back(d);
  }
  const int hop = hush_frame_size(rate);
  const int latency = hush_denoiser_latency_samples(denoisers.front().get());

  const std::vector<float> at_rate =
      audio::resample(input.samples, input.channels, input.sample_rate_hz, rate);
  const std::size_t frames = at_rate.size() / input.channels;
  // Feed `latency` extra samples of silence so the tail comes out, then drop the head.
  const std::size_t total = frames + latency;
  const std::size_t hops = (total + hop - 1) / hop;

  std::vector<float> output(frames * input.channels, 0.0f);
  std::vector<float> in_frame(hop), out_frame(hop);
  double speech_sum = 0.0;
  const double cpu_start = util::thread_cpu_seconds();
  const std::size_t progress_every = std::max<std::size_t>(1, hops / 100);

  for (std::size_t h = 0; h < hops; ++h) {
    for (int c = 0; c < input.channels; ++c) {
      for (int i = 0; i < hop; ++i) {
        const std::size_t t = h * hop + i;
        in_frame[i] = t < frames ? at_rate[t * input.channels + c] : 0.0f;
      }
      speech_sum += hush_denoiser_process(denoisers[c].get(), out_frame.data(), in_frame.data());
      for (int i = 0; i < hop; ++i) {
        const std::size_t t = h * hop + i;
        if (t >= std::size_t(latency) && t - latency < frames) {
          output[(t - latency) * input.channels + c] = out_frame[i];
        }
      }
    }
    if (options.on_progress && h % progress_every == 0) options.on_progress(double(h) / hops);
  }
  const double seconds = util::thread_cpu_seconds() - cpu_start;
  if (options.on_progress) options.on_progress(1.0);

  audio::AudioBuffer result;
  result.sample_rate_hz = input.sample_rate_hz;
  result.channels = input.channels;
  result.samples = audio::resample(output, input.channels, rate, input.sample_rate_hz);
  result.samples.resize(input.samples.size(), 0.0f);
  if (stats) {
    stats->processing_rate_hz = rate;
    stats->processing_seconds = seconds;
    stats->frames = static_cast<long long>(hops) * input.channels;
    stats->mean_speech_probability =
        hops > 0 ? speech_sum / (double(hops) * input.channels) : 0.0;
  }
  return result;
}

}  // namespace hush::enhance
