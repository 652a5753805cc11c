// The LADSPA plugin (plugins/ladspa, hush_ladspa.so), loaded with dlopen the way a host loads
// it: its descriptors and ports, sample-exact agreement with the library's call pipeline,
// independence from the host's block sizes, rates the library does not run at, hostile input,
// and a run() that allocates nothing. (Real hosts -- sox, applyplugin -- are driven by
// tests/integration/cli_ladspa.sh.)
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <ladspa.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <numbers>
#include <string>
#include <vector>

#include "hush.h"

#include "allocation_counter.h"  // g_allocations, g_counting

namespace {

const std::string kPluginDir = HUSH_BINARY_DIR "/plugins/ladspa";
const std::string kPluginPath = kPluginDir + "/hush_ladspa.so";
constexpr int kNativeRates[] = {8000, 16000, 32000, 44100, 48000};

bool exists(const std::string& path) {
  struct stat st{};
  return stat(path.c_str(), &st) == 0;
}

// The plugin library, loaded once per test process.
void* plugin_library() {
  static void* handle = dlopen(kPluginPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  return handle;
}

const LADSPA_Descriptor* find_plugin(const std::string& label) {
  auto* entry = reinterpret_cast<LADSPA_Descriptor_Function>(dlsym(plugin_library(), "ladspa_descriptor"));
  if (!entry) return nullptr;
  for (unsigned long i = 0; const LADSPA_Descriptor* d = entry(i); ++i) {
    if (label == d->Label) return d;
  }
  return nullptr;
}

// Skips when this build has no plugins (HUSH_BUILD_TOOLS off); fails when it should have one.
#define REQUIRE_PLUGIN()                                                                      \
  do {                                                                                        \
    if (!exists(kPluginDir)) GTEST_SKIP() << "plugins not configured in this build";          \
    ASSERT_TRUE(exists(kPluginPath)) << kPluginPath << " missing: build target hush_ladspa";  \
    ASSERT_NE(plugin_library(), nullptr) << dlerror();                                        \
  } while (0)

// A minimal LADSPA host: one instance, controls in port order, blocks as asked.
class Host {
 public:
  Host(const std::string& label, unsigned long rate_hz, std::vector<float> controls)
      : descriptor_(find_plugin(label)), controls_(std::move(controls)) {
    if (!descriptor_) return;
    handle_ = descriptor_->instantiate(descriptor_, rate_hz);
    if (!handle_) return;
    for (unsigned long p = 0, c = 0; p < descriptor_->PortCount; ++p) {
      const LADSPA_PortDescriptor port = descriptor_->PortDescriptors[p];
      if (LADSPA_IS_PORT_CONTROL(port) && LADSPA_IS_PORT_INPUT(port)) {
        descriptor_->connect_port(handle_, p, &controls_.at(c++));
      } else if (LADSPA_IS_PORT_CONTROL(port)) {
        descriptor_->connect_port(handle_, p, &latency_);
      }
    }
    descriptor_->activate(handle_);
  }
  ~Host() {
    if (handle_) descriptor_->cleanup(handle_);
  }
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  bool ok() const { return handle_ != nullptr; }
  int latency() const { return int(latency_); }
  void set_control(std::size_t index, float value) { controls_.at(index) = value; }
  void activate() { descriptor_->activate(handle_); }

  // One run() on caller buffers (may be the same buffer).
  void run_block(const float* in, float* out, unsigned long n) {
    descriptor_->connect_port(handle_, 0, const_cast<float*>(in));
    descriptor_->connect_port(handle_, 1, out);
    descriptor_->run(handle_, n);
  }

  // The whole signal, cut into blocks of the given sizes (cycled), copied through host-owned
  // buffers as a real host would.
  std::vector<float> process(const std::vector<float>& in, const std::vector<unsigned long>& blocks) {
    std::vector<float> out(in.size());
    std::vector<float> in_block, out_block;
    for (std::size_t at = 0, b = 0; at < in.size(); ++b) {
      const unsigned long n = std::min<unsigned long>(blocks[b % blocks.size()], in.size() - at);
      in_block.assign(in.begin() + long(at), in.begin() + long(at + n));
      out_block.assign(n, -7.0f);
      run_block(in_block.data(), out_block.data(), n);
      std::copy(out_block.begin(), out_block.end(), out.begin() + long(at));
      at += n;
    }
    return out;
  }

 private:
  const LADSPA_Descriptor* descriptor_ = nullptr;
  LADSPA_Handle handle_ = nullptr;
  std::vector<float> controls_;
  float latency_ = -1.0f;
};

// Voice-like test audio: a 140 Hz harmonic tone that comes and goes (syllables and pauses)
// over white noise, deterministic.
std::vector<float> voice_and_noise(int rate_hz, double seconds, float noise_level = 0.02f) {
  std::vector<float> x(std::size_t(rate_hz * seconds));
  unsigned seed = 12345;
  for (std::size_t t = 0; t < x.size(); ++t) {
    const double time = double(t) / rate_hz;
    const double in_cycle = std::fmod(time, 0.7);  // 0.45 s syllable, 0.25 s pause
    const double syllable = in_cycle < 0.45 ? std::sin(std::numbers::pi * in_cycle / 0.45) : 0.0;
    double voice = 0.0;
    for (int h = 1; h <= 12 && 140.0 * h < rate_hz / 2.0; ++h) {
      voice += std::sin(2.0 * std::numbers::pi * 140.0 * h * time) / h;
    }
    seed = seed * 1103515245u + 12345u;
    const float noise = float(int(seed >> 8) % 2001 - 1000) / 1000.0f;
    x[t] = float(0.15 * syllable * voice) + noise_level * noise;
  }
  return x;
}

std::vector<float> white_noise(int rate_hz, double seconds, float level) {
  std::vector<float> x(std::size_t(rate_hz * seconds));
  unsigned seed = 777;
  for (auto& v : x) {
    seed = seed * 1103515245u + 12345u;
    v = level * float(int(seed >> 8) % 2001 - 1000) / 1000.0f;
  }
  return x;
}

double rms(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double sum = 0.0;
  for (std::size_t t = from; t < to; ++t) sum += double(x[t]) * x[t];
  return std::sqrt(sum / double(std::max<std::size_t>(1, to - from)));
}

// The library's capture path on the same input, frame by frame from sample 0 (raw, i.e.
// still delayed by the call's own latency).
std::vector<float> call_capture(const std::vector<float>& in, int rate_hz, float strength_db,
                                float background_db, int gate_ms) {
  hush_call_config config = hush_call_default_config();
  config.sample_rate_hz = rate_hz;
  config.echo_canceller = HUSH_AEC_OFF;
  config.capture_strength_db = strength_db;
  config.background_voice_db = background_db;
  config.voice_gate_grace_ms = gate_ms;
  hush_call* call = nullptr;
  if (hush_call_create(&config, &call) != HUSH_OK) return {};
  const auto frame = std::size_t(hush_call_frame_size(call));
  std::vector<float> out(in.size() / frame * frame);
  for (std::size_t at = 0; at < out.size(); at += frame) {
    (void)hush_call_process_capture(call, &out[at], &in[at]);
  }
  hush_call_destroy(call);
  return out;
}

std::vector<float> denoiser_output(const std::vector<float>& in, int rate_hz, float strength_db) {
  hush_denoiser_config config = hush_denoiser_default_config();
  config.sample_rate_hz = rate_hz;
  config.strength_db = strength_db;
  hush_denoiser* d = nullptr;
  if (hush_denoiser_create(&config, &d) != HUSH_OK) return {};
  const auto frame = std::size_t(hush_frame_size(rate_hz));
  std::vector<float> out(in.size() / frame * frame);
  for (std::size_t at = 0; at < out.size(); at += frame) (void)hush_denoiser_process(d, &out[at], &in[at]);
  hush_denoiser_destroy(d);
  return out;
}

int call_latency(int rate_hz) {
  hush_call_config config = hush_call_default_config();
  config.sample_rate_hz = rate_hz;
  config.echo_canceller = HUSH_AEC_OFF;
  hush_call* call = nullptr;
  if (hush_call_create(&config, &call) != HUSH_OK) return -1;
  const int latency = hush_call_capture_latency_samples(call);
  hush_call_destroy(call);
  return latency;
}

// Largest |plugin[t] - reference[t - shift]| where both exist; the plugin's first `shift`
// samples must be silence.
double max_difference(const std::vector<float>& plugin, const std::vector<float>& reference, std::size_t shift) {
  double worst = 0.0;
  for (std::size_t t = 0; t < plugin.size(); ++t) {
    const double want = t < shift ? 0.0 : (t - shift < reference.size() ? reference[t - shift] : plugin[t]);
    worst = std::max(worst, std::fabs(double(plugin[t]) - want));
  }
  return worst;
}

// ---- descriptors --------------------------------------------------------------------------

TEST(LadspaPlugin, DescribesBothPluginsAndTheirPorts) {
  REQUIRE_PLUGIN();
  struct Expected {
    const char* label;
    std::vector<std::string> ports;
    std::vector<std::pair<float, float>> bounds;  // per control input
  };
  const Expected expected[] = {
      {"hush_mic",
       {"Input", "Output", "Strength (dB)", "Background voices (dB)", "Voice gate grace (ms)", "latency"},
       {{0.0f, 60.0f}, {0.0f, 40.0f}, {0.0f, 5000.0f}}},
      {"hush_speaker", {"Input", "Output", "Strength (dB)", "latency"}, {{0.0f, 60.0f}}},
  };
  for (const Expected& e : expected) {
    const LADSPA_Descriptor* d = find_plugin(e.label);
    ASSERT_NE(d, nullptr) << e.label;
    ASSERT_EQ(d->PortCount, e.ports.size()) << e.label;
    EXPECT_TRUE(LADSPA_IS_HARD_RT_CAPABLE(d->Properties));
    EXPECT_FALSE(LADSPA_IS_INPLACE_BROKEN(d->Properties));
    EXPECT_NE(d->activate, nullptr);
    EXPECT_NE(d->cleanup, nullptr);
    for (std::size_t p = 0; p < e.ports.size(); ++p) EXPECT_EQ(d->PortNames[p], e.ports[p]) << e.label;
    EXPECT_EQ(d->PortDescriptors[0], LADSPA_PORT_INPUT | LADSPA_PORT_AUDIO);
    EXPECT_EQ(d->PortDescriptors[1], LADSPA_PORT_OUTPUT | LADSPA_PORT_AUDIO);
    for (std::size_t c = 0; c < e.bounds.size(); ++c) {
      const auto& hint = d->PortRangeHints[2 + c];
      EXPECT_EQ(d->PortDescriptors[2 + c], LADSPA_PORT_INPUT | LADSPA_PORT_CONTROL);
      EXPECT_TRUE(LADSPA_IS_HINT_HAS_DEFAULT(hint.HintDescriptor));
      EXPECT_EQ(hint.LowerBound, e.bounds[c].first);
      EXPECT_EQ(hint.UpperBound, e.bounds[c].second);
    }
    const unsigned long latency = d->PortCount - 1;
    EXPECT_EQ(d->PortDescriptors[latency], LADSPA_PORT_OUTPUT | LADSPA_PORT_CONTROL);
    // sox without -l fills every control port from its arguments or the port's default.
    EXPECT_TRUE(LADSPA_IS_HINT_HAS_DEFAULT(d->PortRangeHints[latency].HintDescriptor));
  }
  auto* entry = reinterpret_cast<LADSPA_Descriptor_Function>(dlsym(plugin_library(), "ladspa_descriptor"));
  EXPECT_EQ(entry(2), nullptr);
  EXPECT_NE(find_plugin("hush_mic")->UniqueID, find_plugin("hush_speaker")->UniqueID);
}

TEST(LadspaPlugin, ExportsOnlyTheDescriptor) {
  REQUIRE_PLUGIN();
  // The statically linked library stays private: it cannot clash with a libhush.so in the host.
  for (const char* name : {"hush_call_create", "hush_denoiser_create", "hush_version"}) {
    EXPECT_EQ(dlsym(plugin_library(), name), nullptr) << name;
  }
}

TEST(LadspaPlugin, RefusesRatesOutsideItsRange) {
  REQUIRE_PLUGIN();
  const LADSPA_Descriptor* d = find_plugin("hush_mic");
  for (unsigned long rate : {0ul, 999ul, 384001ul, 1ul << 40}) {
    LADSPA_Handle h = d->instantiate(d, rate);
    EXPECT_EQ(h, nullptr) << rate;
    if (h) d->cleanup(h);
  }
  for (unsigned long rate : {1000ul, 384000ul}) {
    Host host("hush_mic", rate, {25.0f, 0.0f, 0.0f});
    EXPECT_TRUE(host.ok()) << rate;
  }
}

// ---- the same output as the library -----------------------------------------------------------

TEST(LadspaPlugin, MicMatchesTheCallPipelineSampleForSample) {
  REQUIRE_PLUGIN();
  struct Setting {
    float strength, background;
    int gate_ms;
  };
  for (int rate : kNativeRates) {
    for (Setting s : {Setting{25.0f, 0.0f, 0}, Setting{10.0f, 20.0f, 300}}) {
      if (s.gate_ms && rate != 48000) continue;  // the second setting once is enough
      const std::vector<float> in = voice_and_noise(rate, 1.5);
      Host host("hush_mic", rate, {s.strength, s.background, float(s.gate_ms)});
      ASSERT_TRUE(host.ok());
      const int frame = hush_frame_size(rate);
      // Framing holds back one frame less one sample; the call adds its own latency.
      EXPECT_EQ(host.latency(), frame - 1 + call_latency(rate)) << rate;
      const std::vector<float> out = host.process(in, {512});
      const std::vector<float> ref = call_capture(in, rate, s.strength, s.background, s.gate_ms);
      ASSERT_FALSE(ref.empty());
      EXPECT_EQ(max_difference(out, ref, std::size_t(frame - 1)), 0.0)
          << rate << " Hz, strength " << s.strength << ", background " << s.background << ", gate " << s.gate_ms;
      EXPECT_GT(rms(out, out.size() / 2, out.size()), 0.01) << rate;
    }
  }
}

TEST(LadspaPlugin, SpeakerMatchesTheRenderPathSampleForSample) {
  REQUIRE_PLUGIN();
  for (int rate : {16000, 48000}) {
    for (float strength : {25.0f, 12.0f}) {
      const std::vector<float> in = voice_and_noise(rate, 1.5);
      Host host("hush_speaker", rate, {strength});
      ASSERT_TRUE(host.ok());
      const int frame = hush_frame_size(rate);
      const std::vector<float> out = host.process(in, {300});
      const std::vector<float> ref = denoiser_output(in, rate, strength);
      EXPECT_EQ(max_difference(out, ref, std::size_t(frame - 1)), 0.0) << rate << " Hz, " << strength << " dB";
    }
  }
}

// ---- any block size -----------------------------------------------------------------------------

TEST(LadspaPlugin, BlockSizesDoNotChangeTheOutput) {
  REQUIRE_PLUGIN();
  const std::vector<std::vector<unsigned long>> patterns = {
      {1}, {7}, {441}, {4096}, {13, 1, 2000, 64, 999, 5, 3000, 128}};
  for (int rate : {48000, 44100, 22050, 96000}) {
    const std::vector<float> in = voice_and_noise(rate, 1.0);
    std::vector<float> reference;
    {
      Host host("hush_mic", rate, {25.0f, 10.0f, 0.0f});
      ASSERT_TRUE(host.ok()) << rate;
      reference = host.process(in, {480});
    }
    for (const auto& blocks : patterns) {
      Host host("hush_mic", rate, {25.0f, 10.0f, 0.0f});
      EXPECT_EQ(host.process(in, blocks), reference) << rate << " Hz, first block " << blocks[0];
    }
  }
}

TEST(LadspaPlugin, InputAndOutputMayBeTheSameBuffer) {
  REQUIRE_PLUGIN();
  const std::vector<float> in = voice_and_noise(22050, 1.0);
  for (const char* label : {"hush_mic", "hush_speaker"}) {
    const std::vector<float> controls =
        std::string(label) == "hush_mic" ? std::vector<float>{25, 0, 0} : std::vector<float>{25};
    Host separate(label, 22050, controls);
    const std::vector<float> expected = separate.process(in, {256});
    Host in_place(label, 22050, controls);
    std::vector<float> buffer = in;
    for (std::size_t at = 0; at < buffer.size(); at += 256) {
      const unsigned long n = std::min<std::size_t>(256, buffer.size() - at);
      in_place.run_block(&buffer[at], &buffer[at], n);
    }
    EXPECT_EQ(buffer, expected) << label;
  }
}

TEST(LadspaPlugin, EmptyAndHugeBlocksWork) {
  REQUIRE_PLUGIN();
  const std::vector<float> in = voice_and_noise(48000, 5.5);  // 264000 samples in one run()
  Host chunked("hush_mic", 48000, {25, 0, 0});
  const std::vector<float> expected = chunked.process(in, {480});
  Host host("hush_mic", 48000, {25, 0, 0});
  std::vector<float> out(in.size(), -7.0f);
  host.run_block(in.data(), out.data(), 0);
  host.run_block(nullptr, nullptr, 0);  // some hosts run(0) before connecting anything
  host.run_block(in.data(), out.data(), in.size());
  host.run_block(in.data(), out.data(), 0);
  EXPECT_EQ(out, expected);
}

// ---- robustness -----------------------------------------------------------------------------

TEST(LadspaPlugin, NonFiniteAndDenormalInputIsSilence) {
  REQUIRE_PLUGIN();
  for (int rate : {48000, 96000}) {
    std::vector<float> dirty = voice_and_noise(rate, 1.0);
    std::vector<float> clean = dirty;
    const float bad[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                         -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::denorm_min(),
                         -1e-39f};
    for (std::size_t t = 1000; t < dirty.size(); t += 997) {
      dirty[t] = bad[(t / 997) % std::size(bad)];
      clean[t] = 0.0f;
    }
    for (std::size_t t = 20000; t < 20480; ++t) {  // a whole frame of NaN
      dirty[t] = bad[0];
      clean[t] = 0.0f;
    }
    Host a("hush_mic", rate, {25, 0, 0});
    Host b("hush_mic", rate, {25, 0, 0});
    const std::vector<float> out = a.process(dirty, {333});
    EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float v) { return std::isfinite(v); })) << rate;
    EXPECT_EQ(out, b.process(clean, {333})) << rate;
  }
}

