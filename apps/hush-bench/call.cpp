#include "apps/hush-bench/call.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "apps/hush-bench/call_latency.h"
#include "apps/hush-bench/call_report.h"
#include "audio/resample.h"
#include "enhance/offline_denoise.h"
#include "apps/hush-bench/results_files.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace hush::bench {
namespace {

constexpr double kSpeechProbeS = 4.0;
inline const std::vector<float> kBackgroundVoiceDb = {0.0f, 20.0f};

// Runs f(0..n-1) on `threads` workers, printing progress; rethrows the first exception.
template <typename F>
void parallel_for(std::size_t n, int threads, const char* what, F&& f) {
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex mutex;
  std::exception_ptr failure;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < n;) {
      try {
        f(i);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        next = n;
      }
      std::lock_guard lock(mutex);
      std::fprintf(stderr, "\rhush-bench call: %s %zu/%zu", what, ++done, n);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, threads); ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  std::fprintf(stderr, "\n");
  if (failure) std::rethrow_exception(failure);
}

std::vector<float> at_rate(std::span<const float> x16k, int rate_hz) {
  if (rate_hz == kSimRateHz) return {x16k.begin(), x16k.end()};
  return audio::resample(x16k, 1, kSimRateHz, rate_hz);
}

double mean_power(std::span<const float> x) {
  double s = 0;
  for (float v : x) s += double(v) * v;
  return x.empty() ? 0.0 : s / double(x.size());
}

CallSetup setup_for(int engine, const std::string& aec, int rate_hz, CapturePath path) {
  CallSetup s;
  s.echo_canceller = aec_from_name(aec);
  s.rate_hz = rate_hz;
  s.engine = engine;
  if (path == CapturePath::aec_alone) {
    s.capture_strength_db = 0.0f;
    s.agc = 0;
  }
  return s;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

// Far-end single talk (two echo paths) and double talk of one scenario, one configuration.
EchoResult measure_echo(const EchoScenario& sc, const std::vector<double>& echo_power, const std::vector<bool>& active,
                        double noise_power, const CallSetup& setup, const std::string& aec, CapturePath path, int align) {
  EchoResult r;
  r.aec = aec;
  r.path = path;
  r.rate_hz = setup.rate_hz;
  const std::vector<float> far = at_rate(sc.far, setup.rate_hz), mic = at_rate(sc.mic(), setup.rate_hz);
  const std::vector<float> near = at_rate(sc.near, setup.rate_hz);
  const CallRun run = run_call(setup, far, mic, align);
  r.stats = run.stats;
  r.latency_samples = run.latency_samples;
  r.aligned_samples = run.aligned_by;
  const auto mic_power = sim::frame_powers(mic, setup.rate_hz), out_power = sim::frame_powers(run.out, setup.rate_hz);
  const std::size_t change = sc.change_at / (kSimRateHz / 100), dt = sc.double_talk_at / (kSimRateHz / 100);
  r.single_talk = phase_erle(mic_power, out_power, echo_power, active, noise_power, 0, change);
  r.after_change = phase_erle(mic_power, out_power, echo_power, active, noise_power, change, dt);
  const std::size_t dt_at = dt * std::size_t(setup.rate_hz / 100);
  r.double_talk = near_end_scores(std::span(near).subspan(dt_at), std::span(mic).subspan(dt_at),
                                  std::span(run.out).subspan(dt_at), setup.rate_hz);
  return r;
}

// The background-voice runs: no echo canceller, noise suppression on, and the AGC off because
// levels are compared before and after.
CallSetup background_setup(int engine, float bv_db) {
  CallSetup s;
  s.echo_canceller = HUSH_AEC_OFF;
  s.rate_hz = kSimRateHz;
  s.engine = engine;
  s.agc = 0;
  s.background_voice_db = bv_db;
  return s;
}

BackgroundResult measure_background(const BackgroundMixture& m, const CallSetup& setup, int align) {
  BackgroundResult r;
  r.background_voice_db = setup.background_voice_db;
  const std::vector<float> mix = m.mix(), silence(mix.size(), 0.0f);
  const CallRun run = run_call(setup, silence, mix, align);
  r.aligned_samples = run.aligned_by;
  r.scores = background_scores(m.main, m.background, mix, run.out, kSimRateHz);
  return r;
}

bool same_config(const CallSetup& a, const CallSetup& b) {
  return a.echo_canceller == b.echo_canceller && a.rate_hz == b.rate_hz && a.engine == b.engine &&
         a.capture_strength_db == b.capture_strength_db && a.agc == b.agc && a.background_voice_db == b.background_voice_db;
}

// One latency measurement: speech through a configuration, plus clicks for the AEC-alone ones.
struct Probe {
  CallSetup setup;
  bool clicks = false;
  std::string error;
  int reported = 0;
  Lag click, speech;
};

template <typename R, typename F>
void record_errors(R& r, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    r.error = e.what();
  }
}

}  // namespace

