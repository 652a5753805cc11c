#include "apps/hush-bench/devset.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "audio/audio_file.h"
#include "audio/noise_synth.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace hush::bench {
namespace {

constexpr int kRateHz = 16000;

std::vector<float> noise_segment(const std::vector<float>& noise, std::size_t n, std::mt19937& rng) {
  const auto start = static_cast<std::size_t>(kDevNoiseStartFraction * double(noise.size()));
  const std::size_t span = noise.size() - start;
  std::uniform_int_distribution<std::size_t> offset(0, span - 1);
  std::size_t at = offset(rng);
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = noise[start + (at + i) % span];  // loop if short
  return out;
}

void write_mono(const std::string& path, const std::vector<float>& x) {
  audio::AudioBuffer b;
  b.sample_rate_hz = kRateHz;
  b.channels = 1;
  b.samples = x;
  audio::write_audio(path, b, audio::WavSampleFormat::float32);
}

}  // namespace

std::vector<std::string> sorted_files(const std::string& dir_name, const std::string& ext) {
  const fs::path dir(dir_name);
  std::vector<std::string> files;
  if (!fs::is_directory(dir)) throw Error(HUSH_ERR_IO, dir.string() + ": no such folder (set HUSH_DATA)");
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ext) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<float> mono16k(const std::string& path) {
  audio::AudioBuffer a = audio::read_audio(path);
  if (a.sample_rate_hz != kRateHz || a.channels != 1) {
    throw Error(HUSH_ERR_FORMAT, path + ": dev set sources must be 16 kHz mono");
  }
  return std::move(a.samples);
}

// Several talkers at once, each normalised, so no single voice stands out.
std::vector<float> babble(const std::vector<std::string>& talkers, int count, std::size_t n,
                          std::mt19937& rng) {
  std::vector<float> mix(n, 0.0f);
  std::uniform_int_distribution<std::size_t> pick(0, talkers.size() - 1);
  for (int t = 0; t < count; ++t) {
    auto voice = mono16k(talkers[pick(rng)]);
    audio::normalize_rms(voice);
    for (std::size_t i = 0; i < n && !voice.empty(); ++i) mix[i] += voice[i % voice.size()];
  }
  audio::normalize_rms(mix);
  return mix;
}

DevClip write_dev_clip(const std::string& out_dir, const std::string& id, std::vector<float> clean,
                       const std::vector<float>& noise, double snr_db, const std::string& noise_name,
                       const std::string& utterance) {
  const float gain = audio::gain_for_snr(clean, noise, snr_db);
  std::vector<float> noisy(clean.size());
  float peak = 0.0f;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    noisy[i] = clean[i] + gain * noise[i];
    peak = std::max(peak, std::fabs(noisy[i]));
  }
  if (peak > 0.99f) {  // keep the mixture unclipped; scale clean and noisy alike
    for (auto& v : noisy) v *= 0.99f / peak;
    for (auto& v : clean) v *= 0.99f / peak;
  }
  DevClip clip{id, "clean/" + id + ".wav", "noisy/" + id + ".wav", snr_db, noise_name, utterance};
  fs::create_directories(fs::path(out_dir) / "clean");
  fs::create_directories(fs::path(out_dir) / "noisy");
  write_mono((fs::path(out_dir) / clip.clean).string(), clean);
  write_mono((fs::path(out_dir) / clip.noisy).string(), noisy);
  return clip;
}

void write_dev_manifest(const std::string& out_dir, const std::vector<DevClip>& clips) {
  nlohmann::json manifest = nlohmann::json::array();
  for (const auto& c : clips) {
    manifest.push_back({{"id", c.id}, {"clean", c.clean}, {"noisy", c.noisy}, {"snr_db", c.snr_db},
                        {"noise", c.noise}, {"utterance", c.utterance}});
  }
  std::ofstream(fs::path(out_dir) / "manifest.json") << manifest.dump(1) << "\n";
}

std::vector<DevClip> build_dev_set(const DevSetOptions& o) {
  const fs::path data(o.data_dir);
  std::vector<std::string> utterances;
  for (const auto& spk : kDevSpeakers) {
    for (auto& f : sorted_files((data / "speech/librispeech-mini" / spk).string(), ".flac")) utterances.push_back(f);
  }
  auto talkers = sorted_files((data / "speech/librispeech-speakers").string(), ".flac");
  if (talkers.size() > std::size_t(kDevBabbleTalkers)) {
    talkers.erase(talkers.begin(), talkers.end() - kDevBabbleTalkers);
  }
  const auto noise_files = sorted_files((data / "noise").string(), ".flac");
  if (utterances.empty() || noise_files.empty() || talkers.empty()) {
    throw Error(HUSH_ERR_IO, o.data_dir + ": speech or noise files missing");
  }
  std::vector<std::vector<float>> noises;
  for (const auto& f : noise_files) noises.push_back(mono16k(f));

  std::mt19937 rng(o.seed);
  std::shuffle(utterances.begin(), utterances.end(), rng);

  std::vector<DevClip> clips;
  const int kinds = static_cast<int>(noises.size()) + 1;  // + babble
  int index = 0;
  for (double snr : kDevSnrsDb) {
    for (int c = 0; c < o.clips_per_snr; ++c, ++index) {
      const std::string& utt = utterances[std::size_t(index) % utterances.size()];
      auto clean = mono16k(utt);
      clean.resize(std::min(clean.size(), std::size_t(o.max_clip_seconds * kRateHz)));
      const int kind = (index * 7) % kinds;
      std::vector<float> noise;
      std::string noise_name;
      if (kind == kinds - 1) {
        const int count = 3 + index % 3;
        noise = babble(talkers, count, clean.size(), rng);
        noise_name = "babble" + std::to_string(count);
      } else {
        noise = noise_segment(noises[std::size_t(kind)], clean.size(), rng);
        noise_name = fs::path(noise_files[std::size_t(kind)]).stem().string();
      }
      clips.push_back(write_dev_clip(o.out_dir, dev_clip_id(snr, c), std::move(clean), noise, snr, noise_name,
                                     fs::path(utt).stem().string()));
    }
  }
  write_dev_manifest(o.out_dir, clips);
  return clips;
}

std::string dev_clip_id(double snr_db, int index) {
  char id[32];
  std::snprintf(id, sizeof id, "snr%+03d_%03d", int(snr_db), index);
  return id;
}

std::vector<DevClip> load_dev_set(const std::string& dir) {
  std::ifstream in(fs::path(dir) / "manifest.json");
  if (!in) throw Error(HUSH_ERR_IO, dir + "/manifest.json: not found (run hush-bench devset first)");
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(HUSH_ERR_FORMAT, dir + "/manifest.json: " + e.what());
  }
  std::vector<DevClip> clips;
  for (const auto& j : manifest) {
    clips.push_back({j.at("id"), j.at("clean"), j.at("noisy"), j.at("snr_db"), j.at("noise"), j.at("utterance")});
  }
  return clips;
}

}  // namespace hush::bench
