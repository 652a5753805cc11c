// Unit tests for hush-bench's acoustic simulator (apps/hush-bench/room_sim.*), on synthetic
// signals. The simulator lives in the bench app, which tests do not link, so its one source
// file is compiled into this test directly.

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "apps/hush-bench/room_sim.h"
#include "util/error.h"

namespace {

namespace sim = hush::bench::sim;
constexpr double kPi = std::numbers::pi;

std::vector<float> sine(double freq_hz, double amplitude, int rate_hz, std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amplitude * std::sin(2.0 * kPi * freq_hz * double(i) / rate_hz));
  return x;
}

double rms_db(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double s = 0;
  for (std::size_t i = from; i < to; ++i) s += double(x[i]) * x[i];
  return 10.0 * std::log10(s / double(to - from));
}

TEST(RoomSim, RngIsDeterministicAndInRange) {
  sim::Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const double u = a.uniform(2.0, 3.0);
    EXPECT_EQ(u, b.uniform(2.0, 3.0));
    EXPECT_GE(u, 2.0);
    EXPECT_LT(u, 3.0);
    differs = differs || u != c.uniform(2.0, 3.0);
  }
  EXPECT_TRUE(differs);
  double sum = 0, sum2 = 0;
  for (int i = 0; i < 20000; ++i) {
    const double g = a.gaussian();
    sum += g, sum2 += g * g;
  }
  EXPECT_NEAR(sum / 20000, 0.0, 0.03);
  EXPECT_NEAR(sum2 / 20000, 1.0, 0.05);
}

TEST(RoomSim, RandomRoomsAndPlacementsStayInRange) {
  sim::Rng rng(7);
  for (int i = 0; i < 200; ++i) {
    const sim::Room room = sim::random_room(rng);
    EXPECT_GE(room.size_m[0], 3.0);
    EXPECT_LE(room.size_m[1], 8.0);
    EXPECT_GE(room.rt60_s, 0.2);
    EXPECT_LE(room.rt60_s, 0.7);
    const sim::Point a = sim::random_point(rng, room);
    const sim::Point b = sim::random_point_near(rng, room, a, 0.3, 1.5);
    EXPECT_GE(sim::distance_m(a, b), 0.3);
    EXPECT_LE(sim::distance_m(a, b), 1.5);
    for (int d = 0; d < 3; ++d) {
      EXPECT_GT(b[d], 0.29);
      EXPECT_LT(b[d], room.size_m[d] - 0.29);
    }
  }
  sim::Room tiny{{1.0, 1.0, 1.0}, 0.3};
  const sim::Point centre{0.5, 0.5, 0.5};
  EXPECT_THROW(sim::random_point_near(rng, tiny, centre, 5.0, 6.0), hush::Error);
}

TEST(RoomSim, ImageSourceDirectPathAndDecay) {
  const int rate = 16000;
  const sim::Room room{{6.0, 5.0, 3.0}, 0.5};
  const sim::Point src{2.0, 2.0, 1.5}, mic{3.0, 2.0, 1.5};  // 1 m apart
  const std::vector<float> h = sim::image_source_rir(room, src, mic, rate, sim::rir_length_s(room));
  ASSERT_EQ(h.size(), std::size_t(sim::rir_length_s(room) * rate));
  // The direct path is the largest tap, 1 m / 343 m/s = 46.6 samples after 0.
  std::size_t peak = 0;
  for (std::size_t i = 0; i < h.size(); ++i)
    if (std::abs(h[i]) > std::abs(h[peak])) peak = i;
  EXPECT_NEAR(double(peak), 1.0 / 343.0 * rate, 1.0);
  EXPECT_FLOAT_EQ(std::abs(h[peak]), 1.0f);
  for (std::size_t i = 0; i + 5 < std::size_t(1.0 / 343.0 * rate); ++i) EXPECT_LT(std::abs(h[i]), 0.02f) << i;

  // Schroeder backward integration: the -5..-25 dB slope, extrapolated to 60 dB, is the RT60
  // (image-source rooms with Sabine absorption land near the requested value).
  std::vector<double> energy(h.size() + 1, 0.0);
  for (std::size_t i = h.size(); i-- > 0;) energy[i] = energy[i + 1] + double(h[i]) * h[i];
  auto time_at_db = [&](double level_db) {
    for (std::size_t i = 0; i < h.size(); ++i)
      if (10.0 * std::log10(energy[i] / energy[0]) <= level_db) return double(i) / rate;
    return double(h.size()) / rate;
  };
  const double rt60 = 3.0 * (time_at_db(-25.0) - time_at_db(-5.0));
  EXPECT_GT(rt60, 0.5 * room.rt60_s);
  EXPECT_LT(rt60, 1.5 * room.rt60_s);

  // A farther microphone hears relatively more reverberation.
  const sim::Point far_mic{5.5, 4.5, 1.5};
  const std::vector<float> h_far = sim::image_source_rir(room, src, far_mic, rate, sim::rir_length_s(room));
  double e_near = 0, e_far = 0;
  for (float v : h) e_near += double(v) * v;
  for (float v : h_far) e_far += double(v) * v;
  EXPECT_GT(e_far, e_near);  // both are peak-normalised to the direct path
}