TEST(LadspaPlugin, ActivateStartsAfresh) {
  REQUIRE_PLUGIN();
  const std::vector<float> in = voice_and_noise(32000, 1.0);
  for (int rate : {32000, 22050}) {
    Host host("hush_mic", rate, {25, 0, 0});
    const std::vector<float> first = host.process(in, {100});
    host.activate();
    EXPECT_EQ(host.process(in, {100}), first) << rate;
  }
}

TEST(LadspaPlugin, ControlsAreClampedAndNonFiniteValuesIgnored) {
  REQUIRE_PLUGIN();
  const std::vector<float> in = voice_and_noise(16000, 1.0, 0.05f);
  Host strong("hush_mic", 16000, {60, 0, 0});
  Host too_strong("hush_mic", 16000, {1e9f, -5, -100});
  EXPECT_EQ(too_strong.process(in, {160}), strong.process(in, {160}));

  Host weak("hush_mic", 16000, {5, 0, 0});
  const std::vector<float> weak_out = weak.process(in, {160});
  Host nan_later("hush_mic", 16000, {5, 0, 0});
  std::vector<float> first_half(in.begin(), in.begin() + 8000), second_half(in.begin() + 8000, in.end());
  std::vector<float> out = nan_later.process(first_half, {160});
  nan_later.set_control(0, std::numeric_limits<float>::quiet_NaN());  // ignored: stays at 5 dB
  const std::vector<float> rest = nan_later.process(second_half, {160});
  out.insert(out.end(), rest.begin(), rest.end());
  EXPECT_EQ(out, weak_out);
  EXPECT_NE(weak_out, strong.process(in, {160}));
}

