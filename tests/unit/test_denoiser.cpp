// The streaming denoiser's contract: exact reconstruction at 0 dB strength, real attenuation
// of noise, smooth strength changes, caller-owned memory, misuse, no allocation in process.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <vector>

#include "hush.h"

namespace {

constexpr int kRates[] = {8000, 16000, 32000, 44100, 48000};

struct Denoiser {
  hush_denoiser* d = nullptr;
  explicit Denoiser(int rate, float strength_db = 25.0f, int engine = HUSH_ENGINE_DEFAULT) {
    hush_denoiser_config c = hush_denoiser_default_config();
    c.sample_rate_hz = rate;
    c.strength_db = strength_db;
    c.engine = engine;
    EXPECT_EQ(hush_denoiser_create(&c, &d), HUSH_OK);
  }
  ~Denoiser() { hush_denoiser_destroy(d); }
};

std::vector<float> white_noise(std::size_t n, float rms, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, rms);
  std::vector<float> x(n);
  for (auto& v : x) v = dist(rng);
  return x;
}

// Runs a whole signal through frame by frame; returns output and per-frame speech probability.
std::vector<float> run(hush_denoiser* d, const std::vector<float>& x, std::vector<float>* vad = nullptr) {
  const int hop = hush_denoiser_frame_size(d);
  std::vector<float> y(x.size(), 0.0f);
  for (std::size_t i = 0; i + hop <= x.size(); i += hop) {
    const float p = hush_denoiser_process(d, y.data() + i, x.data() + i);
    if (vad) vad->push_back(p);
  }
  return y;
}

double energy(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double e = 0;
  for (std::size_t i = from; i < to && i < x.size(); ++i) e += double(x[i]) * x[i];
  return e / double(to - from);
}

// The engine-independent contract runs for every engine.
class EveryEngine : public ::testing::TestWithParam<int> {};
INSTANTIATE_TEST_SUITE_P(Denoiser, EveryEngine, ::testing::Values(HUSH_ENGINE_NEURAL, HUSH_ENGINE_SPECTRAL),
                         [](const auto& p) { return p.param == HUSH_ENGINE_NEURAL ? "neural" : "spectral"; });

}  // namespace

TEST_P(EveryEngine, ZeroStrengthReconstructsInputDelayedByLatency) {
  for (int rate : kRates) {
    Denoiser dn(rate, 0.0f, GetParam());
    const int latency = hush_denoiser_latency_samples(dn.d);
    ASSERT_GT(latency, 0);
    ASSERT_LE(latency, rate / 50) << "more than 20 ms";  // the product's latency budget
    const auto x = white_noise(std::size_t(rate), 0.1f, 1);
    const auto y = run(dn.d, x);
    double err = 0;
    for (std::size_t i = latency + 1000; i < x.size(); ++i) err = std::max(err, double(std::fabs(y[i] - x[i - latency])));
    EXPECT_LT(err, 1e-5) << rate;
  }
}

TEST_P(EveryEngine, AttenuatesStationaryNoiseByAboutTheStrength) {
  for (int rate : kRates) {
    Denoiser dn(rate, 25.0f, GetParam());
    const auto x = white_noise(std::size_t(rate) * 4, 0.05f, 2);
    std::vector<float> vad;
    const auto y = run(dn.d, x, &vad);
    const double in_e = energy(x, x.size() / 2, x.size());
    const double out_e = energy(y, y.size() / 2, y.size());
    const double reduction_db = 10 * std::log10(in_e / out_e);
    EXPECT_GT(reduction_db, 20.0) << rate;
    EXPECT_LT(reduction_db, 27.0) << rate;  // the floor keeps comfort noise, never silence
    EXPECT_LT(vad.back(), 0.3f) << rate;
  }
}

// A steady tone is speech to the spectral engine (it tracks only slowly varying noise) but
// hum to the neural one, which was trained to remove hum: so this is the spectral contract.
TEST(Denoiser, SpectralKeepsATonalSignalInNoise) {
  const int rate = 16000;
  Denoiser dn(rate, 25.0f, HUSH_ENGINE_SPECTRAL);
  auto x = white_noise(rate * 4, 0.01f, 3);
  std::vector<float> tone(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    tone[i] = (i > std::size_t(rate) * 2) ? 0.2f * std::sin(2.0f * 3.14159265f * 440.0f * float(i) / rate) : 0.0f;
    x[i] += tone[i];
  }
  const auto y = run(dn.d, x);
  const int latency = hush_denoiser_latency_samples(dn.d);
  const double tone_e = energy(tone, rate * 3, rate * 4 - latency);
  const double out_e = energy(y, rate * 3 + latency, rate * 4);
  EXPECT_NEAR(10 * std::log10(out_e / tone_e), 0.0, 1.0);
}

