// The C API of the two-way call pipeline (include/hush.h, "Two-way call processing"):
//   capture: mic -> echo canceller -> noise engine -> background voices -> voice gate -> AGC
//   render:  incoming -> noise engine
// Everything is allocated in hush_call_create; the per-frame calls only copy and compute.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "enhance/automatic_gain.h"
#include "enhance/background_voices.h"
#include "enhance/echo_canceller.h"
#include "enhance/latency_probe.h"
#include "enhance/reference_aligner.h"
#include "enhance/reference_queue.h"
#include "enhance/voice_gate.h"
#include "hush.h"

namespace {

// The default canceller is the one with the better hush-bench call results (README, "Calls").
constexpr int kDefaultEchoCanceller = HUSH_AEC_WEBRTC;  // ERLE >= 30 dB on 8/8 paths, speex 3/8
constexpr float kMaxStrengthDb = 60.0f;
constexpr float kMaxBackgroundVoiceDb = 40.0f;
constexpr int kMinGateGraceMs = 50;
constexpr int kMaxGateGraceMs = 5000;
// Reference frames quieter than this carry no echo worth measuring for the ERLE estimate.
constexpr double kFarEndActiveEnergyPerSample = 1e-6;  // -60 dBFS
constexpr double kErleSmoothing = 0.02;

struct DenoiserDeleter {
  void operator()(hush_denoiser* d) const noexcept { hush_denoiser_destroy(d); }
};
using DenoiserPtr = std::unique_ptr<hush_denoiser, DenoiserDeleter>;

constexpr std::size_t kConfigV1Size = offsetof(hush_call_config, agc) + sizeof(int);

// Non-finite samples become silence and denormals zero, so neither reaches an adaptive filter.
void sanitize(const float* in, float* out, int n, bool clamp_to_unit) {
  for (int i = 0; i < n; ++i) {
    float x = in[i];
    if (!std::isfinite(x) || std::fabs(x) < 1e-20f) x = 0.0f;
    out[i] = clamp_to_unit ? std::clamp(x, -1.0f, 1.0f) : x;
  }
}

double energy(const float* x, int n) {
  double e = 0.0;
  for (int i = 0; i < n; ++i) e += static_cast<double>(x[i]) * x[i];
  return e;
}

int clamp_grace_ms(int grace_ms) {
  return grace_ms <= 0 ? 0 : std::clamp(grace_ms, kMinGateGraceMs, kMaxGateGraceMs);
}

}  // namespace

struct hush_call {
  hush_call_config config{};
  int frame_size = 0;
  int echo_canceller = HUSH_AEC_OFF;
  std::unique_ptr<hush::enhance::EchoCanceller> aec;
  int aec_latency_samples = 0;
  int agc_latency_samples = 0;
  std::unique_ptr<hush::enhance::ReferenceQueue> references;
  std::unique_ptr<hush::enhance::ReferenceAligner> aligner;
  DenoiserPtr capture_ns;
  DenoiserPtr render_ns;  // null when render_strength_db was 0 at creation
  std::unique_ptr<hush::enhance::AutomaticGain> agc;
  std::unique_ptr<hush::enhance::BackgroundVoices> background;
  std::unique_ptr<hush::enhance::VoiceGate> gate;
  std::vector<float> mic, reference, aligned, work;
  std::atomic<float> background_voice_db{0.0f};
  std::atomic<int> gate_grace_ms{0};
  // Capture-thread statistics.
  long long capture_frames = 0;
  long long reference_missing = 0;
  double mic_echo_energy = 0.0;
  double out_echo_energy = 0.0;
};

