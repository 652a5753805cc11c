#include "audio/resample.h"

#include <soxr.h>

#include <cmath>
#include <string>

#include "util/error.h"

namespace hush::audio {

std::vector<float> resample(std::span<const float> interleaved, int channels, int in_rate_hz,
                            int out_rate_hz) {
  if (channels <= 0 || in_rate_hz <= 0 || out_rate_hz <= 0) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "resample: bad channel count or sample rate");
  }
  if (in_rate_hz == out_rate_hz) return {interleaved.begin(), interleaved.end()};
  const std::size_t in_frames = interleaved.size() / channels;
  const auto out_frames = static_cast<std::size_t>(
      std::llround(double(in_frames) * out_rate_hz / in_rate_hz));
  std::vector<float> out(out_frames * channels);
  if (in_frames == 0 || out_frames == 0) return out;

  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  std::size_t done = 0;
  const soxr_error_t err =
      soxr_oneshot(in_rate_hz, out_rate_hz, static_cast<unsigned>(channels), interleaved.data(),
                   in_frames, nullptr, out.data(), out_frames, &done, &io, &quality, nullptr);
  if (err) throw Error(HUSH_ERR_INTERNAL, std::string("resample: ") + soxr_strerror(err));
  out.resize(done * channels);
  out.resize(out_frames * channels, 0.0f);  // soxr may deliver a few frames short at the tail
  return out;
}

}  // namespace hush::audio
