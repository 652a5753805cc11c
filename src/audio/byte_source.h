// A read-only, seekable byte stream over either memory or an open file descriptor, so that
// libsndfile and libopusfile decode files and in-memory buffers through the same code path
// (which is the path the fuzzer exercises).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace hush::audio {

class ByteSource {
 public:
  explicit ByteSource(std::span<const std::uint8_t> bytes);
  ByteSource(int fd, std::int64_t size);  // borrows fd; reads with pread

  std::int64_t size() const { return size_; }
  std::int64_t tell() const { return pos_; }
  // Returns the new position, or -1 (position unchanged) for a negative or overflowing target.
  // Positions past the end are allowed, as with a real file; reads there return 0 bytes.
  std::int64_t seek(std::int64_t offset, int whence);
  std::size_t read(void* dst, std::size_t count);  // from the position, advancing it
  std::size_t read_at(std::int64_t pos, void* dst, std::size_t count) const;  // for sniffing
  void rewind() { pos_ = 0; }
  // True once a pread failed (EIO and the like), which a decoder sees as a short read.
  bool io_failed() const { return io_failed_; }

 private:
  std::span<const std::uint8_t> bytes_;
  int fd_ = -1;
  std::int64_t size_ = 0;
  std::int64_t pos_ = 0;
  mutable bool io_failed_ = false;
};

}  // namespace hush::audio
