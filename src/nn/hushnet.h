// HushNet, Hush's own noise-suppression network (trained by train/, see train/README.md):
// log power per 50 Hz bin (0-8 kHz, 161 bins) -> dense+tanh -> GRU -> GRU -> dense+sigmoid,
// one gain per bin per 10 ms hop; optionally also GRU -> dense+tanh -> dense+tanh -> complex
// deep-filter coefficients for the lowest `df_bins` bins over the current and `df_order - 1` past hops.
//
// A loaded HushNet is read-only and shared by any number of streams; each stream owns only
// its GRU state (2 * hidden floats) and scratch, which the caller lays out (see NeuralEngine).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "nn/layers.h"

namespace hush::nn {

struct HushNetDims {
  int rate_hz = 16000;
  int hop = 160;
  int window = 320;
  int bins = 161;
  int encoder = 0;
  int hidden = 0;
  float log_eps = 1e-9f;
  int df_bins = 0;   // 0: gains only
  int df_order = 0;
  int df_hidden = 0;
  // The engine lets each bin's gain fall by at most this factor per hop (metadata "gain_release",
  // 0 <= r < 1; 0 or absent: no limit). Part of the model because it is trained through it.
  float gain_release = 0.0f;
  // RNNoise 0.2's compensated release (metadata "release_power_exponent" in (0, 4], absent: 0,
  // the plain release): the gain held into the next hop is scaled by (P(t-1) / P(t))^exponent,
  // capped at 1, with P the input power averaged over "release_smooth_bins" bins (odd, 1..31).
  float release_power_exponent = 0.0f;
  int release_smooth_bins = 1;
  // The engine holds the lowest this many 50 Hz bins at the strength floor: gain 0 and no deep
  // filter (metadata "floor_bins", 0..kMaxFloorBins; absent: 0). A zero-phase high-pass: DC
  // offset, rumble and wind buffeting sit there and speech does not, while a time-domain
  // high-pass would shift the phase of the voice's lowest harmonics.
  int floor_bins = 0;
};
inline constexpr int kMaxFloorBins = 8;  // 400 Hz: beyond that it would cut voices

class HushNet {
 public:
  // Parses a model file. With `copy` the bytes are copied into memory the model owns;
  // without, `bytes` (64-byte aligned) must outlive the model (the built-in model's rodata).
  // Throws hush::Error(HUSH_ERR_FORMAT) for anything malformed or of the wrong architecture.
  // Half weight matrices are used as they are by the AVX2 kernel; for the scalar one (`kernel`,
  // normally this CPU's) they are widened to float32 once here, since converting every weight
  // in every frame made the scalar product 7.6 times slower (576x192: 253 vs 33 us).
  static std::unique_ptr<HushNet> parse(const std::uint8_t* bytes, std::size_t size, bool copy,
                                        Kernel kernel = active_kernel());

  // The model compiled into the library (parsed once, on first use; thread-safe).
  static const HushNet& built_in();

  const HushNetDims& dims() const { return dims_; }
  const std::string& name() const { return name_; }
  std::size_t weight_bytes() const { return weight_bytes_; }  // as held in memory (half matrices: 2 bytes a weight)
  std::size_t state_floats() const { return 2 * static_cast<std::size_t>(dims_.hidden); }
  std::size_t scratch_floats() const;
  // Deep-filter coefficients per hop: [df_bins][df_order][re, im], each in (-1, 1).
  std::size_t df_coef_floats() const { return 2 * static_cast<std::size_t>(dims_.df_bins) * dims_.df_order; }

  // One hop: power[bins] (|X|^2 on the 16 kHz scale) -> gains[bins] in (0, 1) and, with a deep
  // filter, df_coefs[df_coef_floats()]. `state` holds state_floats() (zero = silence before),
  // `scratch` scratch_floats().
  void step(const float* power, float* state, float* scratch, float* gains, float* df_coefs) const;

 private:
  HushNet() = default;
  HushNetDims dims_;
  std::string name_;
  std::size_t weight_bytes_ = 0;
  std::unique_ptr<std::uint8_t, void (*)(void*)> owned_{nullptr, nullptr};
  std::vector<std::unique_ptr<float[]>> widened_;  // half matrices as float32, for the scalar kernel
  const float* feature_mean_ = nullptr;
  const float* feature_inv_std_ = nullptr;
  Weights encoder_w_;
  const float* encoder_b_ = nullptr;
  GruWeights gru1_{};
  GruWeights gru2_{};
  Weights decoder_w_;
  const float* decoder_b_ = nullptr;
  Weights df_in_w_;
  const float* df_in_b_ = nullptr;
  Weights df_w_;
  const float* df_b_ = nullptr;
};

}  // namespace hush::nn
