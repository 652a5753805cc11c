// A bump allocator over one caller-supplied block, with a sizing mode.
//
// Per-stream state is laid out twice: once with a sizing Arena (no memory; it only counts
// bytes) to answer *_get_size(), then with a real Arena over the caller's block. So a
// state has a single allocation (or none, with caller-owned memory) and process() never
// allocates.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hush::dsp {

class Arena {
 public:
  static constexpr std::size_t kAlignment = 16;

  Arena() = default;  // sizing mode
  Arena(void* base, std::size_t capacity) : base_(static_cast<std::uint8_t*>(base)), capacity_(capacity) {}

  bool sizing() const { return base_ == nullptr; }
  std::size_t used() const { return used_; }
  bool overflowed() const { return !sizing() && used_ > capacity_; }

  // Raw bytes, aligned. Returns nullptr in sizing mode or when the block is too small.
  void* bytes(std::size_t n) {
    const std::size_t start = (used_ + kAlignment - 1) & ~(kAlignment - 1);
    used_ = start + n;
    if (sizing() || used_ > capacity_) return nullptr;
    return base_ + start;
  }

  // `count` zero-initialised values of a trivially constructible T.
  template <typename T>
  T* array(std::size_t count) {
    auto* p = static_cast<T*>(bytes(sizeof(T) * count));
    if (p) {
      for (std::size_t i = 0; i < count; ++i) p[i] = T{};
    }
    return p;
  }

 private:
  std::uint8_t* base_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t used_ = 0;
};

}  // namespace hush::dsp
