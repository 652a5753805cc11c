// The interface every noise suppression engine implements (spectral now, neural later).
// An engine lives inside its denoiser's arena and processes one 10 ms hop at a time.
#pragma once

namespace hush::enhance {

class NoiseEngine {
 public:
  virtual ~NoiseEngine() = default;

  // One hop: `in` and `out` hold hop samples and may alias. `floor_gain` is the smallest gain
  // the engine may apply (linear, from strength_db). Returns speech probability in [0, 1].
  // Must not allocate, lock or make system calls.
  virtual float process(const float* in, float* out, float floor_gain) = 0;
  virtual int latency_samples() const = 0;
  virtual void reset() = 0;
};

}  // namespace hush::enhance
