#include "apps/hush-bench/independent_set.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <random>

#include "apps/hush-bench/unseen_noise.h"
#include "audio/audio_file.h"
#include "audio/noise_synth.h"
#include "audio/resample.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace hush::bench {
namespace {

constexpr int kRateHz = 16000;
constexpr int kBackgroundTalkers = 10;  // of the 40 excluded talkers: babble and TV only

// Any rate and layout, mixed down and resampled to 16 kHz (pairs/ is 48 kHz).
std::vector<float> mono_16k_from_any(const std::string& path) {
  const audio::AudioBuffer a = audio::read_audio(path);
  return audio::resample(a.mono(), 1, a.sample_rate_hz, kRateHz);
}

std::vector<float> looped(const std::vector<float>& x, std::size_t n, std::size_t start) {
  std::vector<float> out(n, 0.0f);
  for (std::size_t i = 0; i < n && !x.empty(); ++i) out[i] = x[(start + i) % x.size()];
  return out;
}

// A talk show on a TV: one voice through a small loudspeaker's band over a quiet chord bed.
std::vector<float> tv_noise(const std::string& talker, std::size_t n, std::mt19937& rng) {
  auto voice = looped(mono16k(talker), n, 0);
  // Loudspeaker band: first-order high-pass at 250 Hz and low-pass at 3.5 kHz, run twice.
  for (int pass = 0; pass < 2; ++pass) {
    const float hp = std::exp(-2.0f * std::numbers::pi_v<float> * 250.0f / kRateHz);
    const float lp = 1.0f - std::exp(-2.0f * std::numbers::pi_v<float> * 3500.0f / kRateHz);
    float prev_in = 0, high = 0, low = 0;
    for (auto& v : voice) {
      high = hp * (high + v - prev_in);
      prev_in = v;
      low += lp * (high - low);
      v = low;
    }
  }
  audio::normalize_rms(voice);
  const double root_hz = std::uniform_real_distribution<double>(110.0, 220.0)(rng);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / kRateHz;
    const double chord = std::sin(2 * std::numbers::pi * root_hz * t) + std::sin(2 * std::numbers::pi * root_hz * 1.25 * t) +
                         std::sin(2 * std::numbers::pi * root_hz * 1.5 * t);
    voice[i] += static_cast<float>(0.15 * chord);
  }
  audio::normalize_rms(voice);
  return voice;
}

}  // namespace

std::vector<DevClip> build_independent_set(const IndependentSetOptions& o) {
  const fs::path data(o.data_dir);
  auto talkers = sorted_files((data / "speech/librispeech-speakers").string(), ".flac");
  if (talkers.size() < std::size_t(kDevBabbleTalkers)) {
    throw Error(HUSH_ERR_IO, o.data_dir + ": librispeech-speakers has fewer than 40 files");
  }
  talkers.erase(talkers.begin(), talkers.end() - kDevBabbleTalkers);  // the ones training excludes
  const std::vector<std::string> background(talkers.end() - kBackgroundTalkers, talkers.end());
  std::vector<std::string> speakers(talkers.begin(), talkers.end() - kBackgroundTalkers);
  const auto pair_clean = sorted_files((data / "pairs").string(), ".flac");
  const auto pair_noise = std::find_if(pair_clean.begin(), pair_clean.end(), [](const std::string& f) {
    return fs::path(f).filename().string().starts_with("noise_");
  });
  for (const auto& f : pair_clean) {
    if (fs::path(f).filename().string().starts_with("clean_")) speakers.push_back(f);
  }
  if (pair_noise == pair_clean.end()) throw Error(HUSH_ERR_IO, o.data_dir + "/pairs: noise_*.flac missing");
  const auto recorded = mono_16k_from_any(*pair_noise);
  const std::string recorded_name = fs::path(*pair_noise).stem().string();

  std::vector<std::string> kinds = unseen_noise_names();
  kinds.insert(kinds.end(), {recorded_name, "tv", "babble"});
  std::mt19937 rng(o.seed);
  std::vector<DevClip> clips;
  int index = 0;
  for (double snr : kDevSnrsDb) {
    for (int c = 0; c < o.clips_per_snr; ++c, ++index) {
      const std::string& speaker = speakers[std::size_t(index) % speakers.size()];
      auto clean = mono_16k_from_any(speaker);
      clean.resize(std::min(clean.size(), std::size_t(o.max_clip_seconds * kRateHz)));
      const std::string& kind = kinds[std::size_t(index * 7) % kinds.size()];
      std::vector<float> noise;
      std::string noise_name = kind;
      if (kind == "babble") {
        const int count = 3 + (index / int(kinds.size())) % 3;  // index % 3 would always pick one count
        noise = babble(background, count, clean.size(), rng);
        noise_name += std::to_string(count);
      } else if (kind == "tv") {
        noise = tv_noise(background[std::size_t(index) % background.size()], clean.size(), rng);
      } else if (kind == recorded_name) {
        noise = looped(recorded, clean.size(), std::uniform_int_distribution<std::size_t>(0, recorded.size() - 1)(rng));
      } else {
        noise = unseen_noise(kind, clean.size(), kRateHz, static_cast<std::uint32_t>(rng()));
      }
      clips.push_back(write_dev_clip(o.out_dir, dev_clip_id(snr, c), std::move(clean), noise, snr, noise_name,
                                     fs::path(speaker).stem().string()));
    }
  }
  write_dev_manifest(o.out_dir, clips);
  return clips;
}

}  // namespace hush::bench
