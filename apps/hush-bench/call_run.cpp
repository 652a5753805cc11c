#include "apps/hush-bench/call_run.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "util/cpu_time.h"
#include "util/error.h"

namespace hush::bench {
namespace {

constexpr std::size_t kExtraFlushFrames = 10;

struct CallDeleter {
  void operator()(hush_call* c) const { hush_call_destroy(c); }
};
using CallPtr = std::unique_ptr<hush_call, CallDeleter>;

void check(int err, const std::string& what) {
  if (err < 0) throw Error(static_cast<hush_error>(err), what + ": " + hush_strerror(err));
}

CallPtr create_call(const CallSetup& s) {
  hush_call_config c = hush_call_default_config();
  c.sample_rate_hz = s.rate_hz;
  c.echo_canceller = s.echo_canceller;
  c.engine = s.engine;
  c.capture_strength_db = s.capture_strength_db;
  c.agc = s.agc;
  c.background_voice_db = s.background_voice_db;
  c.echo_delay_ms = s.echo_delay_ms;
  hush_call* call = nullptr;
  check(hush_call_create(&c, &call),
        "hush_call_create (aec " + aec_name(s.echo_canceller) + ", " + std::to_string(s.rate_hz) + " Hz)");
  return CallPtr(call);
}

void check_lengths(const CallSetup& s, std::span<const float> far, std::span<const float> mic) {
  const std::size_t hop = std::size_t(s.rate_hz / 100);
  if (mic.empty() || far.size() != mic.size() || mic.size() % hop != 0)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "run_call: far and mic must have the same whole number of frames");
}

// The frame loop shared by run_call and run_call_raw: returns the raw output, flushed with
// enough silent frames to hold the latency; `stats` (optional) is read after the last real frame.
std::vector<float> process_all(const CallSetup& setup, std::span<const float> far, std::span<const float> mic,
                               int* latency_samples, hush_call_stats* stats) {
  check_lengths(setup, far, mic);
  CallPtr call = create_call(setup);
  const int hop = hush_call_frame_size(call.get());
  check(hop, "hush_call_frame_size");
  if (hop != setup.rate_hz / 100) throw Error(HUSH_ERR_INTERNAL, "hush_call_frame_size is not 10 ms");
  const int latency = hush_call_capture_latency_samples(call.get());
  check(latency, "hush_call_capture_latency_samples");
  const std::size_t real_frames = mic.size() / std::size_t(hop);
  // Flush the reported latency and 100 ms more, in case the real lag is longer than reported.
  const std::size_t frames = real_frames + std::size_t(latency + hop - 1) / std::size_t(hop) + kExtraFlushFrames;
  std::vector<float> out(frames * std::size_t(hop), 0.0f);
  const std::vector<float> silence(std::size_t(hop), 0.0f);
  for (std::size_t f = 0; f < frames; ++f) {
    const std::size_t at = f * std::size_t(hop);
    const bool inside = f < real_frames;
    check(hush_call_analyze_render(call.get(), inside ? far.data() + at : silence.data()), "hush_call_analyze_render");
    const float p = hush_call_process_capture(call.get(), out.data() + at, inside ? mic.data() + at : silence.data());
    if (p < 0.0f) check(static_cast<int>(p), "hush_call_process_capture");
    if (stats && f + 1 == real_frames) {
      stats->struct_size = sizeof(hush_call_stats);
      check(hush_call_get_stats(call.get(), stats), "hush_call_get_stats");
    }
  }
  if (latency_samples) *latency_samples = latency;
  return out;
}

}  // namespace

std::string aec_name(int aec) {
  switch (aec) {
    case HUSH_AEC_OFF: return "off";
    case HUSH_AEC_WEBRTC: return "webrtc";
    case HUSH_AEC_SPEEX: return "speex";
    default: return "default";
  }
}

int aec_from_name(const std::string& name) {
  for (int aec : {HUSH_AEC_OFF, HUSH_AEC_WEBRTC, HUSH_AEC_SPEEX, HUSH_AEC_DEFAULT})
    if (aec_name(aec) == name) return aec;
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "unknown echo canceller '" + name + "' (off | webrtc | speex | default)");
}

std::vector<float> run_call_raw(const CallSetup& setup, std::span<const float> far, std::span<const float> mic,
                                int* latency_samples) {
  return process_all(setup, far, mic, latency_samples, nullptr);
}

CallRun run_call(const CallSetup& setup, std::span<const float> far, std::span<const float> mic, int align_samples) {
  CallRun r;
  std::vector<float> raw = process_all(setup, far, mic, &r.latency_samples, &r.stats);
  r.aligned_by = align_samples < 0 ? r.latency_samples : align_samples;
  raw.resize(std::max(raw.size(), mic.size() + std::size_t(r.aligned_by)), 0.0f);  // lag beyond the flush: silence
  r.out.assign(raw.begin() + r.aligned_by, raw.begin() + r.aligned_by + std::ptrdiff_t(mic.size()));
  return r;
}

Speed time_call(const CallSetup& setup, std::span<const float> incoming, std::span<const float> mic) {
  check_lengths(setup, incoming, mic);
  CallPtr call = create_call(setup);
  const std::size_t hop = std::size_t(setup.rate_hz / 100);
  std::vector<float> played(hop), out(hop);
  std::vector<double> frame_us;
  frame_us.reserve(mic.size() / hop);
  const double cpu0 = util::thread_cpu_seconds();
  const auto wall0 = std::chrono::steady_clock::now();
  for (std::size_t at = 0; at + hop <= mic.size(); at += hop) {
    const double t0 = util::thread_cpu_seconds();
    check(hush_call_process_render(call.get(), played.data(), incoming.data() + at), "hush_call_process_render");
    check(hush_call_analyze_render(call.get(), played.data()), "hush_call_analyze_render");
    const float p = hush_call_process_capture(call.get(), out.data(), mic.data() + at);
    frame_us.push_back(1e6 * (util::thread_cpu_seconds() - t0));
    if (p < 0.0f) check(static_cast<int>(p), "hush_call_process_capture");
  }
  const double cpu = util::thread_cpu_seconds() - cpu0;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  Speed s;
  s.frames = static_cast<long long>(frame_us.size());
  const double audio_s = double(frame_us.size()) / 100.0;
  s.rtf_cpu = cpu / audio_s;
  s.rtf_wall = wall / audio_s;
  std::sort(frame_us.begin(), frame_us.end());
  s.p50_us = frame_us[frame_us.size() / 2];
  s.p99_us = frame_us[frame_us.size() * 99 / 100];
  s.max_us = frame_us.back();
  return s;
}

}  // namespace hush::bench
