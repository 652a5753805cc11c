#include "enhance/reference_queue.h"

#include <algorithm>
#include <cstring>

namespace hush::enhance {

ReferenceQueue::ReferenceQueue(int frame_size, int max_frames)
    : frame_size_(frame_size),
      max_frames_(max_frames),
      capacity_(2 * max_frames),
      slots_(static_cast<std::size_t>(frame_size) * static_cast<std::size_t>(capacity_)) {}

bool ReferenceQueue::push(const float* frame) {
  const std::uint64_t w = written_.load(std::memory_order_relaxed);
  const std::uint64_t r = read_.load(std::memory_order_acquire);
  if (w - r >= static_cast<std::uint64_t>(capacity_)) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  float* slot = slots_.data() + (w % capacity_) * static_cast<std::size_t>(frame_size_);
  std::memcpy(slot, frame, sizeof(float) * static_cast<std::size_t>(frame_size_));
  written_.store(w + 1, std::memory_order_release);
  return true;
}

bool ReferenceQueue::pop(float* out) {
  const std::uint64_t w = written_.load(std::memory_order_acquire);
  std::uint64_t r = read_.load(std::memory_order_relaxed);
  if (w - r > static_cast<std::uint64_t>(max_frames_)) {
    const std::uint64_t skip = w - r - static_cast<std::uint64_t>(max_frames_);
    dropped_.fetch_add(static_cast<long long>(skip), std::memory_order_relaxed);
    r += skip;
  }
  if (w == r) {
    read_.store(r, std::memory_order_release);
    std::fill(out, out + frame_size_, 0.0f);
    return false;
  }
  const float* slot = slots_.data() + (r % capacity_) * static_cast<std::size_t>(frame_size_);
  std::memcpy(out, slot, sizeof(float) * static_cast<std::size_t>(frame_size_));
  read_.store(r + 1, std::memory_order_release);
  return true;
}

void ReferenceQueue::clear() {
  read_.store(written_.load(std::memory_order_acquire), std::memory_order_release);
}

}  // namespace hush::enhance
