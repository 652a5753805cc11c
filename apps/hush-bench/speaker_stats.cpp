#include "apps/hush-bench/speaker_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "audio/audio_file.h"
#include "audio/noise_synth.h"
#include "audio/resample.h"
#include "meeting/speaker_windows.h"
#include "util/error.h"

namespace hush::bench {
namespace {

namespace fs = std::filesystem;

struct Utterance {
  std::string corpus, speaker, path;
};

std::vector<Utterance> list_utterances(const std::string& data_dir) {
  std::vector<Utterance> out;
  const fs::path speakers = fs::path(data_dir) / "speech" / "librispeech-speakers";
  const fs::path mini = fs::path(data_dir) / "speech" / "librispeech-mini";
  if (!fs::is_directory(speakers) || !fs::is_directory(mini))
    throw Error(HUSH_ERR_IO, "speaker-stats: " + speakers.string() + " or " + mini.string() + " is missing");
  for (const auto& e : fs::directory_iterator(speakers)) {
    if (e.path().extension() != ".flac") continue;
    const std::string stem = e.path().stem().string();
    out.push_back({"librispeech-speakers", stem.substr(0, stem.find('-')), e.path().string()});
  }
  for (const auto& e : fs::recursive_directory_iterator(mini)) {
    if (e.path().extension() != ".flac") continue;
    const std::string stem = e.path().stem().string();
    out.push_back({"librispeech-mini", stem.substr(0, stem.find('-')), e.path().string()});
  }
  std::sort(out.begin(), out.end(), [](const Utterance& a, const Utterance& b) { return a.path < b.path; });
  return out;
}

// A far-field, other-microphone version of `x`: a sparse exponentially decaying room response
// (a few hundred echoes stand in for dense reverberation at a fraction of the cost), a random
// one-pole tilt for the microphone, and pink noise at 5..25 dB SNR.
std::vector<float> simulate_room(const std::vector<float>& x, std::mt19937& rng) {
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  const double rt60_s = 0.2 + 0.6 * uni(rng);
  const int taps = 300;
  const double direct_to_reverb = 0.5 + 1.5 * uni(rng);
  std::vector<std::pair<std::size_t, float>> rir{{0, 1.0f}};
  std::normal_distribution<double> gauss(0.0, 1.0);
  double tail_energy = 0.0;
  std::vector<std::pair<std::size_t, double>> tail;
  for (int k = 0; k < taps; ++k) {
    const double t_s = 0.002 + uni(rng) * rt60_s;
    const double a = gauss(rng) * std::pow(10.0, -3.0 * t_s / rt60_s);
    tail.emplace_back(static_cast<std::size_t>(t_s * meeting::kSpeakerRateHz), a);
    tail_energy += a * a;
  }
  const double tail_gain = 1.0 / std::sqrt(direct_to_reverb * tail_energy + 1e-12);
  for (const auto& [lag, a] : tail) rir.emplace_back(lag, static_cast<float>(a * tail_gain));
  std::vector<float> y(x.size(), 0.0f);
  for (const auto& [lag, a] : rir)
    for (std::size_t i = lag; i < x.size(); ++i) y[i] += a * x[i - lag];
  const auto tilt = static_cast<float>(-0.6 + 1.2 * uni(rng));  // y[n] += tilt * y[n-1]
  float prev = 0.0f;
  for (float& v : y) {
    v += tilt * prev * 0.5f;
    prev = v;
  }
  auto noise = audio::pink_noise(y.size(), static_cast<std::uint32_t>(rng()));
  const float g = audio::gain_for_snr(y, noise, 5.0 + 20.0 * uni(rng));
  for (std::size_t i = 0; i < y.size(); ++i) y[i] += g * noise[i];
  return y;
}

}  // namespace

long long write_speaker_stats(const SpeakerStatsOptions& o) {
  const auto utterances = list_utterances(o.data_dir);
  std::ofstream f32(o.out_prefix + ".f32", std::ios::binary);
  std::ofstream tsv(o.out_prefix + ".tsv");
  if (!f32 || !tsv) throw Error(HUSH_ERR_IO, "speaker-stats: cannot write " + o.out_prefix + ".f32/.tsv");
  std::mt19937 rng(o.seed);
  long long rows = 0;
  std::size_t done = 0;
  for (const Utterance& u : utterances) {
    const auto audio = audio::read_audio(u.path);
    auto mono = audio.channel(0);
    if (audio.sample_rate_hz != meeting::kSpeakerRateHz)
      mono = audio::resample(mono, 1, audio.sample_rate_hz, meeting::kSpeakerRateHz);
    for (int copy = 0; copy <= o.augmented_copies; ++copy) {
      const auto x = copy == 0 ? mono : simulate_room(mono, rng);
      const auto features = meeting::compute_frame_features(x);
      const auto speech = meeting::detect_speech(features);
      for (const auto& w : meeting::speaker_windows(features, speech)) {
        // Statistics of a short tail window say little; keep windows of at least ~1 s.
        if (w.last_frame - w.first_frame < 100) continue;
        f32.write(reinterpret_cast<const char*>(w.stats.data()),
                  static_cast<std::streamsize>(w.stats.size() * sizeof(float)));
        tsv << u.corpus << '\t' << u.speaker << '\t' << fs::path(u.path).stem().string() << '\t' << copy << '\n';
        ++rows;
      }
    }
    if (++done % 100 == 0) std::fprintf(stderr, "speaker-stats: %zu/%zu utterances\n", done, utterances.size());
  }
  if (!f32 || !tsv) throw Error(HUSH_ERR_IO, "speaker-stats: writing " + o.out_prefix + " failed");
  return rows;
}

}  // namespace hush::bench
