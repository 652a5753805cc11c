#include "asr/stream_denoiser.h"

#include <algorithm>
#include <string>

#include "util/error.h"

namespace hush::asr {

StreamDenoiser::StreamDenoiser(int sample_rate_hz, int engine, float strength_db, const hush_model* model) {
  hush_denoiser_config config = hush_denoiser_default_config();
  config.sample_rate_hz = sample_rate_hz;
  config.strength_db = strength_db;
  config.engine = engine;
  config.model = model;
  hush_denoiser* raw = nullptr;
  if (const int err = hush_denoiser_create(&config, &raw); err < 0) {
    throw Error(static_cast<hush_error>(err), std::string("denoiser front end: ") + hush_strerror(err));
  }
  denoiser_.reset(raw);
  frame_.assign(static_cast<std::size_t>(hush_denoiser_frame_size(raw)), 0.0f);
  to_skip_ = hush_denoiser_latency_samples(raw);
}

void StreamDenoiser::run_frame(std::vector<float>& out) {
  // The frame size is the denoiser's own, so the call cannot fail; its VAD output is unused.
  (void)hush_denoiser_process(denoiser_.get(), frame_.data(), frame_.data());
  std::span<const float> done(frame_);
  const auto skip = static_cast<std::size_t>(std::min<long long>(to_skip_, static_cast<long long>(done.size())));
  to_skip_ -= static_cast<long long>(skip);
  done = done.subspan(skip);
  // After a flush, only as many samples as came in go out.
  const long long room = in_count_ - out_count_;
  if (static_cast<long long>(done.size()) > room) done = done.first(static_cast<std::size_t>(std::max(0LL, room)));
  out.insert(out.end(), done.begin(), done.end());
  out_count_ += static_cast<long long>(done.size());
  filled_ = 0;
}

void StreamDenoiser::process(std::span<const float> in, std::vector<float>& out) {
  in_count_ += static_cast<long long>(in.size());
  while (!in.empty()) {
    const std::size_t n = std::min(in.size(), frame_.size() - filled_);
    std::copy_n(in.begin(), n, frame_.begin() + static_cast<std::ptrdiff_t>(filled_));
    filled_ += n;
    in = in.subspan(n);
    if (filled_ == frame_.size()) run_frame(out);
  }
}

void StreamDenoiser::flush(std::vector<float>& out) {
  // Zeros push the last real samples (and the latency) through.
  while (out_count_ < in_count_) {
    std::fill(frame_.begin() + static_cast<std::ptrdiff_t>(filled_), frame_.end(), 0.0f);
    filled_ = frame_.size();
    run_frame(out);
  }
  filled_ = 0;
}

}  // namespace hush::asr
