// hush.hpp — a thin header-only C++20 layer over hush.h: RAII handles and std::span frames.
// Errors from construction are thrown as hush::error (the C API itself never throws).
#pragma once

#include <memory>
#include <span>
#include <stdexcept>

#include "hush.h"

namespace hush {

class error : public std::runtime_error {
 public:
  explicit error(int code) : std::runtime_error(hush_strerror(code)), code_(code) {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

// A neural model loaded from a file; share one among many denoisers, and keep it alive
// longer than all of them.
class model {
 public:
  explicit model(const char* path) {
    hush_model* raw = nullptr;
    if (const int err = hush_model_load_file(path, &raw); err < 0) throw error(err);
    handle_.reset(raw);
  }
  long long weight_bytes() const noexcept { return hush_model_weight_bytes(handle_.get()); }
  const hush_model* get() const noexcept { return handle_.get(); }

 private:
  struct deleter {
    void operator()(hush_model* m) const noexcept { hush_model_destroy(m); }
  };
  std::unique_ptr<hush_model, deleter> handle_;
};

class denoiser {
 public:
  // `neural_model` = nullptr uses the model built into the library.
  explicit denoiser(int sample_rate_hz, float strength_db = 25.0f, int engine = HUSH_ENGINE_DEFAULT,
                    const model* neural_model = nullptr) {
    hush_denoiser_config config = hush_denoiser_default_config();
    config.sample_rate_hz = sample_rate_hz;
    config.strength_db = strength_db;
    config.engine = engine;
    config.model = neural_model ? neural_model->get() : nullptr;
    hush_denoiser* raw = nullptr;
    if (const int err = hush_denoiser_create(&config, &raw); err < 0) throw error(err);
    handle_.reset(raw);
  }

  // One 10 ms frame (frame_size() samples each); out may alias in. Returns speech probability.
  // RT-safe. Frames of the wrong size are rejected with -1 rather than read out of bounds.
  float process(std::span<float> out, std::span<const float> in) noexcept {
    const auto n = static_cast<std::size_t>(frame_size());
    if (out.size() != n || in.size() != n) return static_cast<float>(HUSH_ERR_INVALID_ARGUMENT);
    return hush_denoiser_process(handle_.get(), out.data(), in.data());
  }
  float process(std::span<float> in_place) noexcept { return process(in_place, in_place); }

  void set_strength_db(float strength_db) noexcept { (void)hush_denoiser_set_strength_db(handle_.get(), strength_db); }
  int frame_size() const noexcept { return hush_denoiser_frame_size(handle_.get()); }
  int latency_samples() const noexcept { return hush_denoiser_latency_samples(handle_.get()); }
  long long state_bytes() const noexcept { return hush_denoiser_state_bytes(handle_.get()); }
  void reset() noexcept { (void)hush_denoiser_reset(handle_.get()); }
  hush_denoiser* get() const noexcept { return handle_.get(); }

 private:
  struct deleter {
    void operator()(hush_denoiser* d) const noexcept { hush_denoiser_destroy(d); }
  };
  std::unique_ptr<hush_denoiser, deleter> handle_;
};

// One call's two-way pipeline. Configure through the C struct (hush_call_default_config()),
// since a call has many knobs; everything else is a span-based method.
class call {
 public:
  explicit call(const hush_call_config& config = hush_call_default_config()) {
    hush_call* raw = nullptr;
    if (const int err = hush_call_create(&config, &raw); err < 0) throw error(err);
    handle_.reset(raw);
  }

  // Each span is one frame (frame_size() samples); wrong sizes are rejected with -1. RT-safe.
  int analyze_render(std::span<const float> played) noexcept {
    if (played.size() != size()) return HUSH_ERR_INVALID_ARGUMENT;
    return hush_call_analyze_render(handle_.get(), played.data());
  }
  int process_render(std::span<float> out, std::span<const float> in) noexcept {
    if (out.size() != size() || in.size() != size()) return HUSH_ERR_INVALID_ARGUMENT;
    return hush_call_process_render(handle_.get(), out.data(), in.data());
  }
  // Returns the probability that the frame holds the user's speech, or a negative error.
  float process_capture(std::span<float> out, std::span<const float> mic) noexcept {
    if (out.size() != size() || mic.size() != size()) return static_cast<float>(HUSH_ERR_INVALID_ARGUMENT);
    return hush_call_process_capture(handle_.get(), out.data(), mic.data());
  }

  void set_capture_strength_db(float db) noexcept { (void)hush_call_set_capture_strength_db(handle_.get(), db); }
  void set_background_voice_db(float db) noexcept { (void)hush_call_set_background_voice_db(handle_.get(), db); }
  void set_voice_gate_grace_ms(int ms) noexcept { (void)hush_call_set_voice_gate_grace_ms(handle_.get(), ms); }
  int frame_size() const noexcept { return hush_call_frame_size(handle_.get()); }
  int capture_latency_samples() const noexcept { return hush_call_capture_latency_samples(handle_.get()); }
  hush_call_stats stats() const noexcept {
    hush_call_stats s{};
    s.struct_size = sizeof s;
    (void)hush_call_get_stats(handle_.get(), &s);
    return s;
  }
  hush_call* get() const noexcept { return handle_.get(); }

 private:
  std::size_t size() const noexcept { return static_cast<std::size_t>(frame_size()); }
  struct deleter {
    void operator()(hush_call* c) const noexcept { hush_call_destroy(c); }
  };
  std::unique_ptr<hush_call, deleter> handle_;
};

}  // namespace hush
