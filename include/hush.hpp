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

}  // namespace hush