TEST(RoomSim, ImageSourceRejectsBadInput) {
  const sim::Room room{{4.0, 4.0, 3.0}, 0.4};
  const sim::Point inside{1.0, 1.0, 1.0}, outside{5.0, 1.0, 1.0};
  EXPECT_THROW(sim::image_source_rir(room, outside, inside, 16000, 0.3), hush::Error);
  EXPECT_THROW(sim::image_source_rir(room, inside, outside, 16000, 0.3), hush::Error);
  EXPECT_THROW(sim::image_source_rir(room, inside, {2.0, 2.0, 2.0}, 0, 0.3), hush::Error);
  EXPECT_THROW(sim::image_source_rir(room, inside, {2.0, 2.0, 2.0}, 16000, -1.0), hush::Error);
}

TEST(RoomSim, ConvolveMatchesDirectSum) {
  sim::Rng rng(3);
  std::vector<float> x(5000), h(700);
  for (auto& v : x) v = static_cast<float>(rng.gaussian());
  for (auto& v : h) v = static_cast<float>(rng.gaussian() * 0.05);
  const std::vector<float> y = sim::convolve(x, h);
  ASSERT_EQ(y.size(), x.size());
  for (std::size_t n = 0; n < x.size(); n += 37) {
    double s = 0;
    for (std::size_t k = 0; k < h.size() && k <= n; ++k) s += double(h[k]) * x[n - k];
    EXPECT_NEAR(y[n], s, 2e-3) << n;
  }
  EXPECT_TRUE(sim::convolve({}, h).empty());
}

TEST(RoomSim, DelayAndDrift) {
  const int rate = 16000;
  const std::vector<float> x = sine(440.0, 0.5, rate, 32000);
  const std::vector<float> d = sim::delayed(x, 100);
  ASSERT_EQ(d.size(), x.size());
  EXPECT_EQ(d[99], 0.0f);
  EXPECT_EQ(d[100], x[0]);
  EXPECT_EQ(d[5000], x[4900]);

  // No drift reproduces the input; 1000 ppm reads the signal 0.1% faster.
  const std::vector<float> same = sim::drifted(x, 0.0);
  for (std::size_t i = 100; i < x.size() - 100; i += 101) EXPECT_NEAR(same[i], x[i], 1e-3) << i;
  const std::vector<float> fast = sim::drifted(x, 1000.0);
  for (std::size_t i = 100; i < 30000; i += 101)
    EXPECT_NEAR(fast[i], 0.5 * std::sin(2.0 * kPi * 440.0 * double(i) * 1.001 / rate), 2e-3) << i;
}

TEST(RoomSim, LoudspeakerClipsAndRollsOffBass) {
  const int rate = 16000;
  const std::vector<float> x = sine(1000.0, 0.5, rate, 16000);
  EXPECT_EQ(sim::loudspeaker(x, 0.0, 0.0, rate), x);
  const double mild = sim::nonlinear_distortion_db(x, sim::loudspeaker(x, 2.0, 0.0, rate));
  const double strong = sim::nonlinear_distortion_db(x, sim::loudspeaker(x, 6.0, 0.0, rate));
  EXPECT_LT(mild, -10.0);
  EXPECT_GT(strong, mild + 5.0);
  EXPECT_LE(sim::nonlinear_distortion_db(x, x), -100.0);
  // 2nd-order high-pass at 200 Hz: 50 Hz (two octaves down) loses ~24 dB, 2 kHz passes.
  const std::vector<float> low = sine(50.0, 0.5, rate, 32000), high = sine(2000.0, 0.5, rate, 32000);
  const auto low_out = sim::loudspeaker(low, 0.0, 200.0, rate), high_out = sim::loudspeaker(high, 0.0, 200.0, rate);
  EXPECT_LT(rms_db(low_out, 16000, 32000) - rms_db(low, 16000, 32000), -20.0);
  EXPECT_NEAR(rms_db(high_out, 16000, 32000) - rms_db(high, 16000, 32000), 0.0, 0.2);
}

TEST(RoomSim, LevelsAndNoise) {
  const int rate = 16000;
  std::vector<float> x = sine(300.0, 0.1, rate, 16000);
  const double expected = 20.0 * std::log10(0.1 / std::sqrt(2.0));
  EXPECT_NEAR(sim::active_level_dbfs(x, rate), expected, 0.1);
  x.resize(64000, 0.0f);  // pauses do not lower the active level
  EXPECT_NEAR(sim::active_level_dbfs(x, rate), expected, 0.1);
  EXPECT_EQ(sim::active_level_dbfs(std::vector<float>(1600, 0.0f), rate), -200.0);
  EXPECT_EQ(sim::frame_powers(x, rate).size(), 400u);

  sim::Rng rng(11);
  const std::vector<float> n = sim::mic_noise(48000, -60.0, rng);
  EXPECT_NEAR(rms_db(n, 0, n.size()), -60.0, 0.1);
}

}  // namespace
