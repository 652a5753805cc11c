// A fixed-capacity FIFO of samples for the audio thread: sized once, never grows. The
// stream plan proves how full it can get, so push() on a full ring (a bug) drops the sample
// rather than writing out of bounds, and pop() on an empty one returns silence.
#pragma once

#include <cstddef>
#include <vector>

namespace hush::ladspa {

class SampleRing {
 public:
  explicit SampleRing(std::size_t capacity) : data_(capacity, 0.0f) {}

  std::size_t size() const { return count_; }
  std::size_t capacity() const { return data_.size(); }

  void clear() { head_ = count_ = 0; }

  bool push(float x) {
    if (count_ == capacity()) return false;
    std::size_t tail = head_ + count_;
    if (tail >= data_.size()) tail -= data_.size();
    data_[tail] = x;
    ++count_;
    return true;
  }

  float pop() {
    if (count_ == 0) return 0.0f;
    const float x = data_[head_];
    head_ = head_ + 1 == data_.size() ? 0 : head_ + 1;
    --count_;
    return x;
  }

 private:
  std::vector<float> data_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

}  // namespace hush::ladspa
