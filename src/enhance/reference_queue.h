// The far-end reference frames between the playback thread (producer) and the capture thread
// (consumer): a single-producer/single-consumer ring of whole frames, lock-free, allocated once.
//
// The queue's occupancy is part of the echo delay the canceller sees, so it is bounded: the
// consumer drops the oldest frames beyond `max_frames` (capture stalled, or playback running
// faster through clock drift), and the producer drops a frame only when the ring is
// physically full (capture stopped altogether).
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace hush::enhance {

class ReferenceQueue {
 public:
  ReferenceQueue(int frame_size, int max_frames);

  // Producer side. Copies one frame; returns false (and counts a drop) when full.
  bool push(const float* frame);

  // Consumer side. Copies the oldest frame into `out` and returns true, or fills `out` with
  // silence and returns false when nothing is queued (reference missing or late).
  bool pop(float* out);

  // Consumer side: forget everything queued.
  void clear();

  long long dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  int frame_size_;
  int max_frames_;
  int capacity_;  // physical slots: twice max_frames, so bursts of playback are not dropped
  std::vector<float> slots_;
  std::atomic<std::uint64_t> written_{0};  // frames pushed (producer-owned)
  std::atomic<std::uint64_t> read_{0};     // frames consumed or skipped (consumer-owned)
  std::atomic<long long> dropped_{0};
};

}  // namespace hush::enhance
