#include "audio/byte_source.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hush::audio {

ByteSource::ByteSource(std::span<const std::uint8_t> bytes)
    : bytes_(bytes), size_(static_cast<std::int64_t>(bytes.size())) {}

ByteSource::ByteSource(int fd, std::int64_t size) : fd_(fd), size_(size) {}

std::int64_t ByteSource::seek(std::int64_t offset, int whence) {
  std::int64_t base = 0;
  switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = pos_; break;
    case SEEK_END: base = size_; break;
    default: return -1;
  }
  // Offsets come from parsed headers, i.e. from the input itself: guard the addition.
  std::int64_t target = 0;
  if (__builtin_add_overflow(base, offset, &target) || target < 0) return -1;
  pos_ = target;
  return pos_;
}

std::size_t ByteSource::read(void* dst, std::size_t count) {
  const std::size_t got = read_at(pos_, dst, count);
  pos_ += static_cast<std::int64_t>(got);
  return got;
}

std::size_t ByteSource::read_at(std::int64_t pos, void* dst, std::size_t count) const {
  if (pos < 0 || pos >= size_ || count == 0) return 0;
  const auto available = static_cast<std::uint64_t>(size_ - pos);
  const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(count, available));
  if (fd_ < 0) {
    std::memcpy(dst, bytes_.data() + pos, wanted);
    return wanted;
  }
  auto* out = static_cast<char*>(dst);
  std::size_t done = 0;
  while (done < wanted) {
    const ssize_t n = ::pread(fd_, out + done, wanted - done,
                              static_cast<off_t>(pos + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) io_failed_ = true;
    if (n <= 0) break;  // error, or the file shrank since we measured it
    done += static_cast<std::size_t>(n);
  }
  return done;
}

}  // namespace hush::audio