static_assert(std::atomic<float>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

namespace {

int read_config(const hush_call_config* in, hush_call_config* out) {
  *out = hush_call_default_config();
  if (in) {
    if (in->struct_size < kConfigV1Size) return HUSH_ERR_BAD_STRUCT_SIZE;
    std::memcpy(out, in, std::min(in->struct_size, sizeof(hush_call_config)));
    out->struct_size = sizeof(hush_call_config);
  }
  if (hush_frame_size(out->sample_rate_hz) < 0) return HUSH_ERR_UNSUPPORTED_RATE;
  if (out->echo_canceller == HUSH_AEC_DEFAULT) out->echo_canceller = kDefaultEchoCanceller;
  if (out->echo_canceller < HUSH_AEC_OFF || out->echo_canceller > HUSH_AEC_SPEEX) {
    return HUSH_ERR_INVALID_ARGUMENT;
  }
  if (out->echo_delay_ms < 0 || out->echo_delay_ms > HUSH_CALL_MAX_ECHO_DELAY_MS) {
    return HUSH_ERR_INVALID_ARGUMENT;
  }
  if (!std::isfinite(out->capture_strength_db) || !std::isfinite(out->render_strength_db) ||
      !std::isfinite(out->background_voice_db)) {
    return HUSH_ERR_INVALID_ARGUMENT;
  }
  out->capture_strength_db = std::clamp(out->capture_strength_db, 0.0f, kMaxStrengthDb);
  out->render_strength_db = std::clamp(out->render_strength_db, 0.0f, kMaxStrengthDb);
  out->background_voice_db = std::clamp(out->background_voice_db, 0.0f, kMaxBackgroundVoiceDb);
  out->voice_gate_grace_ms = clamp_grace_ms(out->voice_gate_grace_ms);
  return HUSH_OK;
}

int make_denoiser(const hush_call_config& config, float strength_db, DenoiserPtr* out) {
  hush_denoiser_config dc = hush_denoiser_default_config();
  dc.sample_rate_hz = config.sample_rate_hz;
  dc.engine = config.engine;
  dc.strength_db = strength_db;
  dc.model = config.model;
  hush_denoiser* raw = nullptr;
  const int err = hush_denoiser_create(&dc, &raw);
  out->reset(raw);
  return err;
}

int build(hush_call* call) {
  const hush_call_config& c = call->config;
  call->frame_size = hush_frame_size(c.sample_rate_hz);
  call->echo_canceller = c.echo_canceller;
  constexpr int kMaxDelayFrames = HUSH_CALL_MAX_ECHO_DELAY_MS / 10;
  if (c.echo_canceller == HUSH_AEC_WEBRTC) {
    call->aec = hush::enhance::make_webrtc_echo_canceller(c.sample_rate_hz);
  } else if (c.echo_canceller == HUSH_AEC_SPEEX) {
    call->aec = hush::enhance::make_speex_echo_canceller(c.sample_rate_hz);
  }
  if (c.echo_canceller != HUSH_AEC_OFF && !call->aec) return HUSH_ERR_UNSUPPORTED_RATE;
  const auto n = static_cast<std::size_t>(call->frame_size);
  if (call->aec) {
    const std::vector<float> silence(n, 0.0f);
    call->aec_latency_samples = hush::enhance::measure_latency_samples(
        [&](const float* in, float* out) { call->aec->process(silence.data(), in, out); }, call->frame_size);
    call->aec->reset();
  }
  call->references = std::make_unique<hush::enhance::ReferenceQueue>(call->frame_size, kMaxDelayFrames);
  call->aligner = std::make_unique<hush::enhance::ReferenceAligner>(call->frame_size, kMaxDelayFrames,
                                                                    c.echo_delay_ms / 10);
  if (int err = make_denoiser(c, c.capture_strength_db, &call->capture_ns); err < 0) return err;
  if (c.render_strength_db > 0.0f) {
    if (int err = make_denoiser(c, c.render_strength_db, &call->render_ns); err < 0) return err;
  }
  if (c.agc) {
    call->agc = hush::enhance::AutomaticGain::create(c.sample_rate_hz);
    if (!call->agc) return HUSH_ERR_UNSUPPORTED_RATE;
    call->agc_latency_samples = hush::enhance::measure_latency_samples(
        [&](const float* in, float* out) {
          std::copy(in, in + n, out);
          call->agc->process(out, false);
        },
        call->frame_size);
    call->agc->reset();
  }
  call->background = std::make_unique<hush::enhance::BackgroundVoices>(call->frame_size);
  call->gate = std::make_unique<hush::enhance::VoiceGate>(call->frame_size);
  call->mic.assign(n, 0.0f);
  call->reference.assign(n, 0.0f);
  call->aligned.assign(n, 0.0f);
  call->work.assign(n, 0.0f);
  call->background_voice_db.store(c.background_voice_db);
  call->gate_grace_ms.store(c.voice_gate_grace_ms);
  return HUSH_OK;
}

void track_echo(hush_call* call, const float* mic, const float* out) {
  if (energy(call->reference.data(), call->frame_size) <
      kFarEndActiveEnergyPerSample * call->frame_size) {
    return;
  }
  call->mic_echo_energy += kErleSmoothing * (energy(mic, call->frame_size) - call->mic_echo_energy);
  call->out_echo_energy += kErleSmoothing * (energy(out, call->frame_size) - call->out_echo_energy);
}

}  // namespace

extern "C" {

HUSH_API hush_call_config hush_call_default_config(void) {
  hush_call_config c{};
  c.struct_size = sizeof(hush_call_config);
  c.sample_rate_hz = 48000;
  c.echo_canceller = HUSH_AEC_DEFAULT;
  c.echo_delay_ms = 0;
  c.engine = HUSH_ENGINE_DEFAULT;
  c.model = nullptr;
  c.capture_strength_db = 25.0f;
  c.render_strength_db = 25.0f;
  c.background_voice_db = 0.0f;
  c.voice_gate_grace_ms = 0;
  c.agc = 1;
  return c;
}

HUSH_API int hush_call_create(const hush_call_config* config, hush_call** out_call) {
  if (!out_call) return HUSH_ERR_INVALID_ARGUMENT;
  *out_call = nullptr;
  auto* call = new (std::nothrow) hush_call();
  if (!call) return HUSH_ERR_OUT_OF_MEMORY;
  int err = read_config(config, &call->config);
  if (err == HUSH_OK) {
    try {
      err = build(call);
    } catch (const std::bad_alloc&) {
      err = HUSH_ERR_OUT_OF_MEMORY;
    }
  }
  if (err < 0) {
    delete call;
    return err;
  }
  *out_call = call;
  return HUSH_OK;
}

HUSH_API void hush_call_destroy(hush_call* call) { delete call; }

HUSH_API int hush_call_analyze_render(hush_call* call, const float* played) {
  if (!call || !played) return HUSH_ERR_INVALID_ARGUMENT;
  if (call->echo_canceller == HUSH_AEC_OFF) return HUSH_OK;
  // Sanitised on the capture side, where the canceller reads it.
  call->references->push(played);
  return HUSH_OK;
}

HUSH_API int hush_call_process_render(hush_call* call, float* out, const float* in) {
  if (!call || !out || !in) return HUSH_ERR_INVALID_ARGUMENT;
  if (!call->render_ns) {
    if (out != in) std::memmove(out, in, sizeof(float) * static_cast<std::size_t>(call->frame_size));
    return HUSH_OK;
  }
  const float p = hush_denoiser_process(call->render_ns.get(), out, in);
  return p < 0.0f ? static_cast<int>(p) : HUSH_OK;
}

HUSH_API float hush_call_process_capture(hush_call* call, float* out, const float* mic) {
  if (!call || !out || !mic) return static_cast<float>(HUSH_ERR_INVALID_ARGUMENT);
  const int n = call->frame_size;
  float* work = call->work.data();
  if (call->aec) {
    if (!call->references->pop(call->reference.data())) ++call->reference_missing;
    sanitize(call->reference.data(), call->reference.data(), n, true);
    sanitize(mic, call->mic.data(), n, true);
    call->aligner->process(call->reference.data(), call->mic.data(), call->aligned.data());
    call->aec->set_echo_delay_ms(call->aligner->remaining_delay_frames() * 10);
    call->aec->process(call->aligned.data(), call->mic.data(), work);
    sanitize(work, work, n, true);  // a library never hands NaN onward
    track_echo(call, call->mic.data(), work);
  } else {
    sanitize(mic, work, n, false);
  }
  const float speech = hush_denoiser_process(call->capture_ns.get(), work, work);
  call->background->set_attenuation_db(call->background_voice_db.load(std::memory_order_relaxed));
  call->background->process(work, speech);
  call->gate->set_grace_ms(call->gate_grace_ms.load(std::memory_order_relaxed));
  call->gate->process(work, speech);
  if (call->agc) call->agc->process(work, speech >= 0.5f);
  std::memcpy(out, work, sizeof(float) * static_cast<std::size_t>(n));
  ++call->capture_frames;
  return speech;
}

HUSH_API int hush_call_set_capture_strength_db(hush_call* call, float strength_db) {
  if (!call) return HUSH_ERR_INVALID_ARGUMENT;
  return hush_denoiser_set_strength_db(call->capture_ns.get(), strength_db);
}

HUSH_API int hush_call_set_background_voice_db(hush_call* call, float attenuation_db) {
  if (!call || !std::isfinite(attenuation_db)) return HUSH_ERR_INVALID_ARGUMENT;
  call->background_voice_db.store(std::clamp(attenuation_db, 0.0f, kMaxBackgroundVoiceDb),
                                  std::memory_order_relaxed);
  return HUSH_OK;
}

HUSH_API int hush_call_set_voice_gate_grace_ms(hush_call* call, int grace_ms) {
  if (!call) return HUSH_ERR_INVALID_ARGUMENT;
  call->gate_grace_ms.store(clamp_grace_ms(grace_ms), std::memory_order_relaxed);
  return HUSH_OK;
}

HUSH_API int hush_call_frame_size(const hush_call* call) {
  return call ? call->frame_size : HUSH_ERR_INVALID_ARGUMENT;
}

HUSH_API int hush_call_capture_latency_samples(const hush_call* call) {
  if (!call) return HUSH_ERR_INVALID_ARGUMENT;
  return call->aec_latency_samples + hush_denoiser_latency_samples(call->capture_ns.get()) +
         call->agc_latency_samples;
}

HUSH_API int hush_call_render_latency_samples(const hush_call* call) {
  if (!call) return HUSH_ERR_INVALID_ARGUMENT;
  return call->render_ns ? hush_denoiser_latency_samples(call->render_ns.get()) : 0;
}

HUSH_API int hush_call_get_stats(const hush_call* call, hush_call_stats* stats) {
  if (!call || !stats || stats->struct_size < sizeof(hush_call_stats)) {
    return HUSH_ERR_INVALID_ARGUMENT;
  }
  stats->capture_frames = call->capture_frames;
  stats->reference_missing = call->reference_missing;
  stats->reference_dropped = call->references->dropped();
  stats->echo_return_loss_enhancement_db =
      call->out_echo_energy > 0.0 && call->mic_echo_energy > 0.0
          ? static_cast<float>(10.0 * std::log10(call->mic_echo_energy / call->out_echo_energy))
          : 0.0f;
  stats->agc_gain_db = call->agc ? call->agc->gain_db() : 0.0f;
  stats->echo_canceller = call->echo_canceller;
  stats->echo_delay_ms = call->aec ? call->aligner->delay_frames() * 10 : -1;
  return HUSH_OK;
}

HUSH_API int hush_call_reset(hush_call* call) {
  if (!call) return HUSH_ERR_INVALID_ARGUMENT;
  if (call->aec) call->aec->reset();
  call->references->clear();
  call->aligner->reset();
  (void)hush_denoiser_reset(call->capture_ns.get());
  if (call->render_ns) (void)hush_denoiser_reset(call->render_ns.get());
  if (call->agc) call->agc->reset();
  call->background->reset();
  call->gate->reset();
  call->mic_echo_energy = 0.0;
  call->out_echo_energy = 0.0;
  return HUSH_OK;
}

}  // extern "C"
