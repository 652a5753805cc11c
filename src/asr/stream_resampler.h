// Streaming mono sample-rate conversion with libsoxr, for audio that arrives in chunks of any
// size (audio/resample.h converts whole buffers). soxr's output is aligned with its input: the
// filter delay is compensated, so output sample n is input time n / out_rate.
#pragma once

#include <memory>
#include <span>
#include <vector>

namespace hush::asr {

class StreamResampler {
 public:
  // Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) for a rate <= 0.
  StreamResampler(int in_rate_hz, int out_rate_hz);
  ~StreamResampler();
  StreamResampler(const StreamResampler&) = delete;
  StreamResampler& operator=(const StreamResampler&) = delete;

  // Appends the converted samples to `out` (a pass-through copy when the rates are equal).
  void process(std::span<const float> in, std::vector<float>& out);
  // End of stream: appends what soxr still holds.
  void flush(std::vector<float>& out);

 private:
  struct Soxr;
  std::unique_ptr<Soxr> soxr_;  // null when the rates are equal
  double ratio_;
};

}  // namespace hush::asr