int run_call_bench(CallBenchOptions o) {
  if (o.quick) {
    o.scenarios = std::min(o.scenarios, 2);
    o.background_mixtures = std::min(o.background_mixtures, 2);
    o.background_seconds = std::min(o.background_seconds, 12.0);
    o.timeline = {8.0, 4.0, 4.0};
    o.rtf_seconds = std::min(o.rtf_seconds, 5.0);
  }
  if (o.scenarios < 1 || o.background_mixtures < 0 || o.rtf_seconds <= 0)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "call: --scenarios must be >= 1, --mixtures >= 0, --rtf-seconds > 0");
  for (const auto& a : o.aecs) aec_from_name(a);  // fail before the long run
  const int engine = enhance::engine_from_name(o.engine);
  const auto start = std::chrono::steady_clock::now();

  const SpeechLibrary lib = load_speech_library(o.data_dir);
  std::vector<EchoScenario> scenes(std::size_t(o.scenarios));
  std::vector<BackgroundMixture> mixes(std::size_t(o.background_mixtures));
  parallel_for(scenes.size() + mixes.size(), o.threads, "simulating rooms", [&](std::size_t i) {
    if (i < scenes.size())
      scenes[i] = make_echo_scenario(lib, int(i), o.timeline, o.levels, o.seed);
    else
      mixes[i - scenes.size()] = make_background_mixture(lib, int(i - scenes.size()), o.background_seconds, o.levels, o.seed);
  });
  std::vector<std::vector<double>> echo_power(scenes.size());
  std::vector<std::vector<bool>> active(scenes.size());
  std::vector<double> noise_power(scenes.size());
  for (std::size_t s = 0; s < scenes.size(); ++s) {
    echo_power[s] = sim::frame_powers(scenes[s].echo, kSimRateHz);
    noise_power[s] = mean_power(scenes[s].noise);
    active[s] = echo_active_frames(echo_power[s], noise_power[s]);
  }

  CallResults res;
  res.options = o;
  // The real lag of every configuration that is scored below. Outputs are aligned by it, not by
  // the reported latency: where the two differ (a stage that delays its output without saying
  // so), the reported value would misalign every sample-level score. The latency table shows both.
  std::vector<Probe> probes;
  for (int rate : o.rates_hz)
    for (const auto& aec : o.aecs)
      for (CapturePath path : {CapturePath::aec_alone, CapturePath::full})
        probes.push_back({setup_for(engine, aec, rate, path), path == CapturePath::aec_alone, "", 0, {}, {}});
  if (o.background_mixtures > 0)
    for (float bv : kBackgroundVoiceDb) probes.push_back({background_setup(engine, bv), false, "", 0, {}, {}});
  std::vector<float> probe_speech = lib.utterances[0][0];
  probe_speech.resize(static_cast<std::size_t>(kSpeechProbeS * kSimRateHz), 0.0f);
  sim::scale(probe_speech, std::pow(10.0, (o.levels.near_dbfs - sim::active_level_dbfs(probe_speech, kSimRateHz)) / 20.0));
  parallel_for(probes.size(), o.threads, "latency", [&](std::size_t i) {
    Probe& p = probes[i];
    record_errors(p, [&] {
      if (p.clicks) p.click = click_lag(p.setup, o.seed + i, &p.reported);
      p.speech = speech_lag(p.setup, probe_speech, o.levels.noise_dbfs, o.seed + i, &p.reported);
    });
  });
  auto align_for = [&](const CallSetup& setup) {
    for (const Probe& p : probes)
      if (same_config(p.setup, setup) && p.error.empty() && p.speech.correlation >= kMinAlignCorrelation)
        return p.speech.samples;
    return -1;  // the reported latency
  };
  for (int rate : o.rates_hz)
    for (const auto& aec : o.aecs) {
      LatencyResult row;
      row.aec = aec, row.rate_hz = rate;
      for (const Probe& p : probes) {
        if (p.setup.rate_hz != rate || aec_name(p.setup.echo_canceller) != aec || p.setup.background_voice_db != 0) continue;
        if (row.error.empty()) row.error = p.error;
        row.reported_samples = p.reported;
        if (p.clicks) row.click = p.click, row.speech_alone = p.speech;
        else if (p.setup.agc) row.speech_full = p.speech;
      }
      res.latency.push_back(row);
    }

  for (int s = 0; s < o.scenarios; ++s)
    for (int rate : o.rates_hz)
      for (CapturePath path : {CapturePath::aec_alone, CapturePath::full})
        for (const auto& aec : o.aecs) {
          EchoResult r;
          r.scenario = s, r.rate_hz = rate, r.path = path, r.aec = aec;
          res.echo.push_back(r);
        }
  parallel_for(res.echo.size(), o.threads, "echo scenarios", [&](std::size_t i) {
    EchoResult& r = res.echo[i];
    const auto s = std::size_t(r.scenario);
    CallSetup setup = setup_for(engine, r.aec, r.rate_hz, r.path);
    const int align = align_for(setup);
    if (o.known_delay) setup.echo_delay_ms = static_cast<int>(std::lround(scenes[s].delay_ms));
    record_errors(r, [&] {
      EchoResult m = measure_echo(scenes[s], echo_power[s], active[s], noise_power[s], setup, r.aec, r.path, align);
      m.scenario = r.scenario;
      r = m;
    });
  });

  for (int m = 0; m < o.background_mixtures; ++m)
    for (float bv : kBackgroundVoiceDb) res.background.push_back({m, bv, "", {}});
  parallel_for(res.background.size(), o.threads, "background voices", [&](std::size_t i) {
    BackgroundResult& r = res.background[i];
    record_errors(r, [&] {
      const CallSetup setup = background_setup(engine, r.background_voice_db);
      const int mixture = r.mixture;
      r = measure_background(mixes[std::size_t(mixture)], setup, align_for(setup));
      r.mixture = mixture;
    });
  });

  // Speed last and on one thread, so the runs above do not compete with it for the CPU.
  const EchoScenario& sc = scenes[0];
  const std::size_t timed = std::min(sc.far.size(), std::size_t(o.rtf_seconds * 100) * (kSimRateHz / 100));
  const std::vector<float> mic16 = sc.mic();
  for (int rate : o.rates_hz) {
    const std::vector<float> far = at_rate(std::span(sc.far).first(timed), rate);
    const std::vector<float> mic = at_rate(std::span(mic16).first(timed), rate);
    for (const auto& aec : o.aecs)
      for (float bv : kBackgroundVoiceDb) {
        SpeedResult r{aec, rate, bv, "", {}};
        std::fprintf(stderr, "\rhush-bench call: timing %s at %d Hz, background voices %g dB   ", aec.c_str(), rate, bv);
        record_errors(r, [&] {
          CallSetup setup = setup_for(engine, aec, rate, CapturePath::full);
          setup.background_voice_db = bv;
          r.speed = time_call(setup, far, mic);
        });
        res.speed.push_back(r);
      }
  }
  std::fprintf(stderr, "\n");

  for (auto& s : scenes) s.far.clear(), s.echo.clear(), s.near.clear(), s.noise.clear();
  for (auto& m : mixes) m.main.clear(), m.background.clear(), m.noise.clear();
  res.scenarios = std::move(scenes);
  res.mixtures = std::move(mixes);
  res.cpu = cpu_model();
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const std::string md = call_markdown(res);
  std::printf("%s", md.c_str());
  write_results(o.markdown_path, md, o.json_path, call_json(res).dump(2) + "\n");
  return 0;
}

}  // namespace hush::bench