// ---- rates the library does not run at ------------------------------------------------------

// The speaker path is the noise suppressor alone; the mic path adds the AGC, which lifts
// quiet noise by a few dB.
TEST(LadspaPlugin, NoiseGetsQuieterByAboutTheStrength) {
  REQUIRE_PLUGIN();
  auto drop_db = [](const char* label, int rate, std::vector<float> controls) {
    const std::vector<float> in = white_noise(rate, 3.0, 0.05f);
    Host host(label, rate, std::move(controls));
    const std::vector<float> out = host.process(in, {1024});
    const std::size_t from = in.size() / 3;  // past the noise estimate's settling
    return 20.0 * std::log10(rms(in, from, in.size()) / rms(out, from, out.size()));
  };
  for (int rate : {48000, 22050, 96000}) {
    // At 96 kHz half of the white noise lies above the 24 kHz the library carries.
    const double out_of_band_db = rate > 48000 ? 10.0 * std::log10(rate / 48000.0) : 0.0;
    for (float strength : {10.0f, 25.0f}) {
      const double speaker = drop_db("hush_speaker", rate, {strength});
      std::printf("%d Hz: white noise %.1f dB quieter through hush_speaker at %.0f dB\n", rate, speaker, strength);
      EXPECT_NEAR(speaker, strength + out_of_band_db, 2.0) << rate;
    }
    const double mic = drop_db("hush_mic", rate, {25.0f, 0.0f, 0.0f});
    std::printf("%d Hz: white noise %.1f dB quieter through hush_mic at 25 dB\n", rate, mic);
    EXPECT_GT(mic, 15.0) << rate;
    EXPECT_LT(mic, 27.0) << rate;
  }
}

