#include "apps/hush-bench/speed.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "apps/build_commit.h"
#include "audio/noise_synth.h"
#include "enhance/model_loader.h"
#include "enhance/offline_denoise.h"
#include "hush.h"
#include "util/cpu_time.h"
#include "util/error.h"

namespace hush::bench {
namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

std::string simd_flags() {
  std::string flags;
  if (__builtin_cpu_supports("sse4.2")) flags += "sse4.2 ";
  if (__builtin_cpu_supports("avx2")) flags += "avx2 ";
  if (__builtin_cpu_supports("fma")) flags += "fma ";
  if (__builtin_cpu_supports("avx512f")) flags += "avx512f ";
  return flags.empty() ? "none" : flags;
}

struct RateResult {
  int rate = 0;
  double rtf = 0, cpu_rtf = 0, p50_us = 0, p99_us = 0, max_us = 0;
  long long state_bytes = 0;
  int latency_samples = 0;
};

RateResult measure(int rate, int engine, const hush_model* model, double seconds) {
  hush_denoiser_config c = hush_denoiser_default_config();
  c.sample_rate_hz = rate;
  c.engine = engine;
  c.model = model;
  hush_denoiser* d = nullptr;
  const int err = hush_denoiser_create(&c, &d);
  if (err < 0) throw Error(static_cast<hush_error>(err), hush_strerror(err));
  const int hop = hush_frame_size(rate);
  const auto n = static_cast<std::size_t>(seconds * rate);
  auto x = audio::pink_noise(n, 1);
  const auto hum = audio::hum_noise(n, rate, 2);
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.05f * x[i] + 0.02f * hum[i];
  std::vector<float> out(static_cast<std::size_t>(hop));
  std::vector<double> frame_us;
  frame_us.reserve(n / hop);
  const double cpu_start = util::thread_cpu_seconds();
  for (std::size_t i = 0; i + hop <= n; i += hop) {
    const auto t0 = std::chrono::steady_clock::now();
    hush_denoiser_process(d, out.data(), x.data() + i);
    frame_us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  const double cpu_seconds = util::thread_cpu_seconds() - cpu_start;
  RateResult r;
  r.rate = rate;
  r.cpu_rtf = cpu_seconds / (double(frame_us.size()) * hop / rate);
  r.state_bytes = hush_denoiser_state_bytes(d);
  r.latency_samples = hush_denoiser_latency_samples(d);
  hush_denoiser_destroy(d);
  double total = 0;
  for (double us : frame_us) total += us;
  r.rtf = total * 1e-6 / (double(frame_us.size()) * hop / rate);
  std::sort(frame_us.begin(), frame_us.end());
  r.p50_us = frame_us[frame_us.size() / 2];
  r.p99_us = frame_us[frame_us.size() * 99 / 100];
  r.max_us = frame_us.back();
  return r;
}

}  // namespace

int run_speed(const SpeedOptions& o) {
  const int engine = enhance::engine_from_name(o.engine);
  const std::string engine_label = enhance::engine_name(engine);
  const enhance::ModelPtr model = enhance::load_model_for_engine(engine, o.model_path);
  std::ostringstream t;
  t << "engine `" << engine_label << "`, one thread, " << o.seconds << " s of audio per rate\n"
    << "CPU: " << cpu_model() << " (SIMD: " << simd_flags() << "), commit " << hush_build_commit() << "\n";
  if (engine_label == "neural") {
    // Weights are loaded once per process and shared by every stream; "state bytes" below is
    // what each additional stream costs.
    const long long weight_bytes = hush_model_weight_bytes(model.get());
    if (weight_bytes < 0) throw Error(static_cast<hush_error>(weight_bytes), hush_strerror(int(weight_bytes)));
    t << "model `" << (o.model_path.empty() ? "built-in" : o.model_path) << "`: " << weight_bytes
      << " weight bytes, shared by all streams\n";
  }
  t << "\n"
    << "| rate (Hz) | RTF (CPU time) | RTF (wall) | x real time (CPU) | p50 µs/frame | p99 µs/frame | max µs | state bytes | latency |\n"
    << "|---|---|---|---|---|---|---|---|---|\n";
  for (int rate : {16000, 48000}) {
    const RateResult r = measure(rate, engine, model.get(), o.seconds);
    char line[256];
    std::snprintf(line, sizeof line, "| %d | %.4f | %.4f | %.0f | %.1f | %.1f | %.1f | %lld | %.1f ms |\n", r.rate,
                  r.cpu_rtf, r.rtf, 1.0 / r.cpu_rtf, r.p50_us, r.p99_us, r.max_us, r.state_bytes, 1e3 * r.latency_samples / r.rate);
    t << line;
  }
  std::printf("%s", t.str().c_str());
  if (!o.markdown_path.empty()) std::ofstream(o.markdown_path) << t.str();
  return 0;
}

}  // namespace hush::bench
