// Unit tests for src/metrics on synthetic signals (no data files needed). Suite names start
// with "metrics" so that `ctest -R metrics` selects them.

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <random>
#include <span>
#include <vector>

#include "metrics/metrics.h"
#include "util/error.h"

namespace {

using hush::metrics::seg_snr_db;
using hush::metrics::si_sdr_db;
using hush::metrics::stoi;

constexpr double kPi = std::numbers::pi;

// Voiced "speech": a harmonic complex with a gliding pitch, two moving formant-like peaks and a
// 3 Hz syllable envelope that falls to silence between syllables.
std::vector<float> synthetic_speech(int rate, double seconds) {
  const auto n = static_cast<std::size_t>(seconds * rate);
  std::vector<float> out(n);
  double phase = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / rate;
    const double f0 = 120.0 + 30.0 * std::sin(2.0 * kPi * 0.7 * t);
    phase += 2.0 * kPi * f0 / rate;
    const double formant1 = 500.0 + 300.0 * std::sin(2.0 * kPi * 1.3 * t);
    const double formant2 = 1500.0 + 700.0 * std::sin(2.0 * kPi * 0.9 * t + 1.0);
    double v = 0.0;
    for (int k = 1; k * f0 < 4500.0; ++k) {
      const double f = k * f0;
      const double g = std::exp(-std::pow((f - formant1) / 200.0, 2)) +
                       0.5 * std::exp(-std::pow((f - formant2) / 300.0, 2)) + 0.02;
      v += g * std::sin(k * phase);
    }
    const double syllable = std::pow(std::max(0.0, std::sin(2.0 * kPi * 3.0 * t)), 2);
    out[i] = static_cast<float>(0.1 * syllable * v);
  }
  return out;
}

std::vector<float> white_noise(std::size_t n, double rms, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> dist(0.0, rms);
  std::vector<float> out(n);
  for (float& v : out) v = static_cast<float>(dist(rng));
  return out;
}

double power(std::span<const float> x) {
  double sum = 0.0;
  for (float v : x) sum += double(v) * v;
  return sum / double(x.size());
}

// signal + noise scaled to the given SNR (over the whole signal).
std::vector<float> mix_at_snr(std::span<const float> signal, std::span<const float> noise,
                              double snr_db) {
  const double gain = std::sqrt(power(signal) / power(noise) / std::pow(10.0, snr_db / 10.0));
  std::vector<float> out(signal.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<float>(signal[i] + gain * noise[i]);
  }
  return out;
}

template <typename F>
void expect_invalid_argument(F&& f, int line = __builtin_LINE()) {
  try {
    f();
    ADD_FAILURE() << "expected hush::Error from the call on line " << line;
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT) << e.what();
  }
}

// ---------------------------------------------------------------------------------- SI-SDR

TEST(metricsSiSdr, IdenticalSignalsScoreHuge) {
  const auto x = synthetic_speech(16000, 1.0);
  EXPECT_GE(si_sdr_db(x, x), 200.0);
}

TEST(metricsSiSdr, ScaleInvariant) {
  const auto x = synthetic_speech(16000, 1.0);
  std::vector<float> twice(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) twice[i] = 2.0f * x[i];
  EXPECT_EQ(si_sdr_db(x, twice), si_sdr_db(x, x));

  const auto noisy = mix_at_snr(x, white_noise(x.size(), 1.0, 1), 10.0);
  std::vector<float> noisy_scaled(noisy.size());
  for (std::size_t i = 0; i < noisy.size(); ++i) noisy_scaled[i] = 0.25f * noisy[i];
  EXPECT_NEAR(si_sdr_db(x, noisy_scaled), si_sdr_db(x, noisy), 1e-6);
  EXPECT_NEAR(si_sdr_db(twice, noisy), si_sdr_db(x, noisy), 1e-6);
}

TEST(metricsSiSdr, KnownValueForOrthogonalNoise) {
  // Whole periods of two different sinusoids are orthogonal and zero-mean, so the projection
  // keeps all of the reference and SI-SDR is exactly the power ratio: 20 log10(1 / 0.1) = 20 dB.
  const std::size_t n = 16000;
  std::vector<float> x(n);
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double s = std::sin(2.0 * kPi * 50.0 * double(i) / n);
    const double d = 0.1 * std::sin(2.0 * kPi * 173.0 * double(i) / n);
    x[i] = static_cast<float>(s);
    y[i] = static_cast<float>(s + d);
  }
  EXPECT_NEAR(si_sdr_db(x, y), 20.0, 1e-4);
  // A DC offset changes nothing: both signals are made zero-mean.
  for (float& v : y) v += 0.3f;
  EXPECT_NEAR(si_sdr_db(x, y), 20.0, 1e-4);
}

