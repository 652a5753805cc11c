// The two-way call pipeline through its C API: validation, echo removal by both cancellers (and
// none without one), the reference-queue contract, hostile samples, the voice gate, the
// background-voice stage, latency, and live controls from another thread.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "audio/audio_file.h"
#include "hush.h"

namespace {

namespace fs = std::filesystem;

struct CallDeleter {
  void operator()(hush_call* c) const noexcept { hush_call_destroy(c); }
};
using CallPtr = std::unique_ptr<hush_call, CallDeleter>;

CallPtr make_call(hush_call_config config) {
  hush_call* raw = nullptr;
  const int err = hush_call_create(&config, &raw);
  EXPECT_EQ(err, HUSH_OK) << hush_strerror(err);
  return CallPtr(raw);
}

// The pipeline with only the stage under test switched on.
hush_call_config bare_config(int rate_hz, int aec) {
  hush_call_config c = hush_call_default_config();
  c.sample_rate_hz = rate_hz;
  c.echo_canceller = aec;
  c.capture_strength_db = 0.0f;
  c.render_strength_db = 0.0f;
  c.agc = 0;
  return c;
}

double energy_db(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double e = 0.0;
  for (std::size_t i = from; i < to && i < x.size(); ++i) e += double(x[i]) * x[i];
  return 10.0 * std::log10(e / double(to - from) + 1e-20);
}

// Speech-shaped far-end test signal: noise with a syllable-rate envelope.
std::vector<float> far_end_signal(std::size_t n, int rate_hz, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / rate_hz;
    x[i] = noise(rng) * float(0.6 + 0.4 * std::sin(2.0 * M_PI * 4.0 * t));
  }
  return x;
}

// A room-like echo path: a delayed, decaying random impulse response.
std::vector<float> echo_of(const std::vector<float>& far, int rate_hz, int delay_ms) {
  std::mt19937 rng(7);
  std::normal_distribution<float> g(0.0f, 1.0f);
  const std::size_t taps = static_cast<std::size_t>(rate_hz / 20);  // 50 ms tail
  std::vector<float> ir(taps);
  for (std::size_t k = 0; k < taps; ++k) ir[k] = 0.3f * g(rng) * std::exp(-float(k) / (rate_hz * 0.01f));
  ir[0] = 0.8f;
  const std::size_t delay = static_cast<std::size_t>(rate_hz / 1000 * delay_ms);
  std::vector<float> echo(far.size(), 0.0f);
  for (std::size_t i = delay; i < far.size(); ++i) {
    float acc = 0.0f;
    for (std::size_t k = 0; k < taps && k <= i - delay; ++k) acc += ir[k] * far[i - delay - k];
    echo[i] = 0.5f * acc;
  }
  return echo;
}

// Runs the capture path over `mic` with `far` queued frame by frame (when non-empty).
std::vector<float> run_capture(hush_call* call, const std::vector<float>& mic, const std::vector<float>& far) {
  const int frame = hush_call_frame_size(call);
  std::vector<float> out(mic.size(), 0.0f);
  for (std::size_t start = 0; start + frame <= mic.size(); start += frame) {
    if (!far.empty()) {
      EXPECT_EQ(hush_call_analyze_render(call, far.data() + start), HUSH_OK);
    }
    EXPECT_GE(hush_call_process_capture(call, out.data() + start, mic.data() + start), 0.0f);
  }
  return out;
}

std::vector<float> speech_16k(const std::string& speaker, double seconds) {
  const fs::path dir = fs::path(HUSH_DATA_DIR) / "speech" / "librispeech-mini" / speaker;
  if (!fs::exists(dir)) return {};
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() == ".flac") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<float> x;
  for (const auto& f : files) {
    const hush::audio::AudioBuffer b = hush::audio::read_audio(f.string());
    const std::vector<float> c = b.channel(0);
    x.insert(x.end(), c.begin(), c.end());
    if (x.size() >= seconds * 16000) break;
  }
  x.resize(static_cast<std::size_t>(seconds * 16000), 0.0f);
  return x;
}

