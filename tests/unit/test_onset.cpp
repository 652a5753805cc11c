// Unit tests for the word-onset metric (src/metrics/onset.h) on signals built frame by frame,
// so the expected onsets and energies are known exactly. Suite name starts with "metrics".

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <vector>

#include "metrics/onset.h"
#include "util/error.h"

namespace {

using hush::metrics::onset_energy_kept;

constexpr int kRate = 16000;
constexpr std::size_t kFrame = 160;  // 10 ms

// A clip described in 10 ms frames: each entry is the tone amplitude of that frame (0 = silence).
// A 1 kHz tone has the same energy in every whole 10 ms frame (10 periods).
std::vector<float> frames_of(const std::vector<double>& amplitudes) {
  std::vector<float> x(amplitudes.size() * kFrame);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<float>(amplitudes[i / kFrame] * std::sin(2.0 * std::numbers::pi * 1000.0 * double(i) / kRate));
  }
  return x;
}

std::vector<double> repeat(double amplitude, int count) { return std::vector<double>(std::size_t(count), amplitude); }
std::vector<double> operator+(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Two 300 ms "words", each after 300 ms of silence.
std::vector<double> two_words() { return repeat(0, 30) + repeat(0.5, 30) + repeat(0, 30) + repeat(0.5, 30); }

// Zeroes the first `frames` frames of every word in `x` (word starts at frames 30 and 90).
std::vector<float> clip_onsets(std::vector<float> x, int frames) {
  for (std::size_t start : {std::size_t(30), std::size_t(90)}) {
    for (std::size_t i = start * kFrame; i < (start + std::size_t(frames)) * kFrame; ++i) x[i] = 0.0f;
  }
  return x;
}

TEST(metricsOnset, IdenticalSignalsKeepEverything) {
  const auto clean = frames_of(two_words());
  const auto r = onset_energy_kept(clean, clean, kRate);
  EXPECT_EQ(r.onsets, 2);
  EXPECT_EQ(r.onset_frames, 10u);        // 2 x 50 ms
  EXPECT_EQ(r.steady_frames, 50u);       // 2 x (30 - 5) active frames
  ASSERT_TRUE(r.onset_kept_db && r.steady_kept_db);
  EXPECT_NEAR(*r.onset_kept_db, 0.0, 1e-9);
  EXPECT_NEAR(*r.steady_kept_db, 0.0, 1e-9);
}

TEST(metricsOnset, UniformGainShowsOnBothEqually) {
  const auto clean = frames_of(two_words());
  std::vector<float> half(clean);
  for (auto& v : half) v *= 0.5f;
  const auto r = onset_energy_kept(clean, half, kRate);
  EXPECT_NEAR(*r.onset_kept_db, 20.0 * std::log10(0.5), 1e-6);
  EXPECT_NEAR(*r.steady_kept_db, 20.0 * std::log10(0.5), 1e-6);
}

TEST(metricsOnset, ClippedOnsetsLoseOnsetEnergyOnly) {
  const auto clean = frames_of(two_words());
  // 20 ms of 50 ms gone: 3/5 of the onset energy kept, steady speech untouched.
  const auto r = onset_energy_kept(clean, clip_onsets(clean, 2), kRate);
  EXPECT_NEAR(*r.onset_kept_db, 10.0 * std::log10(3.0 / 5.0), 1e-6);
  EXPECT_NEAR(*r.steady_kept_db, 0.0, 1e-9);
  // The whole 50 ms gone: nothing kept, clamped to -100 dB rather than -inf.
  const auto gone = onset_energy_kept(clean, clip_onsets(clean, 5), kRate);
  EXPECT_EQ(*gone.onset_kept_db, -100.0);
  EXPECT_NEAR(*gone.steady_kept_db, 0.0, 1e-9);
}

TEST(metricsOnset, NeedsOneHundredMillisecondsOfQuietBefore) {
  // A 90 ms pause is inside a word; a 100 ms pause starts a new one.
  const auto short_gap = frames_of(repeat(0, 20) + repeat(0.5, 20) + repeat(0, 9) + repeat(0.5, 20));
  EXPECT_EQ(onset_energy_kept(short_gap, short_gap, kRate).onsets, 1);
  const auto long_gap = frames_of(repeat(0, 20) + repeat(0.5, 20) + repeat(0, 10) + repeat(0.5, 20));
  EXPECT_EQ(onset_energy_kept(long_gap, long_gap, kRate).onsets, 2);
}

TEST(metricsOnset, SpeechAtTheVeryStartIsNoOnset) {
  const auto x = frames_of(repeat(0.5, 20) + repeat(0, 5) + repeat(0.5, 20));
  const auto r = onset_energy_kept(x, x, kRate);
  EXPECT_EQ(r.onsets, 0);
  EXPECT_FALSE(r.onset_kept_db.has_value());
  EXPECT_EQ(r.steady_frames, 40u);
  EXPECT_TRUE(r.steady_kept_db.has_value());
}

TEST(metricsOnset, ActiveMeansWithinFortyDecibelsOfTheLoudestFrame) {
  // After 200 ms of silence: a word 30 dB down is an onset, one 50 dB down is not speech at all
  // (and the quiet before the loud word counts it as silence).
  const double loud = 0.5, minus30 = loud * std::pow(10.0, -30.0 / 20.0), minus50 = loud * std::pow(10.0, -50.0 / 20.0);
  const auto x = frames_of(repeat(0, 20) + repeat(minus30, 10) + repeat(0, 20) + repeat(minus50, 10) +
                           repeat(loud, 10));
  const auto r = onset_energy_kept(x, x, kRate);
  EXPECT_EQ(r.onsets, 2);            // the -30 dB word and the loud word
  EXPECT_EQ(r.steady_frames, 10u);   // 2 x (10 - 5)
}

TEST(metricsOnset, BadInputThrows) {
  const auto x = frames_of(two_words());
  std::vector<float> nan(x);
  nan[5000] = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> zeros(x.size(), 0.0f), short_clip(100, 0.1f);
  EXPECT_THROW(onset_energy_kept(x, nan, kRate), hush::Error);
  EXPECT_THROW(onset_energy_kept(zeros, x, kRate), hush::Error);
  EXPECT_THROW(onset_energy_kept(short_clip, short_clip, kRate), hush::Error);
  EXPECT_THROW(onset_energy_kept(x, x, 0), hush::Error);
}

TEST(metricsOnset, UsesTheShorterLength) {
  const auto clean = frames_of(two_words());
  const std::vector<float> longer = [&] {
    auto v = clean;
    v.resize(v.size() + 4000, 0.9f);
    return v;
  }();
  const auto r = onset_energy_kept(clean, longer, kRate);
  EXPECT_NEAR(*r.steady_kept_db, 0.0, 1e-9);
}

}  // namespace
