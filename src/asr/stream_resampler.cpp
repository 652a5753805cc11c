#include "asr/stream_resampler.h"

#include <soxr.h>

#include <cmath>
#include <string>

#include "util/error.h"

namespace hush::asr {

struct StreamResampler::Soxr {
  soxr_t handle = nullptr;
  ~Soxr() { soxr_delete(handle); }
};

StreamResampler::StreamResampler(int in_rate_hz, int out_rate_hz) : ratio_(0.0) {
  if (in_rate_hz <= 0 || out_rate_hz <= 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "resampler: sample rate must be > 0");
  ratio_ = double(out_rate_hz) / in_rate_hz;
  if (in_rate_hz == out_rate_hz) return;
  soxr_error_t err = nullptr;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  soxr_ = std::make_unique<Soxr>();
  soxr_->handle = soxr_create(in_rate_hz, out_rate_hz, 1, &err, &io, &quality, nullptr);
  if (err || !soxr_->handle) throw Error(HUSH_ERR_INTERNAL, std::string("resampler: ") + (err ? err : "soxr_create failed"));
}

StreamResampler::~StreamResampler() = default;

void StreamResampler::process(std::span<const float> in, std::vector<float>& out) {
  if (!soxr_) {
    out.insert(out.end(), in.begin(), in.end());
    return;
  }
  if (in.empty()) return;
  // Room for this chunk's share plus what soxr may release from earlier input.
  const std::size_t room = static_cast<std::size_t>(std::ceil(double(in.size()) * ratio_)) + 64;
  const std::size_t base = out.size();
  out.resize(base + room);
  std::size_t used = 0, produced = 0;
  const soxr_error_t err = soxr_process(soxr_->handle, in.data(), in.size(), &used, out.data() + base, room, &produced);
  if (err) throw Error(HUSH_ERR_INTERNAL, std::string("resampler: ") + err);
  out.resize(base + produced);
  // soxr takes all input whenever the output has room for it; if not, feed the rest.
  if (used < in.size()) process(in.subspan(used), out);
}

void StreamResampler::flush(std::vector<float>& out) {
  if (!soxr_) return;
  for (;;) {
    const std::size_t base = out.size();
    constexpr std::size_t kChunk = 4096;
    out.resize(base + kChunk);
    std::size_t produced = 0;
    const soxr_error_t err = soxr_process(soxr_->handle, nullptr, 0, nullptr, out.data() + base, kChunk, &produced);
    if (err) throw Error(HUSH_ERR_INTERNAL, std::string("resampler: ") + err);
    out.resize(base + produced);
    if (produced == 0) break;
  }
}

}  // namespace hush::asr