TEST(metricsSiSdr, RandomNoiseAtKnownPower) {
  const auto x = white_noise(48000, 0.1, 2);
  const auto noisy = mix_at_snr(x, white_noise(x.size(), 0.1, 3), 5.0);
  EXPECT_NEAR(si_sdr_db(x, noisy), 5.0, 0.1);
}

TEST(metricsSiSdr, EdgeCases) {
  const auto x = synthetic_speech(16000, 0.5);
  std::vector<float> longer(x);
  longer.resize(x.size() + 1000, 0.7f);  // extra tail is ignored
  EXPECT_EQ(si_sdr_db(x, longer), si_sdr_db(x, x));
  EXPECT_EQ(si_sdr_db(x, std::vector<float>(x.size(), 0.0f)), -300.0);

  expect_invalid_argument([] { si_sdr_db({}, {}); });
  expect_invalid_argument([&] { si_sdr_db(std::vector<float>(100, 0.5f), x); });
  std::vector<float> bad(x);
  bad[10] = std::numeric_limits<float>::quiet_NaN();
  expect_invalid_argument([&] { si_sdr_db(x, bad); });
}

// ----------------------------------------------------------------------------- segmental SNR

TEST(metricsSegSnr, Sanity) {
  const auto x = white_noise(16000, 0.1, 4);
  EXPECT_EQ(seg_snr_db(x, x, 16000), 35.0);                       // perfect: upper clamp
  EXPECT_NEAR(seg_snr_db(x, std::vector<float>(x.size(), 0.0f), 16000), 0.0, 1e-9);
  std::vector<float> inverted(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) inverted[i] = -x[i];  // error = 2x: -6 dB
  EXPECT_NEAR(seg_snr_db(x, inverted, 16000), -6.0206, 1e-3);
  // Stationary signal and noise: every frame is near the global SNR.
  const auto noisy = mix_at_snr(x, white_noise(x.size(), 0.1, 5), 15.0);
  EXPECT_NEAR(seg_snr_db(x, noisy, 16000), 15.0, 0.5);
  const auto very_noisy = mix_at_snr(x, white_noise(x.size(), 0.1, 6), -30.0);
  EXPECT_EQ(seg_snr_db(x, very_noisy, 16000), -10.0);  // lower clamp
}

TEST(metricsSegSnr, SkipsSilentReferenceFrames) {
  // One second of signal then one of silence, with the same noise throughout: counting the
  // silent frames would drag the mean towards -10 dB.
  auto x = white_noise(16000, 0.1, 7);
  x.resize(32000, 0.0f);
  const auto noise = white_noise(x.size(), 0.01, 8);  // 20 dB below the active part
  std::vector<float> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] + noise[i];
  EXPECT_NEAR(seg_snr_db(x, y, 16000), 20.0, 1.0);
}

TEST(metricsSegSnr, EdgeCases) {
  const auto x = white_noise(16000, 0.1, 9);
  EXPECT_EQ(seg_snr_db(x, std::vector<float>(x.begin(), x.begin() + 8000), 16000),
            seg_snr_db(std::vector<float>(x.begin(), x.begin() + 8000), x, 16000));
  expect_invalid_argument([&] { seg_snr_db(std::span(x).first(100), x, 16000); });  // < 30 ms
  expect_invalid_argument([&] { seg_snr_db(std::vector<float>(x.size(), 0.0f), x, 16000); });
  expect_invalid_argument([&] { seg_snr_db(x, x, 0); });
  std::vector<float> bad(x);
  bad[0] = std::numeric_limits<float>::infinity();
  expect_invalid_argument([&] { seg_snr_db(bad, x, 16000); });
}

// ------------------------------------------------------------------------------ STOI / ESTOI

