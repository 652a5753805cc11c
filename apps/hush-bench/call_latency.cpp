#include "apps/hush-bench/call_latency.h"

#include <cmath>
#include <vector>

#include "apps/hush-bench/room_sim.h"
#include "audio/resample.h"

namespace hush::bench {
namespace {

constexpr double kProbeS = 4.0;
constexpr double kClickAmplitude = 0.5;
constexpr double kClickBedDbfs = -70.0;  // keeps the probe from being digital silence
constexpr int kSpeechRateHz = 16000;

std::size_t probe_samples(int rate_hz) { return static_cast<std::size_t>(kProbeS * 100) * std::size_t(rate_hz / 100); }

int max_lag(int rate_hz) { return static_cast<int>(kMaxLagMs * rate_hz / 1000.0); }

}  // namespace

Lag click_lag(const CallSetup& setup, std::uint64_t seed, int* reported) {
  const std::size_t n = probe_samples(setup.rate_hz);
  sim::Rng rng(seed);
  std::vector<float> clicks = sim::mic_noise(n, kClickBedDbfs, rng);
  for (double t = 0.05; t < kProbeS - 0.2; t += rng.uniform(0.05, 0.15))
    clicks[static_cast<std::size_t>(t * setup.rate_hz)] += static_cast<float>(kClickAmplitude);
  const std::vector<float> silence(n, 0.0f);
  const std::vector<float> out = run_call_raw(setup, silence, clicks, reported);
  return find_lag(clicks, out, max_lag(setup.rate_hz));
}

Lag speech_lag(const CallSetup& setup, std::span<const float> speech16k, double noise_dbfs, std::uint64_t seed,
               int* reported) {
  const std::size_t n = probe_samples(setup.rate_hz);
  std::vector<float> speech = setup.rate_hz == kSpeechRateHz
                                  ? std::vector<float>(speech16k.begin(), speech16k.end())
                                  : audio::resample(speech16k, 1, kSpeechRateHz, setup.rate_hz);
  speech.resize(n, 0.0f);
  sim::Rng rng(seed);
  const std::vector<float> noise = sim::mic_noise(n, noise_dbfs, rng);
  for (std::size_t i = 0; i < n; ++i) speech[i] += noise[i];
  const std::vector<float> silence(n, 0.0f);
  const std::vector<float> out = run_call_raw(setup, silence, speech, reported);
  return find_lag(speech, out, max_lag(setup.rate_hz));
}

}  // namespace hush::bench
