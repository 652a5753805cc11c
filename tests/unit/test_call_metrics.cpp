// Unit tests for what hush-bench call measures (apps/hush-bench/call_metrics.*): ERLE phases,
// convergence, background scores and lag finding, on synthetic signals with known answers.
// The bench app is not linked into tests, so its sources are compiled in here.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "apps/hush-bench/call_metrics.h"
#include "apps/hush-bench/room_sim.h"

namespace {

namespace sim = hush::bench::sim;
using hush::bench::echo_active_frames;
using hush::bench::find_lag;
using hush::bench::phase_erle;

TEST(CallMetrics, ActiveFramesFollowTheEchoLevel) {
  // Loud frames, frames 20 dB down, frames 40 dB down (too quiet), silence.
  std::vector<double> echo;
  for (int i = 0; i < 100; ++i) echo.push_back(1e-2);
  for (int i = 0; i < 100; ++i) echo.push_back(1e-4);
  for (int i = 0; i < 100; ++i) echo.push_back(1e-6);
  for (int i = 0; i < 100; ++i) echo.push_back(0.0);
  const auto active = echo_active_frames(echo, 1e-9);
  EXPECT_TRUE(active[0]);
  EXPECT_TRUE(active[150]);
  EXPECT_FALSE(active[250]);
  EXPECT_FALSE(active[350]);
  // Noise 20 dB below the echo: nothing is far enough above it except the loud frames.
  const auto noisy = echo_active_frames(echo, 1e-5);
  EXPECT_TRUE(noisy[0]);
  EXPECT_FALSE(noisy[150]);
}

TEST(CallMetrics, PhaseErleConvergesWhenTheOutputDropsForGood) {
  // 10 s of active echo; the output falls from 0 dB to 35 dB below the mic after 3 s.
  const std::size_t frames = 1000;
  std::vector<double> mic(frames, 1e-2), echo(frames, 1e-2), out(frames);
  for (std::size_t f = 0; f < frames; ++f) out[f] = f < 300 ? 1e-2 : 1e-2 * std::pow(10.0, -3.5);
  const auto active = echo_active_frames(echo, 1e-8);
  const auto r = phase_erle(mic, out, echo, active, 1e-8, 0, frames);
  EXPECT_NEAR(r.median_db, 35.0, 1e-6);
  EXPECT_NEAR(r.convergence_s, 3.0, 1e-9);
  EXPECT_NEAR(r.min_block_db, 0.0, 1e-6);  // the first 2 s are unconverged
  EXPECT_NEAR(r.ceiling_db, 60.0, 0.01);   // echo 60 dB above the noise
  EXPECT_EQ(r.active_frames, 1000);

  // A relapse at the end means it never converged for good.
  out[990] = 1e-2;
  for (std::size_t f = 950; f < 1000; ++f) out[f] = 1e-2;
  EXPECT_LT(phase_erle(mic, out, echo, active, 1e-8, 0, frames).convergence_s, 0.0);
  // A later phase counts time from its own start.
  for (std::size_t f = 950; f < 1000; ++f) out[f] = 1e-2 * std::pow(10.0, -3.5);
  EXPECT_NEAR(phase_erle(mic, out, echo, active, 1e-8, 100, frames).convergence_s, 2.0, 1e-9);
}

TEST(CallMetrics, FindLagRecoversAKnownDelay) {
  sim::Rng rng(5);
  std::vector<float> x(16000);
  for (auto& v : x) v = static_cast<float>(rng.gaussian());
  const std::vector<float> y = sim::delayed(x, 160);
  const auto lag = find_lag(x, y, 400);
  EXPECT_EQ(lag.samples, 160);
  EXPECT_GT(lag.correlation, 0.98);
  EXPECT_EQ(find_lag(x, x, 400).samples, 0);
}

TEST(CallMetrics, BackgroundScoresSeeAttenuation) {
  // Main talker in the first half, background alone in the second; the "output" keeps the main
  // talker and attenuates the background by 20 dB.
  const int rate = 16000;
  const std::size_t n = 64000;
  sim::Rng rng(9);
  std::vector<float> main(n, 0.0f), bg(n), mix(n), out(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i < n / 2) main[i] = static_cast<float>(0.1 * std::sin(0.05 * double(i)) * (1.0 + 0.5 * std::sin(0.001 * double(i))));
    bg[i] = static_cast<float>(0.001 * rng.gaussian());
    mix[i] = main[i] + bg[i];
    out[i] = main[i] + 0.1f * bg[i];
  }
  const auto s = hush::bench::background_scores(main, bg, mix, out, rate);
  EXPECT_NEAR(s.background_attenuation_db, 20.0, 0.01);
  EXPECT_NEAR(s.main_level_change_db, 0.0, 0.01);
  EXPECT_GT(s.si_sdr_out_db, s.si_sdr_mix_db + 10.0);
  EXPECT_GT(s.background_frames, 150);
  EXPECT_GT(s.main_frames, 150);
}

TEST(CallMetrics, MedianIgnoresMissingValues) {
  EXPECT_EQ(hush::bench::median({3.0, 1.0, 2.0}), 2.0);
  EXPECT_EQ(hush::bench::median({4.0, 1.0, 2.0, 3.0}), 2.5);
  EXPECT_EQ(hush::bench::median({std::nan(""), 5.0}), 5.0);
  EXPECT_TRUE(std::isnan(hush::bench::median({})));
}

}  // namespace
