// STOI, ESTOI and SI-SDR against values computed with the reference implementations
// (pystoi for STOI/ESTOI) on a LibriSpeech utterance mixed with three kinds of noise.

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cctype>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "metrics/metrics.h"

namespace {

const std::string kData = HUSH_DATA_DIR;
const std::string kClean = kData + "/speech/librispeech-mini/19/198/19-198-0001.flac";

// libsndfile's float read of 16-bit FLAC is exactly int16 / 32768, as the reference used.
std::vector<float> read_mono(const std::string& path, int& rate) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) return {};
  std::vector<float> samples(static_cast<std::size_t>(info.frames * info.channels));
  const sf_count_t got = sf_readf_float(file, samples.data(), info.frames);
  sf_close(file);
  if (info.channels != 1 || got != info.frames) return {};
  rate = info.samplerate;
  return samples;
}

struct Case {
  const char* noise_file;
  float gain;
  double stoi;
  double estoi;
  double si_sdr_db;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.noise_file << " x" << c.gain; }

class StoiReference : public ::testing::TestWithParam<Case> {};

TEST_P(StoiReference, MatchesPystoi) {
  const Case& c = GetParam();
  const std::string noise_path = kData + "/noise/" + c.noise_file;
  if (!std::filesystem::exists(kClean) || !std::filesystem::exists(noise_path)) {
    GTEST_SKIP() << "test data not found under " << kData;
  }
  int clean_rate = 0;
  int noise_rate = 0;
  const std::vector<float> clean = read_mono(kClean, clean_rate);
  const std::vector<float> noise = read_mono(noise_path, noise_rate);
  ASSERT_FALSE(clean.empty());
  ASSERT_EQ(clean_rate, 16000);
  ASSERT_EQ(noise_rate, 16000);
  ASSERT_GE(noise.size(), clean.size());

  std::vector<float> degraded(clean.size());
  for (std::size_t i = 0; i < clean.size(); ++i) degraded[i] = clean[i] + c.gain * noise[i];

  const double stoi = hush::metrics::stoi(clean, degraded, clean_rate);
  const double estoi = hush::metrics::stoi(clean, degraded, clean_rate, true);
  const double si_sdr = hush::metrics::si_sdr_db(clean, degraded);
  RecordProperty("stoi", std::to_string(stoi));
  RecordProperty("estoi", std::to_string(estoi));
  RecordProperty("si_sdr_db", std::to_string(si_sdr));
  std::printf("%s: STOI %.5f (ref %.4f)  ESTOI %.5f (ref %.4f)  SI-SDR %.4f dB (ref %.3f)\n",
              c.noise_file, stoi, c.stoi, estoi, c.estoi, si_sdr, c.si_sdr_db);
  EXPECT_NEAR(stoi, c.stoi, 0.002);
  EXPECT_NEAR(estoi, c.estoi, 0.002);
  EXPECT_NEAR(si_sdr, c.si_sdr_db, 0.01);
}

INSTANTIATE_TEST_SUITE_P(
    LibriSpeech, StoiReference,
    ::testing::Values(Case{"speechcommands_white_noise.flac", 2.0f, 0.8415, 0.7445, 17.923},
                      Case{"speechcommands_running_tap.flac", 4.0f, 0.8330, 0.7188, 16.193},
                      Case{"freesound_crowd_cheering.flac", 0.3f, 0.8377, 0.7272, 11.830}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      std::string name = param_info.param.noise_file;
      name = name.substr(0, name.find('.'));
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

}  // namespace
