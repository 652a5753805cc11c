// The two things a plugin instance can be: one 10 ms frame in, one out, at a rate the
// library supports. `hush_mic` is the call's capture path (hush_call with the echo canceller
// off: there is no far-end reference in a single-port plugin), `hush_speaker` the render path.
#pragma once

#include <memory>
#include <span>

namespace hush::ladspa {

class FrameProcessor {
 public:
  virtual ~FrameProcessor() = default;
  virtual int frame_size() const = 0;
  // Samples (at the processing rate) the output frames lag the input frames.
  virtual int latency_samples() const = 0;
  // One frame; RT-safe.
  virtual void process(float* out, const float* in) = 0;
  // Starts over exactly as a freshly created processor configured with `controls` (the
  // plugin's control inputs in port order, range-checked). May allocate: for activate(), never
  // for run(). Keeps the current state if the library cannot build a new one.
  virtual void restart(std::span<const float> controls) = 0;
  // Forwards control input `index` while audio runs; lock-free, RT-safe.
  virtual void set_control(int index, float value) = 0;
};

// Both allocate, and throw std::runtime_error (or std::bad_alloc) when the library refuses.
std::unique_ptr<FrameProcessor> make_mic_processor(int sample_rate_hz);
std::unique_ptr<FrameProcessor> make_speaker_processor(int sample_rate_hz);

}  // namespace hush::ladspa