// Voice-like input: a harmonic glide (120-180 Hz fundamental, 19 harmonics) switched on and
// off like syllables, in white noise at 5 dB SNR. Every engine must raise its SI-SDR.
TEST_P(EveryEngine, ImprovesAVoiceLikeSignalInNoise) {
  const int rate = 16000;
  Denoiser dn(rate, 25.0f, GetParam());
  std::vector<float> voice(std::size_t(rate) * 4);
  double phase = 0;
  for (std::size_t i = 0; i < voice.size(); ++i) {
    const double t = double(i) / rate;
    phase += 2 * 3.14159265358979 * (150 + 30 * std::sin(2 * 3.14159265358979 * 0.7 * t)) / rate;
    double v = 0;
    for (int k = 1; k < 20; ++k) v += std::sin(k * phase) / k;
    voice[i] = std::sin(2 * 3.14159265358979 * 1.5 * t) > -0.2 ? float(0.05 * v) : 0.0f;
  }
  auto noise = white_noise(voice.size(), 1.0f, 9);
  const double gain = std::sqrt(energy(voice, 0, voice.size()) / energy(noise, 0, noise.size()) / std::pow(10.0, 0.5));
  std::vector<float> x(voice.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = voice[i] + float(gain) * noise[i];
  const auto y = run(dn.d, x);
  const std::size_t latency = std::size_t(hush_denoiser_latency_samples(dn.d));
  auto si_sdr_db = [&](const std::vector<float>& est, std::size_t shift) {
    double dot = 0, ref_e = 0;
    const std::size_t from = std::size_t(rate), to = voice.size() - latency;  // after 1 s of adaptation
    for (std::size_t i = from; i < to; ++i) {
      dot += double(est[i + shift]) * voice[i];
      ref_e += double(voice[i]) * voice[i];
    }
    const double a = dot / ref_e;
    double target = 0, err = 0;
    for (std::size_t i = from; i < to; ++i) {
      const double s = a * voice[i];
      target += s * s;
      err += (est[i + shift] - s) * (est[i + shift] - s);
    }
    return 10 * std::log10(target / err);
  };
  const double before = si_sdr_db(x, 0), after = si_sdr_db(y, latency);
  EXPECT_GT(after - before, 3.0) << before << " -> " << after;
}

TEST_P(EveryEngine, StrengthChangesWithoutAJump) {
  const int rate = 48000, hop = 480;
  Denoiser dn(rate, 0.0f, GetParam());
  const auto x = white_noise(rate * 3, 0.05f, 4);
  std::vector<float> y(x.size());
  std::vector<double> frame_db;
  for (std::size_t f = 0; (f + 1) * hop <= x.size(); ++f) {
    if (f == 200) {
      ASSERT_EQ(hush_denoiser_set_strength_db(dn.d, 40.0f), HUSH_OK);
    }
    hush_denoiser_process(dn.d, y.data() + f * hop, x.data() + f * hop);
    frame_db.push_back(10 * std::log10(energy(y, f * hop, (f + 1) * hop) + 1e-20));
  }
  // Level before the change ~ input; long after ~ 40 dB lower; no single 10 ms step > 12 dB.
  const double before = frame_db[190], after = frame_db[280];
  EXPECT_GT(before - after, 30.0);
  for (std::size_t f = 195; f < 260; ++f) EXPECT_LT(std::fabs(frame_db[f + 1] - frame_db[f]), 12.0) << f;
}

TEST_P(EveryEngine, CallerOwnedMemoryGivesIdenticalOutput) {
  hush_denoiser_config c = hush_denoiser_default_config();
  c.sample_rate_hz = 16000;
  c.engine = GetParam();
  const long long size = hush_denoiser_get_size(&c);
  ASSERT_GT(size, 0);
  std::vector<std::uint8_t> block(std::size_t(size) + 16);
  void* aligned = reinterpret_cast<void*>((reinterpret_cast<std::uintptr_t>(block.data()) + 15) & ~std::uintptr_t{15});
  hush_denoiser* owned = nullptr;
  EXPECT_EQ(hush_denoiser_init(aligned, std::size_t(size) - 1, &c, &owned), HUSH_ERR_BUFFER_TOO_SMALL);
  ASSERT_EQ(hush_denoiser_init(aligned, std::size_t(size), &c, &owned), HUSH_OK);
  Denoiser heap(16000, 25.0f, GetParam());
  EXPECT_EQ(hush_denoiser_state_bytes(owned), hush_denoiser_state_bytes(heap.d));
  const auto x = white_noise(16000, 0.1f, 5);
  EXPECT_EQ(run(owned, x), run(heap.d, x));
  hush_denoiser_destroy(owned);
}

TEST_P(EveryEngine, ResetForgetsHistory) {
  Denoiser a(16000, 25.0f, GetParam()), b(16000, 25.0f, GetParam());
  const auto x = white_noise(16000, 0.1f, 6);
  run(a.d, white_noise(16000, 0.3f, 7));
  ASSERT_EQ(hush_denoiser_reset(a.d), HUSH_OK);
  EXPECT_EQ(run(a.d, x), run(b.d, x));
}

TEST_P(EveryEngine, NonFiniteInputIsTreatedAsSilence) {
  Denoiser dn(16000, 25.0f, GetParam());
  auto x = white_noise(16000, 0.1f, 8);
  x[100] = std::numeric_limits<float>::quiet_NaN();
  x[5000] = std::numeric_limits<float>::infinity();
  for (float v : run(dn.d, x)) ASSERT_TRUE(std::isfinite(v));
}

TEST(Denoiser, MisuseGetsDocumentedErrors) {
  hush_denoiser* d = nullptr;
  hush_denoiser_config c = hush_denoiser_default_config();
  EXPECT_EQ(hush_denoiser_create(&c, nullptr), HUSH_ERR_INVALID_ARGUMENT);
  for (int rate : {0, -1, 22050, 96000, std::numeric_limits<int>::min()}) {
    c.sample_rate_hz = rate;
    EXPECT_EQ(hush_denoiser_create(&c, &d), HUSH_ERR_UNSUPPORTED_RATE) << rate;
    EXPECT_EQ(d, nullptr);
    EXPECT_EQ(hush_frame_size(rate), HUSH_ERR_UNSUPPORTED_RATE);
  }
  c = hush_denoiser_default_config();
  c.struct_size = 0;
  EXPECT_EQ(hush_denoiser_create(&c, &d), HUSH_ERR_BAD_STRUCT_SIZE);
  c = hush_denoiser_default_config();
  c.engine = 99;
  EXPECT_EQ(hush_denoiser_create(&c, &d), HUSH_ERR_UNKNOWN_ENGINE);
  c = hush_denoiser_default_config();
  c.strength_db = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(hush_denoiser_create(&c, &d), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(hush_denoiser_create(nullptr, &d), HUSH_OK);  // NULL config = defaults
  float frame[480] = {};
  EXPECT_LT(hush_denoiser_process(nullptr, frame, frame), 0.0f);
  EXPECT_LT(hush_denoiser_process(d, nullptr, frame), 0.0f);
  EXPECT_EQ(hush_denoiser_set_strength_db(d, std::numeric_limits<float>::infinity()), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(hush_denoiser_set_strength_db(nullptr, 10.0f), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(hush_denoiser_latency_samples(nullptr), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(hush_denoiser_init(nullptr, 100, nullptr, &d), HUSH_ERR_INVALID_ARGUMENT);
  alignas(16) static std::uint8_t block[64];
  hush_denoiser* tiny = nullptr;
  EXPECT_EQ(hush_denoiser_init(block + 1, 63, nullptr, &tiny), HUSH_ERR_INVALID_ARGUMENT);  // unaligned
  EXPECT_EQ(hush_denoiser_init(block, 64, nullptr, &tiny), HUSH_ERR_BUFFER_TOO_SMALL);
  hush_denoiser_destroy(nullptr);
  hush_denoiser_destroy(d);
  EXPECT_STRNE(hush_strerror(-12345), "");
  EXPECT_STREQ(hush_strerror(HUSH_OK), "success");
}

TEST_P(EveryEngine, StateIsSmall) {
  Denoiser dn(48000, 25.0f, GetParam());
  // Everything one 48 kHz stream holds, FFT plans (and for spectral IMCRA's minimum history)
  // included; the neural model's weights are shared, not per stream. hush-bench speed reports
  // the exact figures; issue 3 caps the neural engine at 64 KB.
  const long long cap = GetParam() == HUSH_ENGINE_NEURAL ? 64 * 1024 : 192 * 1024;
  EXPECT_LT(hush_denoiser_state_bytes(dn.d), cap);
}