// With strength 0 the speaker path passes the signal (gain 1 everywhere), so what comes out
// is the resampling chain itself: the signal, delayed by exactly the reported latency.
TEST(LadspaPlugin, ResampledRatesKeepTheSignalAndReportTheirLatency) {
  REQUIRE_PLUGIN();
  for (int rate : {11025, 22050, 44101, 96000, 192000}) {
    const double seconds = 1.0;
    Host host("hush_speaker", rate, {0.0f});
    ASSERT_TRUE(host.ok()) << rate;
    const int latency = host.latency();
    // A 700 Hz tone and a click: the click's position checks the whole-sample latency, the
    // tone (fitted by least squares) the gain, phase and everything that is not the tone.
    std::vector<float> in(std::size_t(rate * seconds));
    const double f = 700.0;
    for (std::size_t t = 0; t < in.size(); ++t) in[t] = float(0.3 * std::sin(2.0 * std::numbers::pi * f * t / rate));
    const std::size_t click = in.size() / 5;
    in[click] += 0.5f;
    const std::vector<float> out = host.process(in, {4096});

    double c = 0, s = 0;
    const std::size_t from = in.size() / 2, to = in.size();
    for (std::size_t t = from; t < to; ++t) {
      c += out[t] * std::cos(2.0 * std::numbers::pi * f * t / rate);
      s += out[t] * std::sin(2.0 * std::numbers::pi * f * t / rate);
    }
    c *= 2.0 / double(to - from);
    s *= 2.0 / double(to - from);
    const double amplitude = std::hypot(c, s);
    // out(t) = A sin(w (t - d)) = A cos(w d) sin(w t) - A sin(w d) cos(w t)
    double delay = std::atan2(-c, s) / (2.0 * std::numbers::pi * f / rate);
    const double period = rate / f;
    while (delay < latency - period / 2) delay += period;
    while (delay > latency + period / 2) delay -= period;
    double error = 0.0;
    for (std::size_t t = from; t < to; ++t) {
      const double w = 2.0 * std::numbers::pi * f * double(t) / rate;
      const double fit = c * std::cos(w) + s * std::sin(w);
      error += (out[t] - fit) * (out[t] - fit);
    }
    const double residue_db = 10.0 * std::log10(error / double(to - from) / (amplitude * amplitude / 2.0));
    // The click is where the latency says (the fitted tone subtracted).
    std::size_t peak = 0;
    double peak_value = 0.0;
    for (std::size_t t = click; t < click + 2 * std::size_t(latency) + 100 && t < out.size(); ++t) {
      const double w = 2.0 * std::numbers::pi * f * double(t) / rate;
      const double v = std::fabs(out[t] - (c * std::cos(w) + s * std::sin(w)));
      if (v > peak_value) peak_value = v, peak = t;
    }
    std::printf("%d Hz: latency %d, tone delay %.2f, gain %.4f, residue %.1f dB, click at +%zu\n", rate, latency,
                delay, amplitude / 0.3, residue_db, peak - click);
    EXPECT_NEAR(amplitude, 0.3, 0.3 * 0.01) << rate;
    EXPECT_NEAR(delay, latency, 0.5) << rate;
    EXPECT_LT(residue_db, -60.0) << rate;
    EXPECT_LE(std::abs(long(peak - click) - latency), 1) << rate;
  }
}

