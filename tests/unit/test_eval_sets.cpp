// hush-bench's independent evaluation set (apps/hush-bench/independent_set.h): its promise is
// speech and noise that the denoiser never trained on, mixed at the SNR each clip is labelled
// with. These tests hold it to that against ../shared/data, and check the unseen noise kinds.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <string>

#include "apps/hush-bench/independent_set.h"
#include "apps/hush-bench/unseen_noise.h"
#include "audio/audio_file.h"
#include "util/error.h"

namespace fs = std::filesystem;
namespace bench = hush::bench;

namespace {

const fs::path kData = HUSH_DATA_DIR;

double mean_square(const std::vector<float>& x) {
  double s = 0;
  for (float v : x) s += double(v) * v;
  return s / double(x.size());
}

std::set<std::string> stems(const std::vector<std::string>& files) {
  std::set<std::string> out;
  for (const auto& f : files) out.insert(fs::path(f).stem().string());
  return out;
}

TEST(UnseenNoise, EveryKindIsDeterministicUnitRmsAndSeedDependent) {
  constexpr int kRateHz = 16000;
  constexpr std::size_t kSamples = 4 * kRateHz;
  for (const auto& name : bench::unseen_noise_names()) {
    SCOPED_TRACE(name);
    const auto a = bench::unseen_noise(name, kSamples, kRateHz, 7);
    ASSERT_EQ(a.size(), kSamples);
    for (float v : a) ASSERT_TRUE(std::isfinite(v));
    EXPECT_NEAR(mean_square(a), 1.0, 1e-3);
    EXPECT_EQ(a, bench::unseen_noise(name, kSamples, kRateHz, 7));
    EXPECT_NE(a, bench::unseen_noise(name, kSamples, kRateHz, 8));
  }
  try {
    bench::unseen_noise("fan", kSamples, kRateHz, 7);  // a kind training synthesizes
    FAIL() << "no error for an unknown kind";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT);
  }
}

TEST(IndependentSet, HoldsOnlyUnseenSpeakersAndNoisesAtTheLabelledSnr) {
  if (!fs::exists(kData / "speech/librispeech-speakers")) GTEST_SKIP() << "no HUSH_DATA";
  const fs::path out = fs::path(testing::TempDir()) / "hush-independent-set";
  fs::remove_all(out);
  bench::IndependentSetOptions options;
  options.data_dir = kData.string();
  options.out_dir = out.string();
  options.clips_per_snr = 3;
  const auto clips = bench::build_independent_set(options);
  ASSERT_EQ(clips.size(), 3 * bench::kDevSnrsDb.size());
  ASSERT_EQ(bench::load_dev_set(out.string()).size(), clips.size());

  // Speakers: the talkers training leaves out (train/hushnn/corpus.py DEV_BABBLE_TALKERS), except
  // the ten that only make babble and TV, plus the pairs/ speaker. Noises: none of noise/.
  auto talkers = bench::sorted_files((kData / "speech/librispeech-speakers").string(), ".flac");
  talkers.erase(talkers.begin(), talkers.end() - bench::kDevBabbleTalkers);
  std::set<std::string> allowed = stems({talkers.begin(), talkers.end() - 10});
  for (const auto& f : bench::sorted_files((kData / "pairs").string(), ".flac")) {
    if (fs::path(f).filename().string().starts_with("clean_")) allowed.insert(fs::path(f).stem().string());
  }
  const auto seen_noises = stems(bench::sorted_files((kData / "noise").string(), ".flac"));
  std::set<std::string> noises;
  for (const auto& clip : clips) {
    SCOPED_TRACE(clip.id);
    EXPECT_TRUE(allowed.contains(clip.utterance)) << clip.utterance;
    EXPECT_FALSE(seen_noises.contains(clip.noise)) << clip.noise;
    noises.insert(clip.noise);
    const auto clean = hush::audio::read_audio((out / clip.clean).string());
    const auto noisy = hush::audio::read_audio((out / clip.noisy).string());
    ASSERT_EQ(clean.sample_rate_hz, 16000);
    ASSERT_EQ(clean.samples.size(), noisy.samples.size());
    std::vector<float> noise(clean.samples.size());
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = noisy.samples[i] - clean.samples[i];
    EXPECT_NEAR(10.0 * std::log10(mean_square(clean.samples) / mean_square(noise)), clip.snr_db, 0.05);
  }
  EXPECT_GE(noises.size(), 9u);  // every kind shows up in 18 clips
  fs::remove_all(out);
}

TEST(IndependentSet, MissingDataIsAnIoError) {
  bench::IndependentSetOptions options;
  options.data_dir = (fs::path(testing::TempDir()) / "no-such-data").string();
  options.out_dir = (fs::path(testing::TempDir()) / "hush-independent-none").string();
  try {
    bench::build_independent_set(options);
    FAIL() << "no error";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_IO);
  }
}

}  // namespace
