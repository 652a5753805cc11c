// The C API's streaming denoiser: validation, memory layout, strength control, and the
// per-frame call that hands 10 ms hops to the selected engine.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

#include "dsp/arena.h"
#include "enhance/model_handle.h"
#include "enhance/neural_engine.h"
#include "enhance/spectral_engine.h"
#include "hush.h"
#include "util/error.h"

struct hush_denoiser {
  hush_denoiser_config config{};
  hush::enhance::NoiseEngine* engine = nullptr;
  float* frame = nullptr;  // sanitised copy of the input frame
  int frame_size = 0;
  std::size_t bytes = 0;
  bool owns_memory = false;
  // Written by any thread (set_strength_db), read by the audio thread: lock-free.
  std::atomic<float> target_strength_db{25.0f};
  float current_strength_db = 25.0f;  // audio thread only; glides toward the target
};

namespace {

constexpr float kMaxStrengthDb = 60.0f;
constexpr float kMaxSampleMagnitude = 1000.0f;  // 60 dB above full scale
// Strength changes glide at a bounded slope (a 40 dB change takes 50 ms); the overlap-add
// crossfades each 10 ms step, so no step is audible as a click.
constexpr float kMaxStrengthStepDbPerFrame = 8.0f;
static_assert(std::atomic<float>::is_always_lock_free);

// The first published layout of hush_denoiser_config; older callers pass at least this much.
constexpr std::size_t kConfigV1Size =
    offsetof(hush_denoiser_config, strength_db) + sizeof(float);

int read_config(const hush_denoiser_config* in, hush_denoiser_config* out) {
  *out = hush_denoiser_default_config();
  if (!in) return HUSH_OK;
  if (in->struct_size < kConfigV1Size) return HUSH_ERR_BAD_STRUCT_SIZE;
  std::memcpy(out, in, std::min(in->struct_size, sizeof(hush_denoiser_config)));
  out->struct_size = sizeof(hush_denoiser_config);
  if (hush_frame_size(out->sample_rate_hz) < 0) return HUSH_ERR_UNSUPPORTED_RATE;
  if (out->engine == HUSH_ENGINE_DEFAULT) out->engine = HUSH_ENGINE_NEURAL;
  if (out->engine != HUSH_ENGINE_NEURAL && out->engine != HUSH_ENGINE_SPECTRAL) {
    return HUSH_ERR_UNKNOWN_ENGINE;
  }
  if (!std::isfinite(out->strength_db)) return HUSH_ERR_INVALID_ARGUMENT;
  out->strength_db = std::clamp(out->strength_db, 0.0f, kMaxStrengthDb);
  return HUSH_OK;
}

const hush::nn::HushNet& model_of(const hush_denoiser_config& config) {
  return config.model ? *config.model->net : hush::nn::HushNet::built_in();
}

// Counts the buffers of the configured engine (sizing mode: nothing is constructed for real).
void count_engine(hush::dsp::Arena& arena, const hush_denoiser_config& config) {
  if (config.engine == HUSH_ENGINE_NEURAL) {
    hush::enhance::NeuralEngine counted(arena, config.sample_rate_hz, model_of(config));
  } else {
    hush::enhance::SpectralEngine counted(arena, config.sample_rate_hz);
  }
}

// Constructs the configured engine in `memory`, its buffers in `arena`.
hush::enhance::NoiseEngine* make_engine(void* memory, hush::dsp::Arena& arena, const hush_denoiser_config& config) {
  if (config.engine == HUSH_ENGINE_NEURAL) {
    return new (memory) hush::enhance::NeuralEngine(arena, config.sample_rate_hz, model_of(config));
  }
  return new (memory) hush::enhance::SpectralEngine(arena, config.sample_rate_hz);
}

// Lays a denoiser out in `arena`. In sizing mode it constructs nothing and returns nullptr.
hush_denoiser* layout(hush::dsp::Arena& arena, const hush_denoiser_config& config) {
  void* self_memory = arena.bytes(sizeof(hush_denoiser));
  void* engine_memory =
      arena.bytes(std::max(sizeof(hush::enhance::SpectralEngine), sizeof(hush::enhance::NeuralEngine)));
  const int frame_size = hush_frame_size(config.sample_rate_hz);
  float* frame = arena.array<float>(static_cast<std::size_t>(frame_size));
  if (arena.sizing()) {
    count_engine(arena, config);
    return nullptr;
  }
  if (!self_memory || !engine_memory || !frame) return nullptr;
  auto* d = new (self_memory) hush_denoiser();
  d->engine = make_engine(engine_memory, arena, config);
  if (arena.overflowed()) {
    d->engine->~NoiseEngine();
    d->~hush_denoiser();
    return nullptr;
  }
  d->config = config;
  d->frame = frame;
  d->frame_size = frame_size;
  d->target_strength_db.store(config.strength_db);
  d->current_strength_db = config.strength_db;
  return d;
}

// Returns the bytes a denoiser needs, or a negative hush_error (the built-in model is parsed
// here on first use, and a broken build could fail that).
long long required_bytes(const hush_denoiser_config& config) {
  return hush::error_code_of([&] {
    hush::dsp::Arena sizing;
    layout(sizing, config);
    return static_cast<long long>(sizing.used());
  });
}

}  // namespace