TEST(metricsStoi, CleanAgainstItselfIsOne) {
  const auto x = synthetic_speech(16000, 3.0);
  EXPECT_NEAR(stoi(x, x, 16000), 1.0, 1e-6);
  EXPECT_NEAR(stoi(x, x, 16000, true), 1.0, 1e-6);
  // Scaling the degraded signal changes nothing (STOI normalises each band).
  std::vector<float> louder(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) louder[i] = 3.0f * x[i];
  EXPECT_NEAR(stoi(x, louder, 16000), 1.0, 1e-6);
}

TEST(metricsStoi, DropsMonotonicallyWithNoise) {
  const auto x = synthetic_speech(16000, 4.0);
  const auto noise = white_noise(x.size(), 1.0, 10);
  double previous_stoi = 1.0 + 1e-9;
  double previous_estoi = 1.0 + 1e-9;
  for (double snr : {30.0, 15.0, 5.0, 0.0, -5.0, -15.0}) {
    const auto y = mix_at_snr(x, noise, snr);
    const double s = stoi(x, y, 16000);
    const double e = stoi(x, y, 16000, true);
    EXPECT_LT(s, previous_stoi) << "STOI at " << snr << " dB";
    EXPECT_LT(e, previous_estoi) << "ESTOI at " << snr << " dB";
    EXPECT_GE(s, -1.0);
    EXPECT_GE(e, -1.0);
    previous_stoi = s;
    previous_estoi = e;
  }
  EXPECT_LT(previous_stoi, 0.7);  // -15 dB white noise leaves little
  EXPECT_LT(previous_estoi, 0.4);
}

TEST(metricsStoi, WorksAtOtherRates) {
  for (int rate : {8000, 10000, 22050, 44100, 48000}) {
    const auto x = synthetic_speech(rate, 2.0);
    const auto y = mix_at_snr(x, white_noise(x.size(), 1.0, 11), 0.0);
    EXPECT_NEAR(stoi(x, x, rate), 1.0, 1e-6) << rate;
    const double s = stoi(x, y, rate);
    EXPECT_GT(s, 0.3) << rate;
    EXPECT_LT(s, 0.99) << rate;
  }
}

TEST(metricsStoi, MismatchedLengthsUseTheCommonPart) {
  const auto x = synthetic_speech(16000, 3.0);
  auto y = mix_at_snr(x, white_noise(x.size(), 1.0, 12), 5.0);
  const double same_length = stoi(x, y, 16000);
  y.resize(y.size() + 5000, 0.5f);
  EXPECT_EQ(stoi(x, y, 16000), same_length);
  EXPECT_EQ(stoi(y, x, 16000, true), stoi(std::span(y).first(x.size()), x, 16000, true));
}

TEST(metricsStoi, TooShortOrInvalidInputThrows) {
  const auto x = synthetic_speech(16000, 3.0);
  expect_invalid_argument([] { stoi({}, {}, 16000); });
  expect_invalid_argument([&] { stoi(std::span(x).first(1000), x, 16000); });
  // 0.35 s is 27 frames at 10 kHz: under the 30 a segment needs.
  expect_invalid_argument([&] { stoi(std::span(x).first(5600), x, 16000, true); });
  // Long enough, but only a short burst survives silence removal.
  std::vector<float> burst(48000, 0.0f);
  // 2000 samples from inside the first syllable: about 9 frames at 10 kHz.
  for (std::size_t i = 0; i < 2000; ++i) burst[20000 + i] = x[800 + i];
  expect_invalid_argument([&] { stoi(burst, burst, 16000); });
  expect_invalid_argument([&] { stoi(x, x, 0); });
  expect_invalid_argument([&] { stoi(x, x, -16000); });
  expect_invalid_argument([&] { stoi(x, x, 1'000'000); });
  std::vector<float> bad(x);
  bad[x.size() / 2] = std::numeric_limits<float>::quiet_NaN();
  expect_invalid_argument([&] { stoi(x, bad, 16000); });
}

TEST(metricsStoi, SilentInputsGiveFiniteScores) {
  const auto x = synthetic_speech(16000, 2.0);
  const std::vector<float> zeros(x.size(), 0.0f);
  for (bool extended : {false, true}) {
    EXPECT_TRUE(std::isfinite(stoi(x, zeros, 16000, extended)));
    EXPECT_TRUE(std::isfinite(stoi(zeros, x, 16000, extended)));
    EXPECT_TRUE(std::isfinite(stoi(zeros, zeros, 16000, extended)));
  }
}

}  // namespace