TEST(LadspaPlugin, ResamplingRemovesWhatTheLibraryCannotCarry) {
  REQUIRE_PLUGIN();
  // 30 kHz at 96 kHz is above the 24 kHz Nyquist of the 48 kHz processing rate.
  const int rate = 96000;
  std::vector<float> in(static_cast<std::size_t>(rate));
  for (std::size_t t = 0; t < in.size(); ++t) {
    in[t] = float(0.5 * std::sin(2.0 * std::numbers::pi * 30000.0 * double(t) / rate));
  }
  Host host("hush_speaker", rate, {0.0f});
  const std::vector<float> out = host.process(in, {1000});
  const std::size_t half = in.size() / 2;
  const double level_db = 20.0 * std::log10(rms(out, half, out.size()) / rms(in, half, in.size()) + 1e-12);
  std::printf("30 kHz at 96 kHz: %.1f dB\n", level_db);
  EXPECT_LT(level_db, -70.0);
}

// ---- real-time safety ---------------------------------------------------------------------

// activate() may allocate (it builds a fresh call with the host's settings); run() never does.
TEST(LadspaPlugin, RunAllocatesNothing) {
  REQUIRE_PLUGIN();
  for (const char* label : {"hush_mic", "hush_speaker"}) {
    for (int rate : {48000, 44100, 22050, 96000}) {
      const bool mic = std::string(label) == "hush_mic";
      Host host(label, rate, mic ? std::vector<float>{25, 0, 0} : std::vector<float>{25});
      ASSERT_TRUE(host.ok());
      const std::vector<float> in = voice_and_noise(rate, 0.5);
      std::vector<float> out(in.size());
      long allocations = 0;
      for (unsigned long block : {1ul, 7ul, 441ul, 4096ul}) {
        g_allocations = 0;
        g_counting = true;
        for (std::size_t at = 0; at < in.size(); at += block) {
          const unsigned long n = std::min<std::size_t>(block, in.size() - at);
          host.run_block(&in[at], &out[at], n);
          if (at == 2 * block) {  // forwarded by the next run()
            host.set_control(0, block == 7 ? 40.0f : 10.0f);
            if (mic) host.set_control(1, 12.0f), host.set_control(2, 500.0f);
          }
        }
        g_counting = false;
        allocations += g_allocations.load();
        host.activate();
      }
      EXPECT_EQ(allocations, 0) << label << " at " << rate << " Hz";
    }
  }
}

TEST(LadspaPlugin, CountingHookWorks) {
  g_allocations = 0;
  g_counting = true;
  auto* p = new std::vector<int>(100);
  g_counting = false;
  delete p;
  EXPECT_GE(g_allocations.load(), 1);
}

}  // namespace
