#include "frame_stream.h"

#include <cmath>
#include <stdexcept>

namespace hush::ladspa {
namespace {

// Hosts send nominal [-1, 1]; anything finite passes (the library decides what to do with
// it) up to a bound that keeps the resampler's sums finite. NaN and infinities become
// silence, denormals zero -- the library's own rule, applied before our FIFOs and filters.
constexpr float kMaxInputMagnitude = 1.0e4f;
constexpr float kDenormalFloor = 1.0e-20f;

float sanitize(float x) {
  if (!std::isfinite(x) || std::fabs(x) < kDenormalFloor) return 0.0f;
  return std::fmax(-kMaxInputMagnitude, std::fmin(kMaxInputMagnitude, x));
}

StreamPlan make_plan(int host_rate_hz, int processing_rate_hz, const FrameProcessor& processor,
                     const std::optional<PolyphaseResampler>& down,
                     const std::optional<PolyphaseResampler>& up) {
  return plan_stream({.host_rate_hz = host_rate_hz,
                      .processing_rate_hz = processing_rate_hz,
                      .frame_size = processor.frame_size(),
                      .processor_latency = processor.latency_samples(),
                      .down_taps = down ? down->taps() : 0,
                      .up_taps = up ? up->taps() : 0});
}

}  // namespace

FrameStream::FrameStream(int host_rate_hz, std::unique_ptr<FrameProcessor> processor)
    : processing_rate_hz_(processing_rate_for(host_rate_hz)),
      processor_(std::move(processor)),
      down_(host_rate_hz != processing_rate_hz_
                ? std::optional<PolyphaseResampler>(std::in_place, host_rate_hz, processing_rate_hz_)
                : std::nullopt),
      up_(host_rate_hz != processing_rate_hz_
              ? std::optional<PolyphaseResampler>(std::in_place, processing_rate_hz_, host_rate_hz)
              : std::nullopt),
      plan_(make_plan(host_rate_hz, processing_rate_hz_, *processor_, down_, up_)),
      ring_(plan_.ring_capacity) {
  if (processor_->frame_size() * 100 != processing_rate_hz_) {
    throw std::invalid_argument("frame processor does not run at the stream's processing rate");
  }
  const auto frame = std::size_t(processor_->frame_size());
  frame_in_.assign(frame, 0.0f);
  frame_out_.assign(frame, 0.0f);
  down_out_.assign(std::size_t(down_ ? down_->max_outputs_per_input() : 1), 0.0f);
  up_out_.assign(std::size_t(up_ ? up_->max_outputs_per_input() : 1), 0.0f);
  reset();
}

void FrameStream::reset() {
  if (down_) down_->reset();
  if (up_) up_->reset();
  fill_ = 0;
  ring_.clear();
  for (std::size_t i = 0; i < plan_.prefill; ++i) ring_.push(0.0f);
}

void FrameStream::process(const float* in, float* out, unsigned long n) {
  for (unsigned long i = 0; i < n; ++i) {
    const float x = sanitize(in[i]);  // read before out[i] is written: in == out is fine
    if (down_) {
      const int produced = down_->push(x, down_out_.data());
      for (int k = 0; k < produced; ++k) feed(down_out_[std::size_t(k)]);
    } else {
      feed(x);
    }
    const float y = ring_.pop();
    out[i] = std::isfinite(y) ? y : 0.0f;
  }
}

void FrameStream::feed(float x) {
  frame_in_[std::size_t(fill_)] = x;
  if (++fill_ == processor_->frame_size()) finish_frame();
}

void FrameStream::finish_frame() {
  fill_ = 0;
  processor_->process(frame_out_.data(), frame_in_.data());
  for (const float y : frame_out_) {
    if (!up_) {
      ring_.push(y);
      continue;
    }
    const int produced = up_->push(y, up_out_.data());
    for (int k = 0; k < produced; ++k) ring_.push(up_out_[std::size_t(k)]);
  }
}

}  // namespace hush::ladspa
