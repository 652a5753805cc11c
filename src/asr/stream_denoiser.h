// The Hush denoiser over a stream of any chunk size: buffers 10 ms frames and removes the
// denoiser's algorithmic latency, so output sample n lines up with input sample n and the
// output has exactly as many samples as the input once flushed.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "hush.h"

namespace hush::asr {

class StreamDenoiser {
 public:
  // `model` is borrowed (nullptr: the built-in model). Throws hush::Error with the C API's code
  // (HUSH_ERR_UNSUPPORTED_RATE for a rate the denoiser does not run at, see supports_rate).
  StreamDenoiser(int sample_rate_hz, int engine, float strength_db, const hush_model* model);

  static bool supports_rate(int sample_rate_hz) { return hush_frame_size(sample_rate_hz) > 0; }

  void process(std::span<const float> in, std::vector<float>& out);  // appends to out
  void flush(std::vector<float>& out);                               // appends the tail

 private:
  void run_frame(std::vector<float>& out);

  struct Deleter {
    void operator()(hush_denoiser* d) const { hush_denoiser_destroy(d); }
  };
  std::unique_ptr<hush_denoiser, Deleter> denoiser_;
  std::vector<float> frame_;   // partial input frame
  std::size_t filled_ = 0;
  long long to_skip_ = 0;      // latency samples still to drop from the output
  long long in_count_ = 0, out_count_ = 0;
};

}  // namespace hush::asr