extern "C" {

HUSH_API hush_denoiser_config hush_denoiser_default_config(void) {
  hush_denoiser_config config{};
  config.struct_size = sizeof(hush_denoiser_config);
  config.sample_rate_hz = 48000;
  config.engine = HUSH_ENGINE_DEFAULT;
  config.strength_db = 25.0f;
  config.model = nullptr;
  return config;
}

HUSH_API long long hush_denoiser_get_size(const hush_denoiser_config* config) {
  hush_denoiser_config checked;
  const int err = read_config(config, &checked);
  if (err < 0) return err;
  return required_bytes(checked);
}

HUSH_API int hush_denoiser_init(void* memory, std::size_t memory_bytes,
                                const hush_denoiser_config* config, hush_denoiser** out) {
  if (!memory || !out) return HUSH_ERR_INVALID_ARGUMENT;
  *out = nullptr;
  if (reinterpret_cast<std::uintptr_t>(memory) % hush::dsp::Arena::kAlignment != 0) {
    return HUSH_ERR_INVALID_ARGUMENT;
  }
  hush_denoiser_config checked;
  const int err = read_config(config, &checked);
  if (err < 0) return err;
  const long long needed_or_error = required_bytes(checked);
  if (needed_or_error < 0) return static_cast<int>(needed_or_error);
  const auto needed = static_cast<std::size_t>(needed_or_error);
  if (memory_bytes < needed) return HUSH_ERR_BUFFER_TOO_SMALL;
  hush::dsp::Arena arena(memory, memory_bytes);
  hush_denoiser* d = layout(arena, checked);
  if (!d) return HUSH_ERR_INTERNAL;
  d->bytes = needed;
  hush_denoiser_reset(d);
  *out = d;
  return HUSH_OK;
}

HUSH_API int hush_denoiser_create(const hush_denoiser_config* config, hush_denoiser** out) {
  if (!out) return HUSH_ERR_INVALID_ARGUMENT;
  *out = nullptr;
  hush_denoiser_config checked;
  const int err = read_config(config, &checked);
  if (err < 0) return err;
  const long long bytes_or_error = required_bytes(checked);
  if (bytes_or_error < 0) return static_cast<int>(bytes_or_error);
  const auto bytes = static_cast<std::size_t>(bytes_or_error);
  void* memory = std::aligned_alloc(hush::dsp::Arena::kAlignment,
                                    (bytes + hush::dsp::Arena::kAlignment - 1) &
                                        ~(hush::dsp::Arena::kAlignment - 1));
  if (!memory) return HUSH_ERR_OUT_OF_MEMORY;
  const int init_err = hush_denoiser_init(memory, bytes, &checked, out);
  if (init_err < 0) {
    std::free(memory);
    return init_err;
  }
  (*out)->owns_memory = true;
  return HUSH_OK;
}

HUSH_API void hush_denoiser_destroy(hush_denoiser* d) {
  if (!d) return;
  const bool owns = d->owns_memory;
  d->engine->~NoiseEngine();
  d->~hush_denoiser();
  if (owns) std::free(d);  // the denoiser sits at the start of its own block
}

HUSH_API float hush_denoiser_process(hush_denoiser* d, float* out, const float* in) {
  if (!d || !out || !in) return static_cast<float>(HUSH_ERR_INVALID_ARGUMENT);
  // NaN/Inf from a broken source must not poison the recursive estimates, and absurd finite
  // values (a float stream read as garbage) must not overflow the spectrum's power.
  for (int i = 0; i < d->frame_size; ++i) {
    d->frame[i] = std::isfinite(in[i]) ? std::clamp(in[i], -kMaxSampleMagnitude, kMaxSampleMagnitude) : 0.0f;
  }

  const float target = d->target_strength_db.load(std::memory_order_relaxed);
  d->current_strength_db += std::clamp(target - d->current_strength_db, -kMaxStrengthStepDbPerFrame,
                                       kMaxStrengthStepDbPerFrame);
  const float floor_gain = std::pow(10.0f, -d->current_strength_db / 20.0f);
  return d->engine->process(d->frame, out, floor_gain);
}

HUSH_API int hush_denoiser_set_strength_db(hush_denoiser* d, float strength_db) {
  if (!d || !std::isfinite(strength_db)) return HUSH_ERR_INVALID_ARGUMENT;
  d->target_strength_db.store(std::clamp(strength_db, 0.0f, kMaxStrengthDb),
                              std::memory_order_relaxed);
  return HUSH_OK;
}

HUSH_API int hush_denoiser_latency_samples(const hush_denoiser* d) {
  return d ? d->engine->latency_samples() : int{HUSH_ERR_INVALID_ARGUMENT};
}

HUSH_API int hush_denoiser_frame_size(const hush_denoiser* d) {
  return d ? d->frame_size : int{HUSH_ERR_INVALID_ARGUMENT};
}

HUSH_API long long hush_denoiser_state_bytes(const hush_denoiser* d) {
  return d ? static_cast<long long>(d->bytes) : (long long)HUSH_ERR_INVALID_ARGUMENT;
}

HUSH_API int hush_denoiser_reset(hush_denoiser* d) {
  if (!d) return HUSH_ERR_INVALID_ARGUMENT;
  d->engine->reset();
  d->current_strength_db = d->target_strength_db.load(std::memory_order_relaxed);
  return HUSH_OK;
}

}  // extern "C"