void scale_to_db(std::vector<float>& x, double target_db) {
  const double now = energy_db(x, 0, x.size());
  const float g = static_cast<float>(std::pow(10.0, (target_db - now) / 20.0));
  for (float& v : x) v *= g;
}

}  // namespace

TEST(Call, RejectsBadConfigs) {
  hush_call* call = nullptr;
  hush_call_config c = hush_call_default_config();
  c.sample_rate_hz = 22050;
  EXPECT_EQ(hush_call_create(&c, &call), HUSH_ERR_UNSUPPORTED_RATE);
  c = hush_call_default_config();
  c.echo_canceller = 99;
  EXPECT_EQ(hush_call_create(&c, &call), HUSH_ERR_INVALID_ARGUMENT);
  c = hush_call_default_config();
  c.echo_delay_ms = HUSH_CALL_MAX_ECHO_DELAY_MS + 1;
  EXPECT_EQ(hush_call_create(&c, &call), HUSH_ERR_INVALID_ARGUMENT);
  c = hush_call_default_config();
  c.capture_strength_db = NAN;
  EXPECT_EQ(hush_call_create(&c, &call), HUSH_ERR_INVALID_ARGUMENT);
  c = hush_call_default_config();
  c.struct_size = 8;
  EXPECT_EQ(hush_call_create(&c, &call), HUSH_ERR_BAD_STRUCT_SIZE);
  EXPECT_EQ(hush_call_create(nullptr, nullptr), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(call, nullptr);
  EXPECT_LT(hush_call_process_capture(nullptr, nullptr, nullptr), 0.0f);
  EXPECT_EQ(hush_call_analyze_render(nullptr, nullptr), HUSH_ERR_INVALID_ARGUMENT);
  hush_call_destroy(nullptr);
}

TEST(Call, EveryRateAndCancellerRuns) {
  for (int aec : {HUSH_AEC_OFF, HUSH_AEC_WEBRTC, HUSH_AEC_SPEEX}) {
    for (int rate : {8000, 16000, 32000, 44100, 48000}) {
      hush_call_config c = hush_call_default_config();
      c.sample_rate_hz = rate;
      c.echo_canceller = aec;
      c.engine = HUSH_ENGINE_SPECTRAL;  // fast; the neural path is covered below
      CallPtr call = make_call(c);
      ASSERT_TRUE(call);
      EXPECT_EQ(hush_call_frame_size(call.get()), rate / 100);
      const std::vector<float> far = far_end_signal(static_cast<std::size_t>(rate), rate, 1);
      const std::vector<float> out = run_capture(call.get(), echo_of(far, rate, 20), far);
      for (float v : out) ASSERT_TRUE(std::isfinite(v));
      hush_call_stats stats{};
      stats.struct_size = sizeof stats;
      ASSERT_EQ(hush_call_get_stats(call.get(), &stats), HUSH_OK);
      EXPECT_EQ(stats.echo_canceller, aec);
      EXPECT_EQ(stats.capture_frames, 100);
    }
  }
}

TEST(Call, DefaultCancellerIsARealOne) {
  hush_call* from_null = nullptr;  // a NULL config means the defaults
  ASSERT_EQ(hush_call_create(nullptr, &from_null), HUSH_OK);
  CallPtr calls[] = {make_call(hush_call_default_config()), CallPtr(from_null)};
  for (const CallPtr& call : calls) {
    hush_call_stats stats{};
    stats.struct_size = sizeof stats;
    ASSERT_EQ(hush_call_get_stats(call.get(), &stats), HUSH_OK);
    EXPECT_EQ(stats.echo_canceller, HUSH_AEC_WEBRTC);
    EXPECT_EQ(hush_call_frame_size(call.get()), 480);
  }
}

// Each canceller removes most of a linear echo; without one the echo passes unchanged, which
// shows the measurement can fail.
TEST(Call, CancellersRemoveEcho) {
  const int rate = 16000;
  const std::vector<float> far = far_end_signal(8 * rate, rate, 2);
  const std::vector<float> mic = echo_of(far, rate, 40);
  const double mic_db = energy_db(mic, 5 * rate, 8 * rate);
  for (int aec : {HUSH_AEC_WEBRTC, HUSH_AEC_SPEEX, HUSH_AEC_OFF}) {
    CallPtr call = make_call(bare_config(rate, aec));
    const std::vector<float> out = run_capture(call.get(), mic, far);
    const double removed_db = mic_db - energy_db(out, 5 * rate, 8 * rate);
    if (aec == HUSH_AEC_OFF) {
      EXPECT_LT(std::fabs(removed_db), 1.0) << "no canceller";
    } else {
      EXPECT_GT(removed_db, 15.0) << "canceller " << aec;
      hush_call_stats stats{};
      stats.struct_size = sizeof stats;
      ASSERT_EQ(hush_call_get_stats(call.get(), &stats), HUSH_OK);
      EXPECT_GT(stats.echo_return_loss_enhancement_db, 10.0f);
      EXPECT_EQ(stats.reference_missing, 0);
    }
  }
}

TEST(Call, MissingReferenceIsSilenceAndCounted) {
  const int rate = 16000;
  CallPtr call = make_call(bare_config(rate, HUSH_AEC_WEBRTC));
  const std::vector<float> mic = far_end_signal(rate, rate, 3);
  const std::vector<float> out = run_capture(call.get(), mic, {});
  hush_call_stats stats{};
  stats.struct_size = sizeof stats;
  ASSERT_EQ(hush_call_get_stats(call.get(), &stats), HUSH_OK);
  EXPECT_EQ(stats.reference_missing, 100);
  // With a silent reference nothing is cancelled: the near end passes (high-pass aside).
  EXPECT_NEAR(energy_db(out, rate / 2, rate), energy_db(mic, rate / 2, rate), 1.5);
}

// The playback thread runs behind: each reference frame arrives three capture frames late. The
// first captures find nothing (counted, treated as silence), and since the echo path (40 ms)
// is longer than the lag, the canceller still removes the echo once it has adapted.
TEST(Call, LateReferenceIsCountedAndStillCancelled) {
  const int rate = 16000, frame = 160, late_frames = 3;
  const std::vector<float> far = far_end_signal(8 * rate, rate, 8);
  const std::vector<float> mic = echo_of(far, rate, 40);
  CallPtr call = make_call(bare_config(rate, HUSH_AEC_WEBRTC));
  std::vector<float> out(mic.size(), 0.0f);
  for (std::size_t f = 0; (f + 1) * frame <= mic.size(); ++f) {
    if (f >= late_frames) {
      ASSERT_EQ(hush_call_analyze_render(call.get(), far.data() + (f - late_frames) * frame), HUSH_OK);
    }
    ASSERT_GE(hush_call_process_capture(call.get(), out.data() + f * frame, mic.data() + f * frame), 0.0f);
  }
  hush_call_stats stats{};
  stats.struct_size = sizeof stats;
  ASSERT_EQ(hush_call_get_stats(call.get(), &stats), HUSH_OK);
  EXPECT_EQ(stats.reference_missing, late_frames);
  EXPECT_GT(energy_db(mic, 5 * rate, 8 * rate) - energy_db(out, 5 * rate, 8 * rate), 15.0);
}

TEST(Call, ReferenceQueueIsBounded) {
  const int rate = 16000, frame = 160;
  CallPtr call = make_call(bare_config(rate, HUSH_AEC_SPEEX));
  std::vector<float> played(frame, 0.1f), out(frame);
  const int max_frames = HUSH_CALL_MAX_ECHO_DELAY_MS / 10;
  for (int i = 0; i < 3 * max_frames; ++i) (void)hush_call_analyze_render(call.get(), played.data());
  (void)hush_call_process_capture(call.get(), out.data(), played.data());
  hush_call_stats stats{};
  stats.struct_size = sizeof stats;
  ASSERT_EQ(hush_call_get_stats(call.get(), &stats), HUSH_OK);
  // max_frames stay queued (one was just used): the rest were dropped, oldest first.
  EXPECT_EQ(stats.reference_dropped, 3 * max_frames - max_frames);
  EXPECT_EQ(stats.reference_missing, 0);
}

TEST(Call, HostileSamplesStayFinite) {
  for (int aec : {HUSH_AEC_WEBRTC, HUSH_AEC_SPEEX, HUSH_AEC_OFF}) {
    hush_call_config c = hush_call_default_config();
    c.sample_rate_hz = 16000;
    c.echo_canceller = aec;
    c.background_voice_db = 20.0f;
    c.voice_gate_grace_ms = 100;
    CallPtr call = make_call(c);
    std::vector<float> frame(160), out(160);
    const float hostile[] = {NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 1e-40f, -1e-39f, 0.5f};
    for (int f = 0; f < 200; ++f) {
      for (int i = 0; i < 160; ++i) frame[i] = hostile[(i + f) % 8];
      ASSERT_EQ(hush_call_analyze_render(call.get(), frame.data()), HUSH_OK);
      ASSERT_EQ(hush_call_process_render(call.get(), out.data(), frame.data()), HUSH_OK);
      for (float v : out) ASSERT_TRUE(std::isfinite(v));
      ASSERT_GE(hush_call_process_capture(call.get(), out.data(), frame.data()), 0.0f);
      for (float v : out) ASSERT_TRUE(std::isfinite(v)) << "aec " << aec;
    }
  }
}

TEST(Call, CaptureLatencyIsWhatItSays) {
  for (int aec : {HUSH_AEC_OFF, HUSH_AEC_WEBRTC, HUSH_AEC_SPEEX})
  for (int agc : {0, 1})
  for (int rate : {16000, 48000}) {
    hush_call_config c = bare_config(rate, aec);
    c.agc = agc;
    CallPtr call = make_call(c);
    std::vector<float> mic(static_cast<std::size_t>(rate), 0.0f);
    const std::size_t click = static_cast<std::size_t>(rate / 2);
    mic[click] = 0.5f;
    const std::vector<float> out = run_capture(call.get(), mic, {});
    std::size_t peak = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (std::fabs(out[i]) > std::fabs(out[peak])) peak = i;
    }
    EXPECT_NEAR(double(peak), double(click + hush_call_capture_latency_samples(call.get())), 2.0)
        << rate << " Hz, echo canceller " << aec << ", agc " << agc;
    // 10 ms of noise engine, plus what the canceller and the AGC add: at most 12 ms more.
    EXPECT_LE(hush_call_capture_latency_samples(call.get()), rate / 1000 * 22);
  }
}

