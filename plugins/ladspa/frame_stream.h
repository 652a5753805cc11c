// Any host block size and rate in, the library's 10 ms frames inside, the same stream out,
// delayed by a constant latency_samples():
//
//   host in -> [resample to the processing rate] -> 10 ms frames -> FrameProcessor
//           -> [resample back] -> output ring (starts with plan.prefill zeros) -> host out
//
// Each host sample goes in before the one at the same position comes out, so input and
// output may be the same buffer, and the output never depends on how the host cut the blocks.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "frame_processor.h"
#include "polyphase_resampler.h"
#include "sample_ring.h"
#include "stream_plan.h"

namespace hush::ladspa {

class FrameStream {
 public:
  // `processor` runs at processing_rate_for(host_rate_hz). Allocates everything the stream
  // will ever use; throws std::bad_alloc (or std::invalid_argument for a mismatched processor).
  FrameStream(int host_rate_hz, std::unique_ptr<FrameProcessor> processor);

  // Host samples the output lags the input (constant for the instance).
  int latency_samples() const { return plan_.latency_samples; }
  const StreamPlan& plan() const { return plan_; }
  int processing_rate_hz() const { return processing_rate_hz_; }
  FrameProcessor& processor() { return *processor_; }

  // Empties the resamplers, the frame and the output ring (back to the prefill); the
  // processor is the caller's to restart. RT-safe.
  void reset();
  // `n` host samples; `in == out` allowed; any n, including 0. RT-safe.
  void process(const float* in, float* out, unsigned long n);

 private:
  void feed(float x);
  void finish_frame();

  int processing_rate_hz_;
  std::unique_ptr<FrameProcessor> processor_;
  std::optional<PolyphaseResampler> down_;
  std::optional<PolyphaseResampler> up_;
  StreamPlan plan_;
  SampleRing ring_;
  std::vector<float> frame_in_, frame_out_, down_out_, up_out_;
  int fill_ = 0;
};

}  // namespace hush::ladspa