TEST(Call, VoiceGateMutesAfterGracePeriod) {
  std::vector<float> mic = speech_16k("6272", 3.0);
  if (mic.empty()) GTEST_SKIP() << "no speech data in " << HUSH_DATA_DIR;
  scale_to_db(mic, -25.0);
  std::mt19937 rng(4);
  std::normal_distribution<float> hiss(0.0f, 0.01f);  // -40 dBFS between phrases
  for (int i = 0; i < 3 * 16000; ++i) mic.push_back(hiss(rng));
  auto run = [&](int grace_ms) {
    hush_call_config c = bare_config(16000, HUSH_AEC_OFF);
    c.voice_gate_grace_ms = grace_ms;
    CallPtr call = make_call(c);
    return run_capture(call.get(), mic, {});
  };
  const std::vector<float> open = run(0), gated = run(300);
  // The noise after the speech: gated to about -60 dB once the grace period is over.
  EXPECT_LT(energy_db(gated, 4 * 16000, 6 * 16000), energy_db(open, 4 * 16000, 6 * 16000) - 40.0);
  // The speech itself passes.
  EXPECT_NEAR(energy_db(gated, 8000, 3 * 16000), energy_db(open, 8000, 3 * 16000), 1.0);
}

TEST(Call, BackgroundVoicesQuieterThanTheUserAreAttenuated) {
  std::vector<float> main_talker = speech_16k("6272", 4.0);
  std::vector<float> other = speech_16k("7367", 4.0);
  if (main_talker.empty() || other.empty()) GTEST_SKIP() << "no speech data in " << HUSH_DATA_DIR;
  scale_to_db(main_talker, -22.0);
  scale_to_db(other, -37.0);  // 15 dB below the user
  std::vector<float> mic = main_talker;
  mic.insert(mic.end(), other.begin(), other.end());
  auto run = [&](float attenuation_db) {
    hush_call_config c = bare_config(16000, HUSH_AEC_OFF);
    c.background_voice_db = attenuation_db;
    CallPtr call = make_call(c);
    return run_capture(call.get(), mic, {});
  };
  const std::vector<float> off = run(0.0f), on = run(20.0f);
  const std::size_t split = main_talker.size();
  EXPECT_LT(energy_db(on, split + 8000, mic.size()), energy_db(off, split + 8000, mic.size()) - 10.0);
  EXPECT_NEAR(energy_db(on, 8000, split), energy_db(off, 8000, split), 1.5);
}

TEST(Call, AgcBringsQuietSpeechUp) {
  std::vector<float> mic = speech_16k("6272", 6.0);
  if (mic.empty()) GTEST_SKIP() << "no speech data in " << HUSH_DATA_DIR;
  scale_to_db(mic, -45.0);
  hush_call_config c = bare_config(16000, HUSH_AEC_OFF);
  c.agc = 1;
  CallPtr call = make_call(c);
  const std::vector<float> out = run_capture(call.get(), mic, {});
  EXPECT_GT(energy_db(out, 3 * 16000, 6 * 16000), energy_db(mic, 3 * 16000, 6 * 16000) + 6.0);
  hush_call_stats stats{};
  stats.struct_size = sizeof stats;
  ASSERT_EQ(hush_call_get_stats(call.get(), &stats), HUSH_OK);
  EXPECT_GT(stats.agc_gain_db, 6.0f);
}

// Playback and capture on their own threads, controls changed from a third.
TEST(Call, RenderAndCaptureThreadsRunConcurrently) {
  hush_call_config c = hush_call_default_config();
  c.sample_rate_hz = 16000;
  c.engine = HUSH_ENGINE_SPECTRAL;
  CallPtr call = make_call(c);
  std::atomic<bool> stop{false};
  std::thread playback([&] {
    std::vector<float> f = far_end_signal(160, 16000, 5), out(160);
    while (!stop.load()) {
      (void)hush_call_process_render(call.get(), out.data(), f.data());
      (void)hush_call_analyze_render(call.get(), out.data());
      std::this_thread::yield();
    }
  });
  std::thread controls([&] {
    for (int i = 0; !stop.load(); ++i) {
      (void)hush_call_set_capture_strength_db(call.get(), float(i % 40));
      (void)hush_call_set_background_voice_db(call.get(), float(i % 30));
      (void)hush_call_set_voice_gate_grace_ms(call.get(), i % 2 ? 0 : 200);
      std::this_thread::yield();
    }
  });
  std::vector<float> mic = far_end_signal(160, 16000, 6), out(160);
  for (int i = 0; i < 500; ++i) {
    ASSERT_GE(hush_call_process_capture(call.get(), out.data(), mic.data()), 0.0f);
    for (float v : out) ASSERT_TRUE(std::isfinite(v));
  }
  stop = true;
  playback.join();
  controls.join();
  EXPECT_EQ(hush_call_reset(call.get()), HUSH_OK);
}
